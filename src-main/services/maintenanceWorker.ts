// The maintenance worker: copies, checks and summarises database files on its own
// connection, so the window never waits for a 100 000-lead backup or a full check.
import { parentPort, workerData } from 'node:worker_threads';
import {
  backupDatabaseFile,
  checkDatabaseFile,
  summarizeDatabaseFile,
} from '../store/maintenance.js';
import type { MaintenanceReply, MaintenanceTask } from './maintenanceTask.js';

function run(task: MaintenanceTask): MaintenanceReply {
  switch (task.kind) {
    case 'backup':
      backupDatabaseFile(task.dbPath, task.key, task.destination);
      return { kind: 'done' };
    case 'check':
      return { kind: 'check', result: checkDatabaseFile(task.file, task.key, task.quick) };
    case 'summary':
      return {
        kind: 'summary',
        summaries: task.files.map((file) => {
          try {
            return summarizeDatabaseFile(file, task.key);
          } catch {
            return null;
          }
        }),
      };
  }
}

let reply: MaintenanceReply;
try {
  reply = run(workerData as MaintenanceTask);
} catch (err) {
  const e = err as { message?: string; code?: string };
  reply = { kind: 'failed', message: e.message ?? String(err), code: e.code ?? null };
}
parentPort?.postMessage(reply);
