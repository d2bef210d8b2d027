// The import worker: runs one import (or its preview) on its own SQLite connection, off
// the main thread, so the app keeps answering while 100 000 rows are read, checked and
// saved. Progress and the cancel flag live in shared memory (see importJobs.ts): the
// main thread reads progress whenever it is asked, without a message per row.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../contract/index.js';
import { openStore } from '../store/open.js';
import { storageError } from './storageErrors.js';
import {
  ImportCancelledError,
  importLeads,
  importLeadsFromFile,
  previewImport,
  previewImportFromFile,
  type ImportOptions,
} from './importLeads.js';
import type { WorkerReply, WorkerTask } from './importJobProtocol.js';
import { JobSlot, phaseCodes } from './jobSlot.js';

async function run(task: WorkerTask): Promise<WorkerReply> {
  const slot = new JobSlot(task.shared);
  const progress = (phase: keyof typeof phaseCodes, done: number, total: number) => {
    if (slot.cancelled()) throw new ImportCancelledError();
    const changed = slot.phase() !== phaseCodes[phase];
    slot.set(phase, done, total);
    // A phase change is also told by message: the main thread shortens its own wait for
    // the write lock while this worker saves.
    if (changed) parentPort?.postMessage({ type: 'phase', phase } satisfies WorkerReply);
  };
  // The app's search-index job rebuilds an outdated index; this worker leaves it.
  const store = await openStore(task.dbPath, { key: task.key, searchIndex: 'later' });
  try {
    store.setAuthor(task.author);
    const { source } = task;
    if (task.kind === 'preview') {
      const preview =
        'path' in source
          ? await previewImportFromFile(store, source.path, task.options, progress)
          : await previewImport(store, new Uint8Array(source.bytes), task.options, progress);
      return { type: 'done', preview };
    }
    const options: ImportOptions = { ...task.options, dryRun: false };
    const report =
      'path' in source
        ? await importLeadsFromFile(store, source.path, options, progress)
        : await importLeads(store, new Uint8Array(source.bytes), options, progress);
    return { type: 'done', report };
  } finally {
    store.close();
  }
}

const task = workerData as WorkerTask;
run(task)
  .catch((err: unknown): WorkerReply => {
    if (err instanceof ImportCancelledError) return { type: 'cancelled' };
    if (err instanceof ApiError) return { type: 'failed', error: err.toJSON() };
    // A full disk, a read-only file: said as the app says it, not as "the import failed".
    const stored = storageError(err);
    if (stored) return { type: 'failed', error: stored.toJSON() };
    console.error('leadbook: import worker failed', err);
    return { type: 'failed', error: { code: 'INTERNAL', message: 'the import failed' } };
  })
  .then((reply) => parentPort?.postMessage(reply));
