// `leadbook bench --sync`: team sync measured on loopback beside its floors, on the
// embedded SQLite store and (when PostgreSQL's programs are installed, or DATABASE_URL is
// set) on PostgreSQL:
//  - push of a demo workspace's whole log to an empty server, entries/s;
//  - a new laptop's first pull + apply of that workspace, against bare INSERTs of the
//    same final rows into the same schema (the floor);
//  - one edit on laptop A visible on laptop B through the live channel, p50/p95;
//  - N simulated laptops pushing and pulling for a fixed time: entries/s, p95, errors.
// Every loop is bounded in count and time; everything talks to 127.0.0.1 only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { syncedTables, type SyncEntry } from '../src-main/contract/index.js';
import { generateDemo } from '../src-main/services/demo.js';
import { ensureDefaults } from '../src-main/services/defaults.js';
import { openStore } from '../src-main/store/open.js';
import type { Store } from '../src-main/store/store.js';
import { syncedColumnsOf } from '../src-main/store/syncSchema.js';
import { SyncClient } from '../src-main/sync/client.js';
import { SyncEngine } from '../src-main/sync/engine.js';
import { connectPeer } from '../src-main/sync/peers.js';
import { spawn } from 'node:child_process';
import { openLogStore } from '../src-server/server.js';
import { startPostgres, type TestPostgres } from './pgCluster.js';

export interface SyncLoad {
  laptops: number;
  seconds: number;
  requests: number;
  entriesPushed: number;
  entriesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
}

export interface SyncStoreFigures {
  store: 'sqlite' | 'postgres';
  push: { entries: number; seconds: number; entriesPerSecond: number };
  load: SyncLoad;
}

export interface SyncBenchReport {
  leads: number;
  logEntries: number;
  node: string;
  cpus: number;
  demoBuildSeconds: number;
  stores: SyncStoreFigures[];
  postgresSkipped: string | null;
  firstPull: { seconds: number; floorSeconds: number; ratio: number; entries: number };
  liveEdit: { p50Ms: number; p95Ms: number; samples: number };
  targets: { name: string; measured: string; limit: string; met: boolean }[];
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function laptopStore(file: string, url: string, token: string, engine = {}) {
  const store = await openStore(file);
  ensureDefaults(store);
  const peer = connectPeer(store, { url, token, kind: 'server' });
  return {
    store,
    // The app's own batch sizes: what a laptop does is what is measured.
    engine: new SyncEngine(store, peer.id, { live: false, ...engine }),
  };
}

/** The server under test, in a process of its own (as it runs for a team): the laptops
 * simulated here do not share its event loop. */
interface BenchServer {
  url: string;
  token(user: string): Promise<string>;
  stop(): Promise<void>;
}

async function spawnServer(store: {
  dataFile?: string;
  databaseUrl?: string;
}): Promise<BenchServer> {
  const here = import.meta.dirname;
  const bin = [
    path.resolve(here, '..', '..', 'bin', 'leadbook.js'),
    path.resolve(here, '..', 'bin', 'leadbook.js'),
  ].find((p) => fs.existsSync(p));
  if (!bin) throw new Error('bin/leadbook.js not found');
  const args = ['sync-server', '--host', '127.0.0.1', '--port', '0', '--json'];
  if (store.dataFile) args.push('--data', store.dataFile);
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: store.databaseUrl ?? '' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{') && l.includes('"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`sync-server exited ${code}: ${err.slice(-300)}`)));
  });
  const admin = await openLogStore({ dataFile: store.dataFile, databaseUrl: store.databaseUrl });
  return {
    url,
    token: async (user) => (await admin.store.createToken({ user })).token,
    stop: async () => {
      await admin.database.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** Pushes the donor's whole log through the real engine; seconds. */
async function measurePush(donorFile: string, server: BenchServer, dir: string, name: string) {
  const copy = path.join(dir, `${name}-donor.db`);
  fs.copyFileSync(donorFile, copy);
  const token = await server.token(`donor-${name}`);
  const l = await laptopStore(copy, server.url, token);
  const t0 = performance.now();
  const out = await l.engine.syncOnce();
  const seconds = (performance.now() - t0) / 1000;
  await l.engine.stop();
  l.store.close();
  return {
    entries: out.pushed,
    seconds: round(seconds),
    entriesPerSecond: Math.round(out.pushed / seconds),
  };
}

/** Bare INSERTs of the final rows of every synced table into an empty file of the same
 * schema, in one transaction: what a first pull cannot beat. */
function insertFloor(donor: Store, dir: string): Promise<number> {
  return (async () => {
    const file = path.join(dir, 'floor.db');
    (await openStore(file)).close();
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The real store keeps its rows searchable too: the floor pays for that as well.
    const rows = Object.keys(syncedTables).map((table) => {
      const cols = ['id', ...[...syncedColumnsOf(table as keyof typeof syncedTables)]];
      const data = donor.read((r) =>
        r.all(r.qb.selectFrom(table as 'leads').select(cols as never[])),
      ) as Record<string, unknown>[];
      return { table, cols, data };
    });
    const t0 = performance.now();
    db.transaction(() => {
      for (const { table, cols, data } of rows) {
        const st = db.prepare(
          `INSERT OR REPLACE INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        );
        for (const row of data) st.run(...cols.map((c) => row[c] as never));
      }
    })();
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return seconds;
  })();
}

/** Laptop A edits a lead; how long until laptop B, listening live, has the new value. */
async function measureLiveEdits(server: BenchServer, dir: string, samples: number) {
  const ta = await server.token('live-a');
  const tb = await server.token('live-b');
  const a = await laptopStore(path.join(dir, 'live-a.db'), server.url, ta, {
    live: true,
    debounceMs: 5,
  });
  const b = await laptopStore(path.join(dir, 'live-b.db'), server.url, tb, {
    live: true,
    debounceMs: 5,
  });
  const lead = a.store.write((tx) => tx.insert('leads', { name: '实时', company: 'x' }));
  await a.engine.syncOnce();
  await b.engine.syncOnce();
  a.engine.start();
  b.engine.start();
  await new Promise((r) => setTimeout(r, 500));
  const times: number[] = [];
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < samples && Date.now() < deadline; i++) {
    const value = `第 ${i} 次`;
    const seen = new Promise<number>((resolve) => {
      const off = b.store.onChange((e) => {
        if (e.origin !== 'sync') return;
        const row = b.store.read((r) =>
          r.first(r.qb.selectFrom('leads').select('notes').where('id', '=', lead)),
        );
        if (row?.notes === value) {
          off();
          resolve(performance.now());
        }
      });
      setTimeout(() => {
        off();
        resolve(Number.NaN);
      }, 5_000);
    });
    const t0 = performance.now();
    a.store.write((tx) => tx.update('leads', lead, { notes: value }));
    const at = await seen;
    if (!Number.isNaN(at)) times.push(at - t0);
    await new Promise((r) => setTimeout(r, 30));
  }
  await a.engine.stop();
  await b.engine.stop();
  a.store.close();
  b.store.close();
  return { p50Ms: pct(times, 50), p95Ms: pct(times, 95), samples: times.length };
}

/** N laptops (HTTP clients with their own tokens and clocks), each pushing a few new
 * entries then pulling, in a loop, for `seconds`. */
async function measureLoad(
  server: BenchServer,
  laptops: number,
  seconds: number,
): Promise<SyncLoad> {
  const clients = await Promise.all(
    Array.from({ length: laptops }, async (_, i) => ({
      client: new SyncClient(server.url, await server.token(`load-${i}`)),
      node: (0x1000000000000000 + i).toString(16).slice(-16).padStart(16, 'a'),
      counter: 0,
      after: 0,
      afterHlc: null as string | null,
    })),
  );
  const latencies: number[] = [];
  let errors = 0;
  let pushed = 0;
  let requests = 0;
  const end = Date.now() + seconds * 1000;
  const maxRequestsPerLaptop = 100_000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      // Start at a pull cursor near the head: a laptop already in sync.
      for (let n = 0; n < maxRequestsPerLaptop && Date.now() < end; n++) {
        const now = Date.now();
        const entries: SyncEntry[] = Array.from({ length: 5 }, () => {
          c.counter = (c.counter + 1) % 0xffff;
          return {
            hlc: `${String(now).padStart(15, '0')}-${c.counter.toString(16).padStart(4, '0')}-${c.node}`,
            table: 'leads',
            rowId: `load-${i}-${n}`,
            fields: { name: `负载 ${i}`, notes: 'x'.repeat(200), budget_amount: n },
          };
        });
        try {
          let t0 = performance.now();
          const res = await c.client.push(entries);
          latencies.push(performance.now() - t0);
          pushed += res.accepted;
          requests++;
          // A laptop already in sync: its cursor starts at its own first entry.
          if (c.after === 0 && res.last) {
            c.after = res.last.seq;
            c.afterHlc = res.last.hlc;
          }
          t0 = performance.now();
          for (;;) {
            const page = await c.client.pull(c.after, c.after > 0 ? c.afterHlc : null, 2000);
            requests++;
            c.after = page.next;
            c.afterHlc = page.nextHlc;
            if (!page.more) break;
          }
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
        // A laptop syncs a few times a second at most.
        await new Promise((r) => setTimeout(r, 100));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    laptops,
    seconds: round(elapsed, 1),
    requests,
    entriesPushed: pushed,
    entriesPerSecond: Math.round(pushed / elapsed),
    p50Ms: pct(latencies, 50),
    p95Ms: pct(latencies, 95),
    errors,
  };
}

export async function runSyncBenchmark(options: {
  leads: number;
  laptops?: number;
  loadSeconds?: number;
  log?: (line: string) => void;
}): Promise<SyncBenchReport> {
  const log = options.log ?? (() => undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-syncbench-'));
  const laptops = options.laptops ?? 50;
  const loadSeconds = options.loadSeconds ?? 60;
  let pg: TestPostgres | null = null;
  try {
    log(`demo: building ${options.leads} leads…`);
    const donorFile = path.join(dir, 'donor.db');
    const donor = await openStore(donorFile);
    let t0 = performance.now();
    ensureDefaults(donor);
    generateDemo(donor, { leads: options.leads, locale: 'zh-CN', seed: 7 });
    const demoBuildSeconds = round((performance.now() - t0) / 1000, 1);
    const logEntries = donor.logHead();
    donor.close();

    const stores: SyncStoreFigures[] = [];
    let postgresSkipped: string | null = null;
    let firstPull: SyncBenchReport['firstPull'] | null = null;
    let liveEdit: SyncBenchReport['liveEdit'] | null = null;
    const kinds: ('sqlite' | 'postgres')[] = ['sqlite', 'postgres'];
    for (const kind of kinds) {
      let databaseUrl: string | undefined;
      if (kind === 'postgres') {
        try {
          if (process.env.DATABASE_URL) databaseUrl = process.env.DATABASE_URL;
          else {
            pg = await startPostgres({ fsync: true });
            databaseUrl = await pg.createDatabase('syncbench');
          }
        } catch (err) {
          postgresSkipped = (err as Error).message;
          log(`postgres: skipped (${postgresSkipped})`);
          continue;
        }
      }
      const server = await spawnServer(
        databaseUrl ? { databaseUrl } : { dataFile: path.join(dir, 'server.db') },
      );
      try {
        log(`${kind}: push of ${logEntries} entries…`);
        const push = await measurePush(donorFile, server, dir, kind);
        if (kind === 'sqlite') {
          log('first pull + apply on a new laptop…');
          const token = await server.token('new-laptop');
          const fresh = await laptopStore(path.join(dir, 'fresh.db'), server.url, token);
          t0 = performance.now();
          const out = await fresh.engine.syncOnce();
          const seconds = (performance.now() - t0) / 1000;
          const donorStore = await openStore(donorFile);
          const floorSeconds = await insertFloor(donorStore, dir);
          donorStore.close();
          fresh.store.close();
          firstPull = {
            seconds: round(seconds),
            floorSeconds: round(floorSeconds),
            ratio: round(seconds / floorSeconds, 1),
            entries: out.pulled,
          };
          log('live edits A → B…');
          liveEdit = await measureLiveEdits(server, dir, 60);
        }
        log(`${kind}: ${laptops} laptops for ${loadSeconds} s…`);
        const load = await measureLoad(server, laptops, loadSeconds);
        stores.push({ store: kind, push, load });
      } finally {
        await server.stop();
      }
    }
    const report: SyncBenchReport = {
      leads: options.leads,
      logEntries,
      node: process.version,
      cpus: os.cpus().length,
      demoBuildSeconds,
      stores,
      postgresSkipped,
      firstPull: firstPull!,
      liveEdit: liveEdit!,
      targets: [],
    };
    report.targets.push(
      {
        name: 'first pull + apply ≤ 3× bare INSERT',
        measured: `${report.firstPull.ratio}×`,
        limit: '3×',
        met: report.firstPull.ratio <= 3,
      },
      {
        name: 'edit A → B live p95 ≤ 250 ms',
        measured: `${report.liveEdit.p95Ms} ms`,
        limit: '250 ms',
        met: report.liveEdit.p95Ms <= 250,
      },
      ...stores.flatMap((s) => [
        {
          name: `${s.store}: ${s.load.laptops} laptops, 0 errors`,
          measured: String(s.load.errors),
          limit: '0',
          met: s.load.errors === 0,
        },
        {
          name: `${s.store}: ${s.load.laptops} laptops, p95 ≤ 200 ms`,
          measured: `${s.load.p95Ms} ms`,
          limit: '200 ms',
          met: s.load.p95Ms <= 200,
        },
      ]),
    );
    return report;
  } finally {
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSyncReport(r: SyncBenchReport): string {
  return [
    `Leadbook sync benchmark — ${r.leads} leads (${r.logEntries} log entries), Node ${r.node}, ${r.cpus} CPUs, loopback`,
    `demo build:               ${r.demoBuildSeconds} s`,
    ...r.stores.map(
      (s) =>
        `push to empty ${s.store.padEnd(8)}:  ${s.push.entriesPerSecond} entries/s (${s.push.entries} in ${s.push.seconds} s)`,
    ),
    `first pull + apply:       ${r.firstPull.seconds} s (${r.firstPull.entries} entries)   floor (bare INSERT of the rows) ${r.firstPull.floorSeconds} s   → ${r.firstPull.ratio}×`,
    `edit A → B (live):        p50 ${r.liveEdit.p50Ms} ms  p95 ${r.liveEdit.p95Ms} ms  (${r.liveEdit.samples} samples)`,
    ...r.stores.map(
      (s) =>
        `${s.load.laptops} laptops, ${s.store.padEnd(8)}: ${s.load.entriesPerSecond} entries/s pushed, ${s.load.requests} requests in ${s.load.seconds} s, p50 ${s.load.p50Ms} ms  p95 ${s.load.p95Ms} ms, ${s.load.errors} errors`,
    ),
    ...(r.postgresSkipped ? [`PostgreSQL skipped: ${r.postgresSkipped}`] : []),
    '',
    'targets:',
    ...r.targets.map(
      (t) => `  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured} (target ${t.limit})`,
    ),
  ].join('\n');
}
