// The search re-index worker: rebuilds every search document on its own SQLite connection,
// a page per transaction, into new indexes that are swapped in at the end — so the app
// keeps searching the old ones, and saving, the whole time. Progress lives in shared
// memory.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseKey } from '../store/cipher.js';
import { openStore } from '../store/open.js';
import { REINDEX_PAGE, tableToRebuild } from '../store/store.js';
import { JobSlot } from './jobSlot.js';

export interface SearchIndexTask {
  dbPath: string;
  key: DatabaseKey | null;
  shared: SharedArrayBuffer;
  /** Rows to index in all (for progress). */
  total: number;
}
export type SearchIndexReply =
  { type: 'done'; indexed: number } | { type: 'stopped' } | { type: 'failed' };

async function run(task: SearchIndexTask): Promise<SearchIndexReply> {
  const slot = new JobSlot(task.shared);
  const store = await openStore(task.dbPath, { key: task.key, searchIndex: 'later' });
  try {
    if (store.searchIndexCurrent()) return { type: 'done', indexed: 0 };
    let indexed = 0;
    for (let marks = store.startSearchRebuild(); ;) {
      if (slot.cancelled()) return { type: 'stopped' };
      const table = tableToRebuild(marks);
      if (!table) break;
      const page = store.rebuildSearchPage(table, REINDEX_PAGE);
      indexed += page.count;
      marks = page.marks;
      slot.set('saving', indexed, Math.max(task.total, indexed));
    }
    store.finishSearchRebuild();
    return { type: 'done', indexed };
  } finally {
    store.close();
  }
}

run(workerData as SearchIndexTask)
  .catch((err: unknown): SearchIndexReply => {
    console.error('leadbook: search re-index failed', err);
    return { type: 'failed' };
  })
  .then((reply) => parentPort?.postMessage(reply));
