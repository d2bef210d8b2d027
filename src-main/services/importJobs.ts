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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMPORT_LIMITS } from '../domain/importFile.js';
import {
  ImportCancelledError,
  importLeads,
  importLeadsFromFile,
  previewImport,
  previewImportFromFile,
  STREAM_FROM_BYTES,
  type ImportOptions,
  type ImportPhase,
} from './importLeads.js';
import { isStreamableTableSync } from './importSource.js';
import { storageError } from './storageErrors.js';
import { type WorkerReply, type WorkerTask } from './importJobProtocol.js';
import { JobSlot } from './jobSlot.js';
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
  importing: { from: 0, span: 1 },
};
const previewWeights: Record<ImportPhase, { from: number; span: number }> = {
  reading: { from: 0, span: 0.1 },
  checking: { from: 0.1, span: 0.9 },
  saving: { from: 1, span: 0 },
  importing: { from: 0, span: 1 },
};

/** A file too big to travel in one call: sent in chunks to a temporary file, which a
 * preview and then the import read from disk (a big CSV a batch at a time). */
interface Upload {
  file: string;
  bytes: number;
  touchedAt: number;
}
/** An upload nobody has added to or imported for this long is removed. */
const UPLOAD_IDLE_MS = 60 * 60_000;

/** What an import reads: bytes sent whole, an upload, or a file on disk the caller owns
 * (the CLI's). */
export type ImportSourceRef = { bytes: Uint8Array } | { upload: string } | { file: string };

/** The heap of a worker importing a big CSV a batch at a time. Its live data is one
 * batch; without a bound V8 lets garbage grow the process to ~1 GB before collecting
 * (measured: docs/benchmarks.md, issue 21). */
const STREAMED_IMPORT_HEAP_MB = 256;

interface Job {
  id: string;
  kind: 'preview' | 'run';
  fileName: string;
  startedAt: number;
  slot: JobSlot;
  /** Set once the job has ended. */
  outcome: Pick<ImportJobState, 'phase' | 'preview' | 'report' | 'error'> | null;
  ended: Promise<void>;
  /** The upload it reads, when it reads one. */
  upload?: string;
}

/** The file as a worker gets it: bytes, or the path of an upload and its size. */
type WorkerInput = { bytes: Uint8Array } | { path: string; bytes: number };

export type ImportJobKind = Job['kind'];

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private saving = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  private readonly uploads = new Map<string, Upload>();
  private uploadDir: string | null = null;

  /** Adds a chunk to an upload (a new one without `id`). `offset` must be the bytes
   * received so far: a chunk sent twice (a retry) is refused, not appended twice. */
  upload(id: string | undefined, offset: number, chunk: Uint8Array): { id: string; bytes: number } {
    this.forgetIdleUploads();
    let upload = id ? this.uploads.get(id) : undefined;
    if (id && !upload) throw new ApiError('NOT_FOUND', `upload ${id} not found`);
    const have = upload?.bytes ?? 0;
    // Checked before anything is written: a refused chunk leaves no trace.
    if (offset !== have)
      throw new ApiError('CONFLICT', `the upload has ${have} bytes; got a chunk for ${offset}`);
    if (have + chunk.length > IMPORT_LIMITS.maxStreamedBytes)
      throw new ApiError(
        'BAD_INPUT',
        `the file is over ${IMPORT_LIMITS.maxStreamedBytes / 1024 / 1024} MB; split it`,
        [{ path: 'chunk', message: 'too large', code: 'too_large' }],
      );
    if (!upload) {
      this.uploadDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-uploads-'));
      id = newId();
      upload = { file: path.join(this.uploadDir, `${id}.part`), bytes: 0, touchedAt: this.now() };
      fs.writeFileSync(upload.file, new Uint8Array(0), { mode: 0o600 });
      this.uploads.set(id, upload);
    }
    fs.appendFileSync(upload.file, chunk);
    upload.bytes += chunk.length;
    upload.touchedAt = this.now();
    return { id: id!, bytes: upload.bytes };
  }

  private forgetIdleUploads(): void {
    const inUse = new Set([...this.jobs.values()].filter((j) => !j.outcome).map((j) => j.upload));
    for (const [id, u] of this.uploads)
      if (!inUse.has(id) && this.now() - u.touchedAt > UPLOAD_IDLE_MS) this.removeUpload(id);
  }

  private removeUpload(id: string): void {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.uploads.delete(id);
    fs.rmSync(upload.file, { force: true });
  }

  start(
    kind: ImportJobKind,
    source: ImportSourceRef,
    options: Omit<ImportOptions, 'dryRun'>,
  ): ImportJobState {
    const upload = 'upload' in source ? this.uploads.get(source.upload) : undefined;
    if ('upload' in source && !upload)
      throw new ApiError('NOT_FOUND', `upload ${source.upload} not found`);
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
      ...('upload' in source ? { upload: source.upload } : {}),
    };
    if (upload) upload.touchedAt = this.now();
    const input: WorkerInput =
      'bytes' in source
        ? { bytes: source.bytes }
        : 'file' in source
          ? { path: source.file, bytes: fs.statSync(source.file).size }
          : { path: upload!.file, bytes: upload!.bytes };
    const size = 'path' in input ? input.bytes : input.bytes.length;
    const inWorker = this.store.path !== ':memory:' && size >= WORKER_MIN_BYTES;
    job.ended = (
      inWorker ? this.runInWorker(job, input, options) : this.runHere(job, input, options)
    ).then((outcome) => {
      job.outcome = outcome;
      // The upload is read by the preview and then by the import: gone once imported.
      if (kind === 'run' && job.upload && outcome.phase !== 'failed') this.removeUpload(job.upload);
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

  /** On quit: every running job is cancelled (its writes roll back) and awaited; uploads
   * are removed. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) if (!job.outcome) job.slot.cancel();
    await Promise.all([...this.jobs.values()].map((j) => j.ended));
    for (const id of [...this.uploads.keys()]) this.removeUpload(id);
    if (this.uploadDir) fs.rmSync(this.uploadDir, { recursive: true, force: true });
    this.uploadDir = null;
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
    input: WorkerInput,
    options: Omit<ImportOptions, 'dryRun'>,
  ): Promise<NonNullable<Job['outcome']>> {
    // A copy the worker owns: a Buffer decoded from base64 may share its memory.
    const owned =
      'path' in input
        ? null
        : (input.bytes.buffer.slice(
            input.bytes.byteOffset,
            input.bytes.byteOffset + input.bytes.byteLength,
          ) as ArrayBuffer);
    const task: WorkerTask = {
      kind: job.kind,
      dbPath: this.store.path,
      key: this.store.key,
      source: owned ? { bytes: owned } : { path: (input as { path: string }).path },
      options,
      author: this.store.getAuthor(),
      shared: job.slot.shared,
    };
    // A CSV read in pieces gets a bounded heap (a file read whole may need more).
    const bounded =
      'path' in input &&
      input.bytes > (options.pieces?.fromBytes ?? STREAM_FROM_BYTES) &&
      isStreamableTableSync(input.path);
    return new Promise((resolve) => {
      const worker = spawnServiceWorker(
        'importWorker',
        task,
        owned ? [owned] : [],
        bounded ? { maxOldGenerationSizeMb: STREAMED_IMPORT_HEAP_MB } : undefined,
      );
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
    input: WorkerInput,
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
          preview:
            'path' in input
              ? await previewImportFromFile(this.store, input.path, options, progress)
              : await previewImport(this.store, input.bytes, options, progress),
        });
      const run = { ...options, dryRun: false };
      const report =
        'path' in input
          ? await importLeadsFromFile(this.store, input.path, run, progress)
          : await importLeads(this.store, input.bytes, run, progress);
      return outcomeOf({ type: 'done', report });
    } catch (err) {
      if (err instanceof ImportCancelledError) return outcomeOf({ type: 'cancelled' });
      if (err instanceof ApiError) return outcomeOf({ type: 'failed', error: err.toJSON() });
      const stored = storageError(err);
      if (stored) return outcomeOf({ type: 'failed', error: stored.toJSON() });
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
