// Builds the main process (tsc → dist/src-main, dist/migrations, dist/bench) and the
// renderer (vite → dist/renderer). `--if-needed` skips the build when dist is newer than
// every source file, so `npm start`, `npm run test:e2e` and `npm install` stay quick.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['src-main', 'src-server', 'src-renderer', 'migrations', 'bench', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const outputs = ['dist/src-main/cli/index.js', 'dist/src-main/electron/preload.cjs', 'dist/renderer/index.html'];

function newest(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(full).map((f) => newest(path.join(p, f))));
}

function upToDate() {
  const built = outputs.map((o) => newest(o));
  if (built.some((t) => t === 0)) return false;
  return Math.min(...built) >= Math.max(...sources.map(newest));
}

function run(cmd, args) {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', ...cmd), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv.includes('--if-needed') && upToDate()) process.exit(0);
if (!fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
  // An install without dev dependencies (a packaged app) has nothing to build.
  console.log('leadbook: build tools not installed; skipping build');
  process.exit(0);
}
fs.rmSync(path.join(root, 'dist', 'src-main'), { recursive: true, force: true });
run(['typescript', 'bin', 'tsc'], ['-p', 'tsconfig.build.json']);
run(['vite', 'bin', 'vite.js'], ['build', '--logLevel', 'warn']);
