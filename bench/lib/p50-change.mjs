// How far apart two sets of latencies are at the median, and how sure of it a run can be: the
// change in p50 from `base` to `other` with a 95% interval from a bootstrap (the probes resampled
// with replacement, each round within itself, so a slow round weighs on both sides as it did).
// If the interval holds 0, the run cannot tell the two apart: the change is within its noise.
// Seeded, so the same latencies always give the same interval.

const p50 = (sorted) => sorted[Math.floor((sorted.length - 1) / 2)];

/** A small seeded generator (mulberry32): the same interval for the same input, run after run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One resample of rounds (arrays of latencies), pooled and sorted. */
function resample(rounds, random) {
  const out = [];
  for (const r of rounds) for (let i = 0; i < r.length; i += 1) out.push(r[Math.floor(random() * r.length)]);
  return out.sort((x, y) => x - y);
}

/**
 * `base` and `other`: the same number of rounds, each an array of latencies (ms), round i of one
 * measured beside round i of the other. Returns {change, low, high} in ms (other − base at p50).
 */
export function p50Change(base, other, resamples = 2000) {
  const pool = (rounds) => rounds.flat().sort((x, y) => x - y);
  const change = p50(pool(other)) - p50(pool(base));
  const random = seeded(0x5eed);
  const changes = [];
  for (let i = 0; i < resamples; i += 1) changes.push(p50(resample(other, random)) - p50(resample(base, random)));
  changes.sort((x, y) => x - y);
  return { change, low: changes[Math.floor(resamples * 0.025)], high: changes[Math.ceil(resamples * 0.975) - 1] };
}

/** "+2.41 ms (95% interval +1.80 to +3.02)", and whether the interval holds 0. */
export function describeChange({ change, low, high }) {
  const ms = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
  return `${ms(change)} ms (95% interval ${ms(low)} to ${ms(high)}${low <= 0 && high >= 0 ? ': within the noise' : ''})`;
}
