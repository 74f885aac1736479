import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { AlertStatusBadge, LabelChips } from './alerts-nav.js';
import { fromLocalInput, MATCH_OPS, opOf, toApiMatcher, toLocalInput, type ApiMatcher, type MatchOp, type SilencePreview } from './types.js';

interface Row {
  name: string;
  op: MatchOp;
  value: string;
}

const DURATIONS = [
  { label: '30 minutes', ms: 30 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '2 hours', ms: 2 * 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '8 hours', ms: 8 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '3 days', ms: 3 * 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

const toRow = (m: ApiMatcher): Row => ({ name: m.name, op: opOf(m), value: m.value });
const rowsToApi = (rows: Row[]): ApiMatcher[] => rows.filter((r) => r.name.trim() || r.value).map((r) => toApiMatcher(r.name.trim(), r.op, r.value));

/**
 * A new silence: Alertmanager matchers (= != =~ !~, regexes RE2 and anchored), when it starts
 * and ends, why and who. While the matchers change, the open alerts they match are previewed,
 * checked by the server exactly as saving checks them.
 */
export function SilenceForm({ initial, onSaved, onCancel, title = 'New silence' }: { initial: ApiMatcher[]; onSaved: (id: string) => void; onCancel?: () => void; title?: string }) {
  const { session } = useApp();
  const [rows, setRows] = useState<Row[]>(initial.length ? initial.map(toRow) : [{ name: '', op: '=', value: '' }]);
  const [duration, setDuration] = useState(String(2 * 3_600_000));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(Date.now() + 2 * 3_600_000));
  const [startsAt, setStartsAt] = useState('');
  const [comment, setComment] = useState('');
  const [createdBy, setCreatedBy] = useState(session.email ?? session.actor.name);
  const [preview, setPreview] = useState<SilencePreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const matchers = rowsToApi(rows);
  const previewKey = JSON.stringify(matchers);
  useEffect(() => {
    const list = JSON.parse(previewKey) as ApiMatcher[];
    if (list.length === 0) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    let stale = false;
    // Typing a regex goes through invalid states; ask once the typing pauses.
    const timer = setTimeout(() => {
      api.post('/api/v1/silences/preview', { body: { matchers: list } }).then(
        (p) => {
          if (stale) return;
          setPreview(p);
          setPreviewError(null);
        },
        (e: unknown) => {
          if (stale) return;
          setPreview(null);
          setPreviewError(e);
        },
      );
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [previewKey]);

  const update = (i: number, patch: Partial<Row>) => setRows((prev) => prev.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const start = fromLocalInput(startsAt);
      const startMs = start ? Date.parse(start) : Date.now();
      const end = duration === 'custom' ? fromLocalInput(endsAt) : new Date(startMs + Number(duration)).toISOString();
      const saved = await api.post('/api/v1/silences', { body: { matchers: rowsToApi(rows), startsAt: start, endsAt: end ?? '', comment, createdBy } });
      onSaved(saved.silenceID);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const matcherError = (i: number) => fieldError(error, `matchers.${i}.name`) ?? fieldError(error, `matchers.${i}.value`) ?? fieldError(error, `matchers.${i}`);
  const previewMessage = previewError instanceof Error ? previewError.message : null;
  return (
    <form className="card form silence-form" aria-labelledby="silence-form-h" onSubmit={(e) => void submit(e)}>
      <h2 id="silence-form-h">{title}</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <fieldset className="field">
        <legend>Matchers (all must match; regexes are RE2 and match the whole value)</legend>
        <div className="matcher-rows">
          {rows.map((r, i) => (
            <div key={i} className="matcher-row" role="group" aria-label={`Matcher ${i + 1}`}>
              <input aria-label={`Label name ${i + 1}`} placeholder="label" spellCheck={false} autoCapitalize="off" value={r.name} onChange={(e) => update(i, { name: e.target.value })} aria-invalid={matcherError(i) ? true : undefined} />
              <select aria-label={`Operator ${i + 1}`} value={r.op} onChange={(e) => update(i, { op: e.target.value as MatchOp })}>
                {MATCH_OPS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
              <input aria-label={`Value ${i + 1}`} placeholder="value" spellCheck={false} autoCapitalize="off" value={r.value} onChange={(e) => update(i, { value: e.target.value })} />
              <button type="button" className="btn btn-quiet btn-small" aria-label={`Remove matcher ${i + 1}`} onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))} disabled={rows.length === 1}>
                ×
              </button>
              {matcherError(i) ? <small className="field-error matcher-error">{matcherError(i)}</small> : null}
            </div>
          ))}
        </div>
        <div>
          <button type="button" className="btn btn-small" onClick={() => setRows((prev) => [...prev, { name: '', op: '=', value: '' }])}>
            Add matcher
          </button>
        </div>
        {fieldError(error, 'matchers') ? <small className="field-error">{fieldError(error, 'matchers')}</small> : null}
      </fieldset>

      <section className="silence-preview" aria-live="polite" aria-label="Preview">
        {matchers.length === 0 ? <p className="muted">Add a matcher to see the alerts it would silence.</p> : null}
        {previewMessage ? <p className="field-error" role="status">Preview: {previewMessage}</p> : null}
        {preview ? (
          <>
            <p data-testid="silence-preview-count">
              <strong>
                {preview.total}
                {preview.truncated ? '+' : ''} open {preview.total === 1 ? 'alert matches' : 'alerts match'}
              </strong>{' '}
              <span className="muted">now (firing or acknowledged, held already or not).</span>
            </p>
            <ul className="preview-list">
              {preview.alerts.slice(0, 10).map((a) => (
                <li key={a.id}>
                  <AlertStatusBadge status={a.status} suppressed={a.state === 'suppressed'} />{' '}
                  <a href={`/alerts/${a.id}`} onClick={linkClick}>
                    {a.summary}
                  </a>{' '}
                  <LabelChips labels={a.labels} max={4} />
                </li>
              ))}
            </ul>
            {preview.total > 10 ? <p className="muted">and {preview.total - 10} more.</p> : null}
          </>
        ) : null}
      </section>

      <div className="silence-times">
        <label className="field">
          <span>Starts</span>
          <input type="datetime-local" name="startsAt" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-describedby="silence-starts-help" />
          <small id="silence-starts-help" className="muted">
            Empty: now.
          </small>
        </label>
        <label className="field">
          <span>Duration</span>
          <select name="duration" value={duration} onChange={(e) => setDuration(e.target.value)}>
            {DURATIONS.map((d) => (
              <option key={d.ms} value={String(d.ms)}>
                {d.label}
              </option>
            ))}
            <option value="custom">Until a time…</option>
          </select>
        </label>
        {duration === 'custom' ? (
          <label className="field">
            <span>Ends</span>
            <input type="datetime-local" name="endsAt" required value={endsAt} onChange={(e) => setEndsAt(e.target.value)} aria-invalid={fieldError(error, 'endsAt') ? true : undefined} />
            {fieldError(error, 'endsAt') ? <small className="field-error">{fieldError(error, 'endsAt')}</small> : null}
          </label>
        ) : null}
      </div>
      <label className="field">
        <span>Comment</span>
        <textarea name="comment" rows={2} required maxLength={10_000} placeholder="Why: a deploy, a known issue, a ticket" value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <label className="field">
        <span>Created by</span>
        <input name="createdBy" required maxLength={200} value={createdBy} onChange={(e) => setCreatedBy(e.target.value)} aria-invalid={fieldError(error, 'createdBy') ? true : undefined} />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save silence'}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
