// What the main thread and an import worker share: the task handed over, the replies sent
// back, and a slot of shared memory holding progress and the cancel flag.
import type { ApiErrorShape, ImportPreview, ImportReport } from '../contract/index.js';
import type { DatabaseKey } from '../store/cipher.js';
import type { ImportOptions, ImportPhase } from './importLeads.js';

export interface WorkerTask {
  kind: 'preview' | 'run';
  dbPath: string;
  key: DatabaseKey | null;
  /** The file's bytes, transferred (not copied) to the worker; or the path of an upload,
   * which the worker reads itself (a big CSV a batch at a time). */
  source: { bytes: ArrayBuffer } | { path: string };
  options: Omit<ImportOptions, 'dryRun'>;
  author: string | null;
  shared: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'phase'; phase: ImportPhase }
  | { type: 'done'; report?: ImportReport; preview?: ImportPreview }
  | { type: 'cancelled' }
  | { type: 'failed'; error: ApiErrorShape };
