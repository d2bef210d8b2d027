// Starting a service worker thread: the compiled script beside this file, or — when
// running from the TypeScript sources (tests, `npm run dev`) — the source loaded through
// tsx. Imports and bulk rescoring run this way, on their own SQLite connection.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

export type ServiceWorkerName =
  'importWorker' | 'rescoreWorker' | 'maintenanceWorker' | 'searchIndexWorker' | 'cardWorker';

export function spawnServiceWorker(
  name: ServiceWorkerName,
  workerData: unknown,
  transferList: Transferable[] = [],
  resourceLimits?: ResourceLimits,
): Worker {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  const options = { workerData, transferList, ...(resourceLimits ? { resourceLimits } : {}) };
  if (fs.existsSync(fileURLToPath(compiled)))
    return new Worker(compiled, { ...options, execArgv: [] });
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
