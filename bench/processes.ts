// The benchmark's figures that need the app as a user runs it — its own process (the
// `leadbook` CLI: `serve` for the web app, `import` for a file), measured from outside:
// how long until it answers, and how much memory the process holds (Linux: VmRSS and
// VmHWM from /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** bin/leadbook.js of this checkout (the benchmark runs from the built CLI). */
export function leadbookBin(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'leadbook.js');
    if (fs.existsSync(bin) && fs.existsSync(path.join(dir, 'package.json'))) return bin;
    if (path.dirname(dir) === dir) throw new Error('bin/leadbook.js not found');
  }
}

/** Resident memory of a process in MB, now and at its peak (null off Linux). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    const rss = kb('VmRSS');
    const peak = kb('VmHWM');
    // A process that has just exited (a zombie) has no memory lines.
    if (!Number.isFinite(rss) || !Number.isFinite(peak)) return null;
    return { rssMb: Math.round(rss / 1024), peakMb: Math.round(peak / 1024) };
  } catch {
    return null;
  }
}

/** Asks the kernel to forget cached file pages, so the next open reads from disk (a cold
 * start). Needs root on Linux; answers whether it was done. */
export function dropFileCaches(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

export interface ServedApp {
  child: ChildProcess;
  /** The page to open (with its access token). */
  url: string;
  call<T>(name: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** `leadbook serve` on a file, as a user starts the web app; resolves once it listens. */
export async function serveApp(db: string, env: Record<string, string> = {}): Promise<ServedApp> {
  const child = spawn(process.execPath, [leadbookBin(), 'serve', '--db', db, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const base = url.slice(0, url.indexOf('#'));
  const token = url.slice(url.indexOf('#token=') + 7);
  return {
    child,
    url,
    async call<T>(name: string, input: unknown = {}): Promise<T> {
      const res = await fetch(new URL(`api/call/${name}`, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok?: boolean; result?: T; error?: unknown } & T;
      if (!res.ok) throw new Error(`${name}: ${JSON.stringify(body).slice(0, 300)}`);
      return ('result' in body ? body.result : body) as T;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs `leadbook import FILE` on a database in a process of its own, sampling its memory
 * every half second; answers the time and the memory seen. */
export async function importInProcess(
  db: string,
  file: string,
  log: (line: string) => void,
): Promise<{
  seconds: number;
  report: Record<string, unknown>;
  rssMb: number[];
  peakMb: number | null;
}> {
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [leadbookBin(), 'import', file, '--db', db, '--on-duplicate', 'skip', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const rss: number[] = [];
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const m = child.pid ? memoryOf(child.pid) : null;
    if (m) {
      rss.push(m.rssMb);
      peak = m.peakMb;
    }
  }, 500);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    const last = c.toString().trim().split('\n').at(-1);
    if (last) log(`  ${last.trim()}`);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`leadbook import exited ${code}: ${err.slice(-500)}`);
  return {
    seconds: (performance.now() - start) / 1000,
    report: JSON.parse(out) as Record<string, unknown>,
    rssMb: rss,
    peakMb: peak,
  };
}

/** The first Chromium found (the benchmark's browser figures need one). */
function chromiumPath(): string | null {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (c && fs.existsSync(c)) return c;
  return null;
}

export interface ColdOpen {
  /** The kernel's file cache was dropped first (a cold start from disk). */
  cacheDropped: boolean;
  /** Process start → the server answers. */
  listeningMs: number;
  /** Process start → the first page of leads (with its total) answered by the API. */
  firstListApiMs: number;
  /** Process start → the Leads page showing its first rows in Chromium (null: no browser). */
  firstListPageMs: number | null;
  /** The app process after the leads list, the board and the reports were opened. */
  appRssMb: number | null;
  appPeakMb: number | null;
}

/** Opens a workspace as a user does — `leadbook serve`, the page in Chromium, the Leads
 * page, then the board and the reports — and measures the time to the first list page
 * and the app process's memory after all of them. The browser is started before the
 * clock (a desktop window opens with the app; the browser's own start is not the app's). */
export async function coldOpen(db: string, log: (line: string) => void): Promise<ColdOpen> {
  const browserPath = chromiumPath();
  const profile = fs.mkdtempSync(path.join(path.dirname(db), 'chromium-'));
  const context = browserPath
    ? await (
        await import('playwright-core')
      ).chromium.launchPersistentContext(profile, {
        executablePath: browserPath,
        headless: true,
        locale: 'en-US',
        viewport: { width: 1280, height: 800 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--lang=en-US',
        ],
      })
    : null;
  const cacheDropped = dropFileCaches();
  const start = performance.now();
  const app = await serveApp(db);
  const listeningMs = performance.now() - start;
  try {
    let firstListPageMs: number | null = null;
    let firstListApiMs: number;
    if (context) {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(app.url);
      await page.getByRole('button', { name: 'Leads', exact: true }).click({ timeout: 60_000 });
      // The first lead row drawn with its text (not a loading placeholder), polled from
      // here: the app's CSP rightly refuses scripts evaluated from strings.
      const firstRow = page.locator('[aria-rowindex="2"]');
      for (const deadline = performance.now() + 60_000; ;) {
        const [text, loading] = await Promise.all([
          firstRow.textContent({ timeout: 60_000 }),
          firstRow.locator('.skeleton').count(),
        ]);
        if ((text ?? '').trim() !== '' && loading === 0) break;
        if (performance.now() > deadline) throw new Error('the first list page never showed');
        await new Promise((r) => setTimeout(r, 5));
      }
      firstListPageMs = performance.now() - start;
      log(`  first list page in Chromium after ${Math.round(firstListPageMs)} ms`);
      const t = performance.now();
      await app.call('leads.list', { limit: 100, withTotal: true });
      firstListApiMs = firstListPageMs + (performance.now() - t);
      await page.getByRole('button', { name: 'Pipeline', exact: true }).click();
      await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
      await page.getByTestId('board-card').first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Reports', exact: true }).click();
      await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
      await page.locator('.tile .big').first().waitFor({ timeout: 60_000 });
    } else {
      await app.call('leads.list', { limit: 100, withTotal: true });
      firstListApiMs = performance.now() - start;
      await app.call('opportunities.board', { limit: 500 });
      await app.call('reports.funnel', { from: '2025-01-01', to: '2026-12-31', utcOffset: 0 });
      await app.call('reports.forecast', { utcOffset: 0 });
    }
    const memory = app.child.pid ? memoryOf(app.child.pid) : null;
    return {
      cacheDropped,
      listeningMs: Math.round(listeningMs),
      firstListApiMs: Math.round(firstListApiMs),
      firstListPageMs: firstListPageMs === null ? null : Math.round(firstListPageMs),
      appRssMb: memory?.rssMb ?? null,
      appPeakMb: memory?.peakMb ?? null,
    };
  } finally {
    await app.stop();
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
