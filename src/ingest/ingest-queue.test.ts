import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { IngestQueue } from './ingest-queue.js';

/** A commit the test finishes by hand. */
interface PendingCommit {
  items: number[];
  finish(): void;
}

function queueWith(maxInFlight: number) {
  const commits: PendingCommit[] = [];
  const queue = new IngestQueue<number, number>({
    log: silentLogger,
    maxInFlight,
    commit: (items) => new Promise((resolve) => commits.push({ items, finish: () => resolve(items.map((i) => i * 10)) })),
  });
  return { queue, commits };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('IngestQueue pipelining', () => {
  it('with one in flight, the next batch waits for the previous commit', async () => {
    const { queue, commits } = queueWith(1);
    const a = queue.submit(1);
    await tick();
    const b = queue.submit(2);
    await tick();
    expect(commits.map((c) => c.items)).toEqual([[1]]);
    commits[0]!.finish();
    expect(await a).toBe(10);
    await tick();
    expect(commits.map((c) => c.items)).toEqual([[1], [2]]);
    commits[1]!.finish();
    expect(await b).toBe(20);
  });

  it('with two in flight, the next batch starts before the previous one is durable, and each answers on its own commit', async () => {
    const { queue, commits } = queueWith(2);
    let aDone = false;
    let bDone = false;
    const a = queue.submit(1).then((r) => ((aDone = true), r));
    await tick();
    const b = queue.submit(2).then((r) => ((bDone = true), r));
    await tick();
    expect(commits.map((c) => c.items)).toEqual([[1], [2]]);
    // A third waits until one of the two finishes, then takes everything queued.
    const c = queue.submit(3);
    const d = queue.submit(4);
    await tick();
    expect(commits).toHaveLength(2);
    commits[1]!.finish();
    expect(await b).toBe(20);
    expect(aDone).toBe(false);
    await tick();
    expect(commits.map((x) => x.items)).toEqual([[1], [2], [3, 4]]);
    commits[0]!.finish();
    commits[2]!.finish();
    expect(await a).toBe(10);
    expect(await Promise.all([c, d])).toEqual([30, 40]);
    expect(bDone).toBe(true);
    await queue.close();
  });

  it('close waits for every batch in flight', async () => {
    const { queue, commits } = queueWith(2);
    void queue.submit(1);
    await tick();
    void queue.submit(2);
    await tick();
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    commits[0]!.finish();
    await tick();
    expect(closed).toBe(false);
    commits[1]!.finish();
    await closing;
    expect(closed).toBe(true);
  });
});
