/**
 * Roles report their own health here (the worker, its auditor, ingest), so `/health` says which
 * part of the instance is unwell rather than only that something is.
 */
export type HealthState = { ok: boolean; detail?: string; [figure: string]: unknown };

export class HealthRegistry {
  readonly #checks = new Map<string, () => HealthState | Promise<HealthState>>();
  register(name: string, check: () => HealthState | Promise<HealthState>): void {
    this.#checks.set(name, check);
  }
  async report(): Promise<{ ok: boolean; checks: Record<string, HealthState> }> {
    const checks: Record<string, HealthState> = {};
    for (const [name, check] of this.#checks) {
      try {
        checks[name] = await check();
      } catch (e) {
        checks[name] = { ok: false, detail: (e as Error).message };
      }
    }
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }
}
