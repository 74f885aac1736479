import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 14: runbook progress counts one path where the document offers alternatives; the
 * responder picks the path and the others do not count as undone.
 */
const DOC = readFileSync(new URL('../fixtures/runbooks/osprey-replication.md', import.meta.url), 'utf8');

describe.each(DIALECTS)('alternative runbook paths (%s)', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  let ana: { token: string };
  let incident: string;
  let run: string;
  const post = (path: string, payload: unknown, token = ana.token) => t.app.inject({ method: 'POST', url: path, payload: payload as object, headers: bearer(token) });
  const get = (path: string, token = ana.token) => t.app.inject({ method: 'GET', url: path, headers: bearer(token) });
  const runView = async () => (await get(`/api/v1/incidents/${incident}/runbook-runs`)).json().items[0];
  const stepsOf = (view: { phases: { steps: { index: number; path: { set: number; option: number } | null; counted: boolean }[] }[] }) => view.phases.flatMap((p) => p.steps);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    ana = await t.userWithKey('responder');
    const imported = await post('/api/v1/runbooks/import', { markdown: DOC, sourceName: 'osprey-replication.md' }, admin.token);
    expect(imported.statusCode, imported.body).toBe(200);
    incident = (await post('/api/v1/incidents', { title: 'Replica 3 is 40 s behind', severity: 'SEV3' })).json().id;
    const attached = await post(`/api/v1/incidents/${incident}/runbook-runs`, { runbook: 'replica-lag' });
    expect(attached.statusCode, attached.body).toBe(201);
    run = attached.json().id;
  });
  afterAll(async () => t?.close());

  it('counts one path: the first until someone acts or chooses', async () => {
    const view = await runView();
    expect(view.paths).toEqual([{ set: 0, title: 'Remediation Options', options: ['Restart the lagging replica', 'Rebuild the replica from a snapshot'], chosen: null, counted: 0 }]);
    const steps = stepsOf(view);
    const notTaken = steps.filter((s) => !s.counted);
    expect(notTaken.length).toBeGreaterThan(0);
    expect(notTaken.every((s) => s.path?.option === 1)).toBe(true);
    expect(view.progress.total).toBe(steps.length - notTaken.length);
  });

  it('acting on a step of another path makes that path the counted one', async () => {
    const rebuild = stepsOf(await runView()).find((s) => s.path?.option === 1)!;
    const done = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/steps/${rebuild.index}`, { action: 'done' });
    expect(done.statusCode, done.body).toBe(200);
    const view = done.json();
    expect(view.paths[0]).toMatchObject({ chosen: null, counted: 1 });
    expect(view.progress.done).toBe(1);
  });

  it('a chosen path wins, is on the timeline, and only its steps count', async () => {
    const chosen = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 0, option: 0 });
    expect(chosen.statusCode, chosen.body).toBe(200);
    const view = chosen.json();
    expect(view.paths[0]).toMatchObject({ chosen: 0, counted: 0 });
    // The done step on the other path no longer counts, as done or as undone.
    expect(view.progress.done).toBe(0);
    expect(stepsOf(view).filter((s) => s.path?.option === 1).every((s) => !s.counted)).toBe(true);
    const timeline = (await get(`/api/v1/incidents/${incident}/timeline`)).json().items as { kind: string; body: string }[];
    expect(timeline.find((e) => e.kind === 'runbook_path_chosen')?.body).toContain('Restart the lagging replica');
    const cleared = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 0, option: null });
    expect(cleared.json().paths[0]).toMatchObject({ chosen: null, counted: 1 });
  });

  it('a set or option that does not exist is a 400 naming the field', async () => {
    const badSet = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 5, option: 0 });
    expect(badSet.statusCode).toBe(400);
    expect(badSet.json().issues[0].field).toBe('set');
    const badOption = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 0, option: 9 });
    expect(badOption.statusCode).toBe(400);
    expect(badOption.json().issues[0].field).toBe('option');
    const wrongType = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 0, option: 'one' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().issues[0].field).toBe('option');
  });

  it('a viewer cannot choose', async () => {
    const viewer = await t.userWithKey('viewer');
    const denied = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/paths`, { set: 0, option: 0 }, viewer.token);
    expect(denied.statusCode).toBe(403);
  });
});
