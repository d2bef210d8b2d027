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

export const phaseCodes: Record<ImportPhase, number> = {
  reading: 1,
  checking: 2,
  saving: 3,
  importing: 4,
};
const phaseNames = Object.fromEntries(
  Object.entries(phaseCodes).map(([name, code]) => [code, name as ImportPhase]),
);

const CANCEL = 0;
const PHASE = 1;
const DONE = 2;
const TOTAL = 3;

/** Four 32-bit cells: cancel flag, phase, rows done, rows in the phase. */
export class JobSlot {
  static readonly bytes = 4 * Int32Array.BYTES_PER_ELEMENT;
  private readonly cells: Int32Array;
  constructor(readonly shared: SharedArrayBuffer) {
    this.cells = new Int32Array(shared);
  }
  cancel(): void {
    Atomics.store(this.cells, CANCEL, 1);
  }
  cancelled(): boolean {
    return Atomics.load(this.cells, CANCEL) === 1;
  }
  set(phase: ImportPhase, done: number, total: number): void {
    Atomics.store(this.cells, TOTAL, total);
    Atomics.store(this.cells, DONE, done);
    Atomics.store(this.cells, PHASE, phaseCodes[phase]);
  }
  phase(): number {
    return Atomics.load(this.cells, PHASE);
  }
  read(): { phase: ImportPhase; done: number; total: number } {
    return {
      phase: phaseNames[Atomics.load(this.cells, PHASE)] ?? 'reading',
      done: Atomics.load(this.cells, DONE),
      total: Atomics.load(this.cells, TOTAL),
    };
  }
}
