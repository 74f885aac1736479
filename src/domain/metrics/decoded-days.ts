import type { ReportFacts } from './report-facts.js';

/**
 * Cached days already read and decoded, kept in this process by day with the version they were
 * read at, least recently used first out. The database stays the authority: a report asks it
 * for each day's current version (a few bytes a day) and uses a day kept here only at that
 * version, so a day changed by another instance or tool is read again. What this saves is
 * moving the facts themselves: a year of a large history is tens of megabytes, which PostgreSQL
 * sends as hex text at about 5 ms a megabyte.
 */
export class DecodedDays {
  private readonly days = new Map<number, { version: number; facts: ReportFacts; bytes: number }>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** The day's facts if they are kept at this version. */
  get(day: number, version: number): ReportFacts | undefined {
    const kept = this.days.get(day);
    if (!kept || kept.version !== version) return undefined;
    // Most recently used goes last.
    this.days.delete(day);
    this.days.set(day, kept);
    return kept.facts;
  }

  /** Keeps a day read at `version` (`bytes`: its stored size), dropping the least recently used beyond the budget. */
  set(day: number, version: number, facts: ReportFacts, bytes: number): void {
    const old = this.days.get(day);
    if (old) {
      this.bytes -= old.bytes;
      this.days.delete(day);
    }
    if (bytes > this.maxBytes) return;
    this.days.set(day, { version, facts, bytes });
    this.bytes += bytes;
    for (const [oldest, kept] of this.days) {
      if (this.bytes <= this.maxBytes) break;
      this.days.delete(oldest);
      this.bytes -= kept.bytes;
    }
  }

  get size(): { days: number; bytes: number } {
    return { days: this.days.size, bytes: this.bytes };
  }
}
