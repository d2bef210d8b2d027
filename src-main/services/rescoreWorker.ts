// The bulk-rescoring worker: rescores every lead on its own SQLite connection, a page per
// transaction, off the main thread. Progress and the stop flag live in shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseKey } from '../store/cipher.js';
import { openStore } from '../store/open.js';
import { JobSlot } from './jobSlot.js';
import { rescoreInPages } from './scoring.js';

export interface RescoreTask {
  dbPath: string;
  key: DatabaseKey | null;
  shared: SharedArrayBuffer;
}
export type RescoreReply =
  { type: 'done'; rescored: number } | { type: 'stopped' } | { type: 'failed' };

class Stopped extends Error {}

async function run(task: RescoreTask): Promise<RescoreReply> {
  const slot = new JobSlot(task.shared);
  // The app's search-index job rebuilds an outdated index; this worker leaves it.
  const store = await openStore(task.dbPath, { key: task.key, searchIndex: 'later' });
  try {
    const rescored = rescoreInPages(store, (done, total) => {
      if (slot.cancelled()) throw new Stopped();
      slot.set('saving', done, total);
    });
    return { type: 'done', rescored };
  } finally {
    store.close();
  }
}

run(workerData as RescoreTask)
  .catch((err: unknown): RescoreReply => {
    if (err instanceof Stopped) return { type: 'stopped' };
    console.error('leadbook: rescoring failed', err);
    return { type: 'failed' };
  })
  .then((reply) => parentPort?.postMessage(reply));
