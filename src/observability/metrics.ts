/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format. Per process; Prometheus scrapes each instance and sums.
 */
type Labels = Record<string, string>;

// Code-unit order, not localeCompare: label names are ASCII, and ICU collation cost more than
// the rest of a counter increment on the delivery path. Concatenated rather than
// JSON.stringify(entries): this runs twice per HTTP request. NUL and SOH never occur in labels.
const key = (labels: Labels): string => {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let k = '';
  for (const name of names) k += `${name}\u0000${labels[name]}\u0001`;
  return k;
};
const fmt = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    const entry = this.#values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.#values.set(k, entry);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.#values.values()) lines.push(`${this.name}${fmt(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  readonly name: string;
  readonly help: string;
  readonly collect: ((g: Gauge) => void) | undefined;
  constructor(name: string, help: string, collect?: (g: Gauge) => void) {
    this.name = name;
    this.help = help;
    this.collect = collect;
  }
  set(value: number, labels: Labels = {}): void {
    this.#values.set(key(labels), { labels, value });
  }
  render(): string {
    this.collect?.(this);
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.#values.values()) lines.push(`${this.name}${fmt(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly buckets: number[];
  constructor(name: string, help: string, buckets: number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }
  /** Replaces a series with figures counted elsewhere (`cumulative[i]`: values ≤ buckets[i]). */
  setSeries(labels: Labels, cumulative: readonly number[], sum: number, count: number): void {
    this.#series.set(key(labels), { labels, counts: [...cumulative], sum, count });
  }
  observe(value: number, labels: Labels = {}): void {
    const k = key(labels);
    const s = this.#series.get(k) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => { if (value <= b) s.counts[i]! += 1; });
    s.sum += value;
    s.count += 1;
    this.#series.set(k, s);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.#series.values()) {
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket${fmt({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${fmt({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${fmt(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${fmt(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];
  readonly #collectors: (() => Promise<void>)[] = [];
  register<M extends Metric>(metric: M): M {
    this.#metrics.push(metric);
    return metric;
  }
  /** Work that reads elsewhere (the database) before a scrape renders; see collect(). */
  addCollector(collect: () => Promise<void>): void {
    this.#collectors.push(collect);
  }
  /** Runs the collectors; /metrics awaits it before render(). */
  async collect(): Promise<void> {
    await Promise.all(this.#collectors.map((c) => c()));
  }
  render(): string {
    return this.#metrics.map((m) => m.render()).join('\n') + '\n';
  }
}

/** Process figures every instance exposes. */
export function registerProcessMetrics(registry: MetricsRegistry, startedAt: number): void {
  registry.register(new Gauge('process_resident_memory_bytes', 'Resident set size in bytes.', (g) => g.set(process.memoryUsage().rss)));
  registry.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use, bytes.', (g) => g.set(process.memoryUsage().heapUsed)));
  registry.register(new Gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, seconds.', (g) => g.set(Math.floor(startedAt / 1000))));
  registry.register(new Gauge('process_cpu_seconds_total', 'User and system CPU time, seconds.', (g) => {
    const u = process.cpuUsage();
    g.set((u.user + u.system) / 1e6);
  }));
}
