// `npm run dev`: the API in web mode on a fixed port plus Vite's dev server with hot
// reload, proxying /api to it. Open the printed Vite URL with the token fragment.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.LEADBOOK_API_PORT ?? '5174';
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(1);
// Development runs with the store's write guard on, as the tests do.
const api = spawn(
  process.execPath,
  [path.join(root, 'bin', 'leadbook.js'), 'serve', '--port', apiPort, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, LEADBOOK_WRITE_GUARD: process.env.LEADBOOK_WRITE_GUARD ?? '1' },
  },
);
const vite = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js')], {
  stdio: 'inherit',
  env: { ...process.env, LEADBOOK_API_PORT: apiPort },
});
const stop = () => {
  api.kill();
  vite.kill();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
api.on('exit', stop);
vite.on('exit', stop);
