import { close, fstat, fsync, open, statSync } from 'node:fs';
import { promisify } from 'node:util';

/** Flushes a file descriptor to stable storage; injectable so tests can hold or fail it. */
export type FsyncFn = (fd: number) => Promise<void>;

const fsyncAsync = promisify(fsync);
const openAsync = promisify(open);
const closeAsync = promisify(close);
const fstatAsync = promisify(fstat);

/** SQLite's own code for a failed sync, so `isTransient` treats it like any other I/O error. */
export class WalSyncError extends Error {
  readonly code = 'SQLITE_IOERR_FSYNC';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WalSyncError';
  }
}

/**
 * The per-commit fsync that `synchronous=FULL` would do inside COMMIT on the event loop, done
 * instead on the libuv threadpool after COMMIT returns. With WAL and `synchronous=NORMAL`,
 * SQLite already syncs the WAL before every checkpoint and the database after it, and syncs the
 * WAL header when it restarts the log; the one sync FULL adds is this one, of the WAL after each
 * commit. Callers wait for it before they continue, so an answered write survives a power cut
 * exactly as under FULL, while the event loop keeps parsing requests and the next transaction
 * runs during the sync.
 *
 * Commits are counted; {@link waitDurable} waits for an fsync that *started* after the count it
 * was given. Concurrent waiters share one fsync, and a commit that lands while an fsync is in
 * flight waits for the next one (the running one may have missed its frames).
 *
 * After a failed fsync nothing written since can be trusted (Linux may drop the dirty pages and
 * report success next time), so every later wait fails too, with a transient error: senders
 * retry, and a restart recovers from what is on disk.
 */
export class WalSync {
  readonly #walPath: string;
  readonly #fsync: FsyncFn;
  #fd: number | null = null;
  #ino = -1;
  #committed = 0;
  #durable = 0;
  #round: Promise<void> | null = null;
  #failure: Error | null = null;
  /** How many fsyncs ran, for tests and the benchmark. */
  syncs = 0;

  constructor(databasePath: string, fsyncFn: FsyncFn = fsyncAsync) {
    this.#walPath = `${databasePath}-wal`;
    this.#fsync = fsyncFn;
  }

  /** Call after anything that may have appended committed frames to the WAL. */
  noteCommit(): void {
    this.#committed += 1;
  }

  /** The count to pass to {@link waitDurable}: everything committed so far. */
  get committed(): number {
    return this.#committed;
  }

  get isDurable(): boolean {
    return this.#durable >= this.#committed && this.#failure === null;
  }

  /** Resolves once every commit counted up to `target` is on stable storage. */
  async waitDurable(target: number = this.#committed): Promise<void> {
    while (this.#durable < target) {
      if (this.#failure) throw this.#failure;
      if (!this.#round) {
        this.#round = this.#syncRound().finally(() => {
          this.#round = null;
        });
      }
      await this.#round;
    }
    if (this.#failure) throw this.#failure;
  }

  async #syncRound(): Promise<void> {
    // Whatever is counted now was written to the WAL before this fsync starts.
    const covers = this.#committed;
    let fd: number | null;
    try {
      fd = await this.#walFd();
    } catch (error) {
      // Not reaching the file (out of fds, say) says nothing about what is on disk: these
      // waiters fail and retry, the next round tries again.
      throw new WalSyncError(`could not open the SQLite WAL ${this.#walPath} to fsync it: ${(error as Error).message}`, { cause: error });
    }
    if (fd !== null) {
      try {
        await this.#fsync(fd);
      } catch (error) {
        this.#failure = new WalSyncError(`fsync of the SQLite WAL ${this.#walPath} failed; restart Firebreak to recover from what is on disk: ${(error as Error).message}`, { cause: error });
        throw this.#failure;
      }
      this.syncs += 1;
    }
    this.#durable = Math.max(this.#durable, covers);
  }

  /**
   * An fd on the current WAL file. SQLite keeps the file while a connection is open (a restart
   * of the log rewrites it in place), but if it was replaced (another inode) the old fd would
   * sync the wrong file, so the inode is checked every round. No WAL file: nothing to sync,
   * since SQLite only deletes it after checkpointing it into the synced database.
   */
  async #walFd(): Promise<number | null> {
    let ino: number;
    try {
      // On the event loop: a stat of a file SQLite just wrote is answered from the inode cache
      // in microseconds, while a threadpool round trip added a wake-up of the loop to every sync.
      ino = statSync(this.#walPath).ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (this.#fd !== null && ino === this.#ino) return this.#fd;
    const old = this.#fd;
    this.#fd = null;
    if (old !== null) await closeAsync(old).catch(() => {});
    const fd = await openAsync(this.#walPath, 'r');
    this.#fd = fd;
    this.#ino = (await fstatAsync(fd)).ino;
    return fd;
  }

  /** Waits for what is committed, then closes the fd. */
  async close(): Promise<void> {
    await this.waitDurable().catch(() => {});
    const fd = this.#fd;
    this.#fd = null;
    if (fd !== null) await closeAsync(fd).catch(() => {});
  }
}
