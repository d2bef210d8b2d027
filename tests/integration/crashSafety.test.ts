// Crash safety, tested on real processes: the CLI or the web-mode server is killed with
// SIGKILL (no chance to clean up) in the middle of a 100 000-row import, a bulk update, a
// run of conversions and a migration. Reopening must find an intact file (PRAGMA
// integrity_check), each transaction there whole or not at all, and the change log
// matching the rows it describes.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { checkDatabaseFile } from '../../src-main/store/maintenance.js';
import { openStore } from '../../src-main/store/open.js';
import { openSqlite } from '../../src-main/store/sqlite.js';
import { spawnCli, type CliProcess } from '../helpers/cliProcess.js';
import { tempDir } from '../helpers/store.js';

const dir = tempDir('leadbook-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `ready()` holds (polled every 25 ms), then kills the process outright. */
async function killWhen(
  child: CliProcess,
  ready: () => boolean,
  limitMs: number,
): Promise<NodeJS.Signals | null> {
  const started = Date.now();
  while (child.proc.exitCode === null && Date.now() - started < limitMs) {
    if (ready()) break;
    await sleep(25);
  }
  return new Promise((resolve) => {
    if (child.proc.exitCode !== null) return resolve(null);
    child.proc.once('exit', (_code, signal) => resolve(signal));
    child.proc.kill('SIGKILL');
  });
}

const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);

function withDb<T>(file: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const count = (db: BetterSqlite3.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(sql).get(...args) as { n: number }).n;

/** Every row has its change-log entries, and no entry describes a row that is not there. */
function expectLogMatchesRows(file: string, table: string) {
  withDb(file, (db) => {
    expect(
      count(
        db,
        `SELECT count(*) AS n FROM ${table} t WHERE NOT EXISTS
           (SELECT 1 FROM change_log c WHERE c.tbl = ? AND c.row_id = t.id)`,
        table,
      ),
      `${table} rows without a log entry`,
    ).toBe(0);
    expect(
      count(
        db,
        `SELECT count(DISTINCT row_id) AS n FROM change_log c WHERE c.tbl = ?
           AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = c.row_id)`,
        table,
      ),
      `log entries for ${table} rows that are not there`,
    ).toBe(0);
  });
}

async function reopenIntact(file: string) {
  // Opening replays the WAL (SQLite's recovery), then the full check of every page.
  const store = await openStore(file);
  store.close();
  expect(checkDatabaseFile(file, null)).toEqual({ ok: true, problem: null });
}

/** A server in web mode, spoken to over HTTP like the page does. */
async function webServer(file: string) {
  const child = spawnCli(['serve', '--db', file, '--json']);
  const ready = await child.ready;
  const url = new URL(String(ready.url));
  const token = url.hash.replace('#token=', '');
  const base = `${url.origin}`;
  const call = async (name: string, input: unknown) => {
    const res = await fetch(`${base}/api/call/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await res.json()) as { result?: unknown; error?: { code: string } };
  };
  return { child, call };
}

async function seed(file: string, n: number) {
  const store = await openStore(file);
  store.write((tx) => {
    for (let i = 0; i < n; i++)
      tx.insert('leads', {
        name: `客户${i}`,
        company: `公司${i % 500}`,
        email: `lead${i}@example.cn`,
        status: 'new',
      });
  });
  store.close();
  return withDb(file, (db) =>
    (db.prepare('SELECT id FROM leads ORDER BY id').all() as { id: string }[]).map((r) => r.id),
  );
}

describe('killed mid-work, reopened intact', () => {
  it('a 100 000-row import killed while saving: the batch is there whole or not at all', async () => {
    const file = path.join(dir, 'import.db');
    await seed(file, 10);
    const csv = path.join(dir, 'big.csv');
    const lines = ['Name,Company,Email,Phone'];
    for (let i = 0; i < 100_000; i++)
      lines.push(
        `访客${i},展商${i % 3000},visitor${i}@expo.cn,+86 139${String(i).padStart(8, '0')}`,
      );
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);

    const child = spawnCli(['import', csv, '--db', file, '--on-duplicate', 'create']);
    // The WAL grows once the single import transaction starts spilling pages: saving.
    const signal = await killWhen(child, () => sizeOf(`${file}-wal`) > 8 * 1024 * 1024, 120_000);
    expect(signal, 'the import must still be running when it is killed').toBe('SIGKILL');

    await reopenIntact(file);
    const [leads, batches, batchRows] = withDb(file, (db) => [
      count(db, 'SELECT count(*) AS n FROM leads'),
      count(db, 'SELECT count(*) AS n FROM import_batches'),
      count(db, 'SELECT count(*) AS n FROM import_batch_leads'),
    ]);
    // Not a single row of a batch that did not commit.
    expect({ leads, batches, batchRows }).toEqual({ leads: 10, batches: 0, batchRows: 0 });
    expectLogMatchesRows(file, 'leads');
  }, 180_000);

  it('a bulk update of 20 000 leads killed mid-way: all changed or none', async () => {
    const file = path.join(dir, 'bulk.db');
    const ids = await seed(file, 20_000);
    const { child, call } = await webServer(file);
    const pending = call('leads.bulkUpdate', { ids, patch: { status: 'contacted' } }).catch(
      () => null,
    );
    const signal = await killWhen(child, () => sizeOf(`${file}-wal`) > 2 * 1024 * 1024, 60_000);
    expect(signal).toBe('SIGKILL');
    expect(await pending, 'killed before it answered').toBeNull();
    await reopenIntact(file);
    const contacted = withDb(file, (db) =>
      count(db, `SELECT count(*) AS n FROM leads WHERE status = 'contacted'`),
    );
    expect([0, 20_000]).toContain(contacted);
    expectLogMatchesRows(file, 'leads');
    withDb(file, (db) => {
      // The log says each lead's status is what the row says (last entry with a status).
      const mismatched = count(
        db,
        `SELECT count(*) AS n FROM leads l WHERE l.status IS NOT (
           SELECT json_extract(c.fields, '$.status') FROM change_log c
           WHERE c.tbl = 'leads' AND c.row_id = l.id AND json_extract(c.fields, '$.status') IS NOT NULL
           ORDER BY c.hlc DESC LIMIT 1)`,
      );
      expect(mismatched).toBe(0);
    });
  }, 120_000);

  it('conversions killed at a random moment: every converted lead has its opportunity, and no opportunity lacks its lead', async () => {
    const file = path.join(dir, 'convert.db');
    const ids = await seed(file, 400);
    const { child, call } = await webServer(file);
    let converted = 0;
    const loop = (async () => {
      for (const id of ids) {
        const r = await call('leads.convert', { id }).catch(() => null);
        if (!r) return;
        if (r.result) converted++;
      }
    })();
    // Let some conversions land, then kill between or during one.
    const signal = await killWhen(
      child,
      () => converted >= 25 + Math.floor(Math.random() * 50),
      60_000,
    );
    await loop;
    expect(signal).toBe('SIGKILL');
    await reopenIntact(file);
    withDb(file, (db) => {
      const done = count(db, `SELECT count(*) AS n FROM leads WHERE converted_at IS NOT NULL`);
      expect(done).toBeGreaterThanOrEqual(converted);
      expect(
        count(
          db,
          `SELECT count(*) AS n FROM leads l WHERE l.converted_at IS NOT NULL AND NOT EXISTS
             (SELECT 1 FROM opportunities o WHERE o.id = l.converted_opportunity_id AND o.lead_id = l.id)`,
        ),
      ).toBe(0);
      expect(
        count(
          db,
          `SELECT count(*) AS n FROM opportunities o WHERE o.lead_id IS NOT NULL AND NOT EXISTS
             (SELECT 1 FROM leads l WHERE l.id = o.lead_id AND l.converted_opportunity_id = o.id)`,
        ),
      ).toBe(0);
    });
    for (const t of ['leads', 'opportunities', 'accounts', 'contacts'])
      expectLogMatchesRows(file, t);
  }, 120_000);

  it('an upgrade killed at any moment: the next start finishes it, with every lead kept', async () => {
    const names = Object.keys(migrations).sort();
    const older = Object.fromEntries(names.slice(0, -3).map((n) => [n, migrations[n]!]));
    const backupsOf = (file: string) => {
      const d = path.join(path.dirname(file), 'backups');
      return fs.existsSync(d)
        ? fs.readdirSync(d).filter((f) => f.startsWith(path.basename(file, '.db')))
        : [];
    };
    const moments: [string, (file: string, started: number) => boolean][] = [
      ['while the backup is written', (f) => backupsOf(f).some((n) => n.endsWith('.partial'))],
      ['as the migrations start', (f) => backupsOf(f).some((n) => n.endsWith('.db'))],
      ['after 1.5 s', (_f, started) => Date.now() - started >= 1500],
    ];
    for (const [moment, when] of moments) {
      const delay = moments.findIndex((m) => m[0] === moment);
      const file = path.join(dir, `upgrade-${delay}.db`);
      const store = await openStore(file, { migrations: older });
      store.write((tx) => {
        for (let i = 0; i < 20_000; i++)
          tx.insert('leads', { name: `老客户${i}`, company: '旧版' });
      });
      store.close();
      // Any command opens (and so upgrades) the file: backup first, then the migrations.
      const child = spawnCli([
        'export',
        '--db',
        file,
        '--what',
        'leads',
        '--format',
        'csv',
        '--out',
        path.join(dir, `out-${delay}.csv`),
      ]);
      const started = Date.now();
      const signal = await killWhen(child, () => when(file, started), 30_000);
      expect(signal, moment).toBe('SIGKILL');
      await reopenIntact(file);
      withDb(file, (db) => {
        expect(count(db, 'SELECT count(*) AS n FROM leads'), `killed ${moment}`).toBe(20_000);
        expect(count(db, 'SELECT count(*) AS n FROM kysely_migration')).toBe(names.length);
      });
      expectLogMatchesRows(file, 'leads');
    }
  }, 180_000);
});
