import { describe, expect, it } from 'vitest';
import type { CurrentState } from './current-state.js';
import { diffPlan, effectiveLadder, placeholderViews, resolvePlaceholders, yamlDuration } from './diff-plan.js';
import type { PlannedObject } from './types.js';

const empty = (): CurrentState => ({ severities: [], severitiesManagedBy: null, policies: new Map(), checklists: new Map(), updateTemplates: new Map(), postmortemTemplates: new Map(), targetNames: new Map() });
const ladder = (ack: number): PlannedObject => ({ kind: 'severities', id: 'severities', title: 'ladder', notes: [], config: [{ key: 'P1', name: 'Critical', description: '', examples: [], ackTarget: ack, businessHours: false }] });
const policy = (targets: string[]): PlannedObject => ({ kind: 'escalation-policy', id: 'escalation-policy:Esc', title: 'Esc', notes: [], config: { name: 'Esc', levels: [{ after: 0, targets }], ifUnresolved: [], repeat: 0 } });
const checklist: PlannedObject = { kind: 'checklist', id: 'checklist:c', title: 'c', notes: [], config: { slug: 'c', name: 'C', severities: ['P1'], items: ['a'], trigger: 'on_open', groups: [] } };
const current = (patch: Partial<CurrentState>): CurrentState => ({ ...empty(), ...patch });
const p1 = { key: 'P1', name: 'Critical', description: '', examples: [], ackTarget: 300, businessHours: false, postmortemRequired: true, communicationTasks: [] };

describe('plan diff', () => {
  it.each([
    ['a new checklist is added', checklist, empty(), 'add', []],
    ['the same checklist is unchanged', checklist, current({ checklists: new Map([['c', { managedBy: null, config: { ...(checklist.config as object) } as never }]]) }), 'unchanged', []],
    ['a changed item is a field diff', checklist, current({ checklists: new Map([['c', { managedBy: null, config: { ...(checklist.config as object), items: ['b'] } as never }]]) }), 'change', [{ field: 'items', from: '["b"]', to: '["a"]' }]],
    ['a file-managed object is blocked', checklist, current({ checklists: new Map([['c', { managedBy: 'config', config: { ...(checklist.config as object), items: ['b'] } as never }]]) }), 'blocked', [{ field: 'items', from: '["b"]', to: '["a"]' }]],
    ['an immediate ack target is a change from 5m to 0', ladder(0), current({ severities: [p1] }), 'change', [{ field: 'P1.ackTarget', from: '5m', to: '0' }]],
    ['the same ladder is unchanged (fields the document omits are kept)', ladder(300), current({ severities: [p1] }), 'unchanged', []],
    ['a ladder the file manages is blocked', ladder(0), current({ severities: [p1], severitiesManagedBy: 'config' }), 'blocked', [{ field: 'P1.ackTarget', from: '5m', to: '0' }]],
  ])('%s', (_, object, state, action, changes) => {
    const [entry] = diffPlan([object], [object], state);
    expect(entry!.action).toBe(action);
    if (action !== 'add') expect(entry!.changes).toEqual(changes);
  });

  it('lists added and removed levels and a new order', () => {
    const planned: PlannedObject = { kind: 'severities', id: 'severities', title: 'l', notes: [], config: [{ key: 'P0', name: 'Outage', description: '', examples: [], businessHours: false }, { key: 'P1', name: 'Critical', description: '', examples: [], businessHours: false }] };
    const [entry] = diffPlan([planned], [planned], current({ severities: [p1, { ...p1, key: 'P2', name: 'High' }] }));
    expect(entry!.changes).toEqual([{ field: 'P0', from: null, to: 'Outage (new level)' }, { field: 'P2', from: 'High', to: null }]);
  });

  it('keeps what the document does not say when writing the ladder', () => {
    expect(effectiveLadder([{ key: 'P1', name: 'Sev one', description: '', examples: [], businessHours: false }], [p1])).toEqual([{ ...p1, name: 'Sev one' }]);
  });

  it('resolves mapped placeholders (case-insensitive) and compares the policy with the database spelling', () => {
    const planned = policy(['placeholder:Team Lead', 'placeholder:CTO']);
    const resolved = resolvePlaceholders([planned], new Map([['team lead', 'team:platform']]));
    expect((resolved[0] as Extract<PlannedObject, { kind: 'escalation-policy' }>).config.levels[0]!.targets).toEqual(['team:platform', 'placeholder:CTO']);
    const views = placeholderViews([planned], new Map([['team lead', 'team:platform']]));
    expect(views).toEqual([
      { name: 'CTO', mappedTo: null, usedBy: ['escalation-policy:Esc'], suggestedType: 'user' },
      { name: 'Team Lead', mappedTo: 'team:platform', usedBy: ['escalation-policy:Esc'], suggestedType: 'user' },
    ]);
    const fully = resolvePlaceholders([planned], new Map([['team lead', 'team:platform'], ['cto', 'user:cto@example.com']]));
    const state = current({ policies: new Map([['Esc', { managedBy: null, config: { name: 'Esc', levels: [{ after: 0, targets: ['team:platform', 'user:cto@example.com'] }], ifUnresolved: [], repeat: 0 } }]]) });
    expect(diffPlan([planned], fully, state)[0]).toMatchObject({ action: 'unchanged', placeholders: ['Team Lead', 'CTO'] });
  });

  it.each([[0, '0'], [300, '5m'], [5400, '1h30m'], [86_400, '1d'], [90, '1m30s']])('%i seconds is %s in firebreak.yaml', (s, text) => expect(yamlDuration(s)).toBe(text));
});
