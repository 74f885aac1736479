import { MemberList } from './member-list.js';
import { WEEKDAYS, type Layer, type Restriction, type Rotation, type Weekday } from './types.js';

/**
 * The layers of a schedule, edited as a draft the page saves in one PUT. Later layers sit on top
 * of earlier ones (the server's precedence), so the list says so and offers up/down.
 */
export function LayerEditor({ layers, timeZone, onChange }: { layers: Layer[]; timeZone: string; onChange: (next: Layer[]) => void }) {
  const set = (i: number, layer: Layer) => onChange(layers.map((l, j) => (j === i ? layer : l)));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= layers.length) return;
    const next = [...layers];
    const [l] = next.splice(from, 1);
    next.splice(to, 0, l!);
    onChange(next);
  };
  const addLayer = () => {
    let n = layers.length + 1;
    while (layers.some((l) => l.id === `layer-${n}`)) n += 1;
    const today = new Date().toISOString().slice(0, 10);
    onChange([...layers, { id: `layer-${n}`, name: `Layer ${n}`, rotation: { type: 'weekly', handoffTime: '09:00', startDate: today, members: [] } }]);
  };
  return (
    <div className="layers">
      {layers.length > 1 ? <p className="muted">A later layer sits on top of an earlier one: where both are active, the later one decides.</p> : null}
      {layers.map((layer, i) => (
        <fieldset key={layer.id} className="card layer" data-layer={layer.id}>
          <legend>
            Layer {i + 1}: {layer.name}
          </legend>
          <div className="layer-head">
            <label className="field">
              <span>Layer name</span>
              <input value={layer.name} onChange={(e) => set(i, { ...layer, name: e.target.value })} required maxLength={200} />
            </label>
            <div className="form-actions">
              <button type="button" className="btn btn-small btn-quiet" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move layer ${layer.name} up`}>
                ↑ Layer
              </button>
              <button type="button" className="btn btn-small btn-quiet" disabled={i === layers.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move layer ${layer.name} down`}>
                ↓ Layer
              </button>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => onChange(layers.filter((_, j) => j !== i))}>
                Remove layer
              </button>
            </div>
          </div>
          <RotationFields timeZone={timeZone} rotation={layer.rotation} onChange={(rotation) => set(i, { ...layer, rotation })} />
          <MemberList label={layer.name} members={layer.rotation.members} onChange={(members) => set(i, { ...layer, rotation: { ...layer.rotation, members } })} />
          <Restrictions list={layer.restrictions ?? []} onChange={(restrictions) => set(i, { ...layer, restrictions })} />
        </fieldset>
      ))}
      <button type="button" className="btn btn-small" onClick={addLayer}>
        Add layer
      </button>
    </div>
  );
}

function RotationFields({ rotation, timeZone, onChange }: { rotation: Rotation; timeZone: string; onChange: (r: Rotation) => void }) {
  const hours = rotation.shiftLengthSeconds !== undefined ? String(rotation.shiftLengthSeconds / 3600) : '';
  return (
    <div className="rotation-fields">
      <label className="field">
        <span>Rotation</span>
        <select
          aria-label="Rotation"
          value={rotation.type}
          onChange={(e) => {
            const type = e.target.value as Rotation['type'];
            const { shiftLengthSeconds: _drop, ...rest } = rotation;
            onChange(type === 'custom' ? { ...rest, type, shiftLengthSeconds: rotation.shiftLengthSeconds ?? 12 * 3600 } : { ...rest, type });
          }}
        >
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
          <option value="custom">Custom length</option>
        </select>
      </label>
      {rotation.type === 'custom' ? (
        <label className="field">
          <span>Shift length (hours)</span>
          <input type="number" min="0.25" step="0.25" value={hours} onChange={(e) => onChange({ ...rotation, shiftLengthSeconds: Math.round(Number(e.target.value) * 3600) })} required />
        </label>
      ) : null}
      <label className="field">
        <span>
          Hand-off time <small className="muted">{timeZone}</small>
        </span>
        <input type="time" value={rotation.handoffTime} onChange={(e) => onChange({ ...rotation, handoffTime: e.target.value })} required />
      </label>
      <label className="field">
        <span>First hand-off date</span>
        <input type="date" value={rotation.startDate} onChange={(e) => onChange({ ...rotation, startDate: e.target.value })} required />
      </label>
    </div>
  );
}

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

function Restrictions({ list, onChange }: { list: Restriction[]; onChange: (next: Restriction[]) => void }) {
  const set = (i: number, r: Restriction) => onChange(list.map((x, j) => (j === i ? r : x)));
  return (
    <div className="restrictions">
      <strong className="restrictions-title">Active only</strong>
      {list.length === 0 ? <span className="muted"> always (no restrictions)</span> : null}
      {list.map((r, i) => (
        <div key={i} className="restriction" data-restriction={i}>
          <select value={r.type} aria-label="Restriction kind" onChange={(e) => set(i, e.target.value === 'weekly' ? { type: 'weekly', from: r.from, to: r.to, days: ['fri', 'mon'] } : { type: 'daily', from: r.from, to: r.to })}>
            <option value="daily">Every day (or chosen days)</option>
            <option value="weekly">Once a week, across days</option>
          </select>
          {r.type === 'weekly' ? (
            <>
              <select aria-label="From day" value={r.days?.[0] ?? 'fri'} onChange={(e) => set(i, { ...r, days: [e.target.value as Weekday, r.days?.[1] ?? r.days?.[0] ?? 'mon'] })}>
                {WEEKDAYS.map((d) => <option key={d} value={d}>{DAY_NAMES[d]}</option>)}
              </select>
              <input type="time" aria-label="From time" value={r.from} onChange={(e) => set(i, { ...r, from: e.target.value })} />
              <span>to</span>
              <select aria-label="To day" value={r.days?.[1] ?? r.days?.[0] ?? 'mon'} onChange={(e) => set(i, { ...r, days: [r.days?.[0] ?? 'fri', e.target.value as Weekday] })}>
                {WEEKDAYS.map((d) => <option key={d} value={d}>{DAY_NAMES[d]}</option>)}
              </select>
              <input type="time" aria-label="To time" value={r.to} onChange={(e) => set(i, { ...r, to: e.target.value })} />
            </>
          ) : (
            <>
              <input type="time" aria-label="From time" value={r.from} onChange={(e) => set(i, { ...r, from: e.target.value })} />
              <span>to</span>
              <input type="time" aria-label="To time" value={r.to} onChange={(e) => set(i, { ...r, to: e.target.value })} />
              <span className="restriction-days" role="group" aria-label="On days">
                {WEEKDAYS.map((d) => (
                  <label key={d} className="day-check">
                    <input
                      type="checkbox"
                      checked={!r.days || r.days.includes(d)}
                      onChange={(e) => {
                        const current = r.days ?? [...WEEKDAYS];
                        const days = e.target.checked ? WEEKDAYS.filter((w) => w === d || current.includes(w)) : current.filter((w) => w !== d);
                        const { days: _old, ...rest } = r;
                        set(i, days.length === 7 ? rest : { ...rest, days });
                      }}
                    />
                    {DAY_NAMES[d]}
                  </label>
                ))}
              </span>
            </>
          )}
          <button type="button" className="btn-icon" aria-label="Remove restriction" onClick={() => onChange(list.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn-link" onClick={() => onChange([...list, { type: 'daily', from: '09:00', to: '17:00' }])}>
        Add restriction
      </button>
    </div>
  );
}
