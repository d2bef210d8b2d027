// Running one maintenance task (services/maintenanceWorker.ts) on a worker thread.
import type { CheckResult, DatabaseSummary } from '../store/maintenance.js';
import type { DatabaseKey } from '../store/cipher.js';
import { spawnServiceWorker } from './workers.js';

export type MaintenanceTask =
  | { kind: 'backup'; dbPath: string; key: DatabaseKey | null; destination: string }
  | { kind: 'check'; file: string; key: DatabaseKey | null; quick: boolean }
  | { kind: 'summary'; files: string[]; key: DatabaseKey | null };

export type MaintenanceReply =
  | { kind: 'done' }
  | { kind: 'check'; result: CheckResult }
  | { kind: 'summary'; summaries: (DatabaseSummary | null)[] }
  | { kind: 'failed'; message: string; code: string | null };

/** A failure inside the worker, with SQLite's code kept (SQLITE_FULL → "disk full"). */
export class MaintenanceError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'MaintenanceError';
  }
}

export function runMaintenance(task: MaintenanceTask): Promise<MaintenanceReply> {
  return new Promise((resolve, reject) => {
    const worker = spawnServiceWorker('maintenanceWorker', task);
    let reply: MaintenanceReply | null = null;
    worker.on('message', (r: MaintenanceReply) => (reply = r));
    worker.on('error', reject);
    worker.on('exit', () => {
      const r = reply as MaintenanceReply | null;
      if (!r) reject(new Error('the maintenance worker stopped without answering'));
      else if (r.kind === 'failed') reject(new MaintenanceError(r.message, r.code));
      else resolve(r);
    });
  });
}
