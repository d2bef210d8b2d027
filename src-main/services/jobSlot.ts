// A slot of shared memory between the main thread and a worker (import, rescore, search
// re-index): the worker writes its phase and progress there without a message per step,
// and the main thread sets the cancel flag the worker polls.

/** What a job is doing: reading its input, checking rows, saving them, or importing a big
 * file a batch at a time (checking and saving in turn). */
export type JobPhase = 'reading' | 'checking' | 'saving' | 'importing';

export const phaseCodes: Record<JobPhase, number> = {
  reading: 1,
  checking: 2,
  saving: 3,
  importing: 4,
};
const phaseNames = Object.fromEntries(
  Object.entries(phaseCodes).map(([name, code]) => [code, name as JobPhase]),
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
  set(phase: JobPhase, done: number, total: number): void {
    Atomics.store(this.cells, TOTAL, total);
    Atomics.store(this.cells, DONE, done);
    Atomics.store(this.cells, PHASE, phaseCodes[phase]);
  }
  phase(): number {
    return Atomics.load(this.cells, PHASE);
  }
  read(): { phase: JobPhase; done: number; total: number } {
    return {
      phase: phaseNames[Atomics.load(this.cells, PHASE)] ?? 'reading',
      done: Atomics.load(this.cells, DONE),
      total: Atomics.load(this.cells, TOTAL),
    };
  }
}
