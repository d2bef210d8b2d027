// Rescoring every lead in the background (F4): after the scoring configuration or the
// model changes on a big database, and once a day so engagement cools as days pass. On a
// file database with many leads it runs in a worker thread, a page per transaction, so the
// app keeps answering and a rep's capture saves between pages; a small or in-memory
// database is rescored at once, in-process. A new request while one runs restarts it (the
// newer configuration wins); the page shows progress.
import type { RescoreState } from '../contract/index.js';
import type { Store } from '../store/store.js';
import { JobSlot } from './jobSlot.js';
import type { RescoreReply, RescoreTask } from './rescoreWorker.js';
import { lastFullRescore, rescoreAllIn } from './scoring.js';
import { spawnServiceWorker } from './workers.js';

const DAY = 86_400_000;

export interface RescoreOptions {
  /** From this many live leads on, rescoring runs in a worker (20 000 take ~0.7 s). */
  workerFromLeads?: number;
  now?: () => number;
}

interface Run {
  slot: JobSlot;
  startedAt: number;
  ended: Promise<void>;
}

export class RescoreJobs {
  private run: Run | null = null;
  private again = false;
  private last: { finishedAt: number; rescored: number; failed: boolean } | null = null;
  private daily: ReturnType<typeof setInterval> | null = null;
  private readonly workerFromLeads: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    options: RescoreOptions = {},
  ) {
    this.workerFromLeads = options.workerFromLeads ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether a rescore of this database would run in the background. */
  inBackground(): boolean {
    if (this.store.path === ':memory:') return false;
    return (
      this.store.read((r) =>
        r.count(
          r.qb
            .selectFrom('leads')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('deleted_at', 'is', null),
          ['leads'],
        ),
      ) >= this.workerFromLeads
    );
  }

  /** Rescores every lead: at once when the database is small, else in the background. */
  start(): RescoreState {
    if (!this.inBackground()) {
      const rescored = this.store.write((tx) => rescoreAllIn(tx));
      this.last = { finishedAt: this.now(), rescored, failed: false };
      return this.state();
    }
    if (this.run) {
      // The running pass used the old configuration: stop it and go again.
      this.again = true;
      this.run.slot.cancel();
      return this.state();
    }
    this.launch();
    return this.state();
  }

  state(): RescoreState {
    const base = {
      lastFinishedAt: this.last?.finishedAt ?? null,
      lastRescored: this.last?.rescored ?? null,
      lastFailed: this.last?.failed ?? false,
    };
    if (!this.run) return { running: false, done: 0, total: 0, ...base };
    const { done, total } = this.run.slot.read();
    return { running: true, done, total, ...base };
  }

  /** Resolves when no rescore is running (tests, shutdown). */
  async settled(): Promise<RescoreState> {
    while (this.run) await this.run.ended;
    return this.state();
  }

  /** Rescores once a day (checked hourly, and now): stored scores follow engagement as it
   * cools. Only the app shells ask for this; one-shot CLI commands do not. */
  scheduleDaily(): void {
    const check = () => {
      const last = lastFullRescore(this.store);
      if (!this.run && (last === null || this.now() - last >= DAY)) this.start();
    };
    try {
      check();
    } catch (err) {
      console.error('leadbook: daily rescore failed', err);
    }
    this.daily = setInterval(() => {
      try {
        check();
      } catch (err) {
        console.error('leadbook: daily rescore failed', err);
      }
    }, DAY / 24);
    this.daily.unref();
  }

  async close(): Promise<void> {
    if (this.daily) clearInterval(this.daily);
    this.again = false;
    this.run?.slot.cancel();
    await this.settled();
  }

  private launch(): void {
    const slot = new JobSlot(new SharedArrayBuffer(JobSlot.bytes));
    const task: RescoreTask = {
      dbPath: this.store.path,
      key: this.store.key,
      shared: slot.shared,
    };
    const run: Run = { slot, startedAt: this.now(), ended: Promise.resolve() };
    run.ended = new Promise<void>((resolve) => {
      const worker = spawnServiceWorker('rescoreWorker', task);
      let reply: RescoreReply | null = null;
      worker.on('message', (r: RescoreReply) => (reply = r));
      worker.on('error', (err) => console.error('leadbook: rescore worker crashed', err));
      worker.on('exit', () => {
        // Scores written by the worker's connection: cached counts and lists drop.
        this.store.noticeOtherWriter(['leads']);
        const r = reply as RescoreReply | null;
        if (r?.type === 'done')
          this.last = { finishedAt: this.now(), rescored: r.rescored, failed: false };
        else if (r?.type !== 'stopped')
          this.last = { finishedAt: this.now(), rescored: 0, failed: true };
        this.run = null;
        if (this.again) {
          this.again = false;
          this.launch();
        }
        resolve();
      });
    });
    this.run = run;
  }
}
