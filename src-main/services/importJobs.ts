// Imports in the background (F1): each import, or the preview of one, runs in a worker
// thread with its own SQLite connection, so a 100 000-row file never freezes the app.
// The renderer starts a job, asks for its state (phase, rows done / total, an ETA) and
// may cancel it: the worker stops at its next checkpoint, and a cancelled save is rolled
// back whole — the database is as it was.
import {
  ApiError,
  type ImportJobState,
  type ImportPreview,
  type ImportReport,
} from '../contract/index.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import {
  ImportCancelledError,
  importLeads,
  previewImport,
  type ImportOptions,
  type ImportPhase,
} from './importLeads.js';
import { JobSlot, type WorkerReply, type WorkerTask } from './importJobProtocol.js';
import { spawnServiceWorker } from './workers.js';

/** While a worker holds the write lock the app's own writes fail fast as "busy" rather
 * than freeze the main thread for the default 5 s. */
const BUSY_WHILE_SAVING_MS = 200;
const BUSY_DEFAULT_MS = 5000;
const KEEP_FINISHED = 20;
/** Smaller files are read, checked and saved in well under a second: starting a worker
 * (a second of loading dictionaries and parsers) would only make them slower. */
const WORKER_MIN_BYTES = 256 * 1024;

/** Share of a whole import each phase takes, for the ETA (profiled on 20 000 rows into
 * 20 000 leads: reading ~3 %, checking ~50 %, saving ~45 %). */
const runWeights: Record<ImportPhase, { from: number; span: number }> = {
  reading: { from: 0, span: 0.05 },
  checking: { from: 0.05, span: 0.5 },
  saving: { from: 0.55, span: 0.45 },
};
const previewWeights: Record<ImportPhase, { from: number; span: number }> = {
  reading: { from: 0, span: 0.1 },
  checking: { from: 0.1, span: 0.9 },
  saving: { from: 1, span: 0 },
};

interface Job {
  id: string;
  kind: 'preview' | 'run';
  fileName: string;
  startedAt: number;
  slot: JobSlot;
  /** Set once the job has ended. */
  outcome: Pick<ImportJobState, 'phase' | 'preview' | 'report' | 'error'> | null;
  ended: Promise<void>;
}

export type ImportJobKind = Job['kind'];

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private saving = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  start(
    kind: ImportJobKind,
    bytes: Uint8Array,
    options: Omit<ImportOptions, 'dryRun'>,
  ): ImportJobState {
    if (kind === 'run' && [...this.jobs.values()].some((j) => j.kind === 'run' && !j.outcome))
      throw new ApiError('CONFLICT', 'another import is running; wait for it or cancel it');
    const slot = new JobSlot(new SharedArrayBuffer(JobSlot.bytes));
    const job: Job = {
      id: newId(),
      kind,
      fileName: options.fileName,
      startedAt: this.now(),
      slot,
      outcome: null,
      ended: Promise.resolve(),
    };
    const inWorker = this.store.path !== ':memory:' && bytes.length >= WORKER_MIN_BYTES;
    job.ended = (
      inWorker ? this.runInWorker(job, bytes, options) : this.runHere(job, bytes, options)
    ).then((outcome) => {
      job.outcome = outcome;
      if (kind === 'run' && outcome.report?.batchId) this.store.noticeOtherWriter(['leads']);
    });
    this.jobs.set(job.id, job);
    this.forgetOldJobs();
    return this.state(job);
  }

  get(id: string): ImportJobState {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `import job ${id} not found`);
    return this.state(job);
  }

  cancel(id: string): ImportJobState {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `import job ${id} not found`);
    if (!job.outcome) job.slot.cancel();
    return this.state(job);
  }

  /** Resolves when the job has ended (tests, shutdown). */
  async settled(id: string): Promise<ImportJobState> {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `import job ${id} not found`);
    await job.ended;
    return this.state(job);
  }

  /** On quit: every running job is cancelled (its writes roll back) and awaited. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) if (!job.outcome) job.slot.cancel();
    await Promise.all([...this.jobs.values()].map((j) => j.ended));
  }

  private state(job: Job): ImportJobState {
    const base = {
      id: job.id,
      kind: job.kind,
      fileName: job.fileName,
      startedAt: job.startedAt,
    };
    if (job.outcome) {
      const { phase, preview, report, error } = job.outcome;
      const total = report?.rows ?? preview?.rows ?? 0;
      return {
        ...base,
        phase,
        done: phase === 'done' ? total : 0,
        total,
        etaMs: null,
        ...(preview ? { preview } : {}),
        ...(report ? { report } : {}),
        ...(error ? { error } : {}),
      };
    }
    const { phase, done, total } = job.slot.read();
    const weight = (job.kind === 'run' ? runWeights : previewWeights)[phase];
    const fraction = weight.from + weight.span * (total > 0 ? Math.min(1, done / total) : 0);
    const elapsed = this.now() - job.startedAt;
    // No estimate until a few percent are done: early rates say little.
    const etaMs = fraction >= 0.03 ? Math.round((elapsed * (1 - fraction)) / fraction) : null;
    return { ...base, phase, done, total, etaMs };
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.outcome);
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(job.id);
  }

  private runInWorker(
    job: Job,
    bytes: Uint8Array,
    options: Omit<ImportOptions, 'dryRun'>,
  ): Promise<NonNullable<Job['outcome']>> {
    // A copy the worker owns: a Buffer decoded from base64 may share its memory.
    const owned = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const task: WorkerTask = {
      kind: job.kind,
      dbPath: this.store.path,
      key: this.store.key,
      bytes: owned as ArrayBuffer,
      options,
      author: this.store.getAuthor(),
      shared: job.slot.shared,
    };
    return new Promise((resolve) => {
      const worker = spawnServiceWorker('importWorker', task, [task.bytes]);
      let isSaving = false;
      const stopSaving = () => {
        if (!isSaving) return;
        isSaving = false;
        if (--this.saving === 0) this.store.setBusyTimeout(BUSY_DEFAULT_MS);
      };
      let outcome: NonNullable<Job['outcome']> | null = null;
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'phase') {
          if (reply.phase === 'saving' && !isSaving) {
            isSaving = true;
            if (this.saving++ === 0) this.store.setBusyTimeout(BUSY_WHILE_SAVING_MS);
          }
          return;
        }
        outcome = outcomeOf(reply);
      });
      worker.on('error', (err) => {
        console.error('leadbook: import worker crashed', err);
        outcome ??= { phase: 'failed', error: { code: 'INTERNAL', message: 'the import failed' } };
      });
      worker.on('exit', () => {
        stopSaving();
        resolve(
          outcome ?? {
            phase: 'failed',
            error: { code: 'INTERNAL', message: 'the import stopped unexpectedly' },
          },
        );
      });
    });
  }

  /** Small files, and any file for an in-memory database (which a second connection
   * cannot open), run here, through the same code and progress slot. */
  private async runHere(
    job: Job,
    bytes: Uint8Array,
    options: Omit<ImportOptions, 'dryRun'>,
  ): Promise<NonNullable<Job['outcome']>> {
    const progress = (phase: ImportPhase, done: number, total: number) => {
      if (job.slot.cancelled()) throw new ImportCancelledError();
      job.slot.set(phase, done, total);
    };
    try {
      if (job.kind === 'preview')
        return outcomeOf({
          type: 'done',
          preview: await previewImport(this.store, bytes, options, progress),
        });
      const report = await importLeads(this.store, bytes, { ...options, dryRun: false }, progress);
      return outcomeOf({ type: 'done', report });
    } catch (err) {
      if (err instanceof ImportCancelledError) return outcomeOf({ type: 'cancelled' });
      if (err instanceof ApiError) return outcomeOf({ type: 'failed', error: err.toJSON() });
      // Anything else still ends the job (a job left "running" would refuse every later
      // import), and is logged here, not shown.
      console.error('leadbook: import failed', err);
      return outcomeOf({
        type: 'failed',
        error: { code: 'INTERNAL', message: 'the import failed' },
      });
    }
  }
}

function outcomeOf(reply: Exclude<WorkerReply, { type: 'phase' }>): NonNullable<Job['outcome']> {
  switch (reply.type) {
    case 'done':
      return {
        phase: 'done',
        ...(reply.report ? { report: reply.report as ImportReport } : {}),
        ...(reply.preview ? { preview: reply.preview as ImportPreview } : {}),
      };
    case 'cancelled':
      return { phase: 'cancelled' };
    case 'failed':
      return { phase: 'failed', error: reply.error };
  }
}
