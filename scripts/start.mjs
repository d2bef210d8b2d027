// `npm start`: build if needed, then open the desktop app when an Electron binary is
// available; otherwise say so in one line and start web mode in the default browser.
//
// Electron 45+ downloads its binary on first launch (not at install), so on a normal
// machine the first `npm start` fetches it once. Where the download host is unreachable
// the app still runs, in the browser. `--web` skips Electron on purpose.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web') || process.env.LEADBOOK_WEB === '1';
const passThrough = args.filter((a) => a !== '--web');

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-needed'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** Path of a usable Electron binary, downloading it once if needed; null when there is
 * none to be had. */
function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(pkg)) return { binary: null, why: 'the electron package is not installed' };
  const pathFile = path.join(pkg, 'path.txt');
  const installed = () => fs.existsSync(pathFile) && fs.existsSync(path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8')));
  if (!installed()) {
    console.log('leadbook: fetching the Electron binary (first run only)…');
    const r = spawnSync(process.execPath, [path.join(pkg, 'install.js')], { stdio: 'ignore', timeout: 180_000 });
    if (r.status !== 0 || !installed()) return { binary: null, why: 'its binary could not be downloaded' };
  }
  return { binary: path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8')), why: '' };
}

/** better-sqlite3 is compiled for Node by `npm install`; Electron needs a build for its
 * own ABI. It is built once into .cache/ (so the CLI and tests keep theirs) and handed to
 * the main process through LEADBOOK_SQLITE_BINDING. */
function electronSqliteBinding(electronVersion) {
  const cacheDir = path.join(root, '.cache', `better-sqlite3-electron-${electronVersion}`);
  const binding = path.join(cacheDir, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  console.log(`leadbook: building the SQLite module for Electron ${electronVersion} (first run only)…`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), cacheDir, { recursive: true });
  const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const r = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: cacheDir, stdio: 'inherit' },
  );
  return r.status === 0 && fs.existsSync(binding) ? binding : null;
}

function startWeb(reason) {
  if (reason) console.log(`leadbook: Electron is not available (${reason}); starting web mode in your browser instead.`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'leadbook.js'), 'serve', '--open', ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (forceWeb) {
  startWeb('');
} else {
  const { binary, why } = electronBinary();
  if (!binary) {
    startWeb(why);
  } else {
    const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    const binding = electronSqliteBinding(version);
    if (!binding) {
      startWeb('the SQLite module could not be built for Electron');
    } else {
      const child = spawn(binary, [root, ...passThrough], {
        stdio: 'inherit',
        env: { ...process.env, LEADBOOK_SQLITE_BINDING: binding },
      });
      child.on('exit', (code) => process.exit(code ?? 0));
    }
  }
}
