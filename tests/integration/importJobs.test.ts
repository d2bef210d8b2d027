// Imports in the background: a real worker thread with its own connection to a real
// database file. The main thread stays free while rows are saved; cancelling rolls the
// import back whole; the main connection sees the new rows and orders its next change
// after the worker's.
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient, type ApiServer } from '../../src-main/api/router.js';
import type { ImportJobState, LeadbookApi } from '../../src-main/contract/index.js';
import type { OpenOptions } from '../../src-main/store/open.js';
import { tempDir } from '../helpers/store.js';

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fileApi(
  options: OpenOptions = {},
): Promise<{ server: ApiServer; api: LeadbookApi; db: string }> {
  const db = path.join(tempDir(), 'jobs.db');
  const server = await openLeadbook(db, options);
  servers.push(server);
  return { server, api: createInProcessClient(server), db };
}

function csv(rows: number, prefix = 'lead'): string {
  const lines = ['Name,Company,Email,Phone'];
  for (let i = 0; i < rows; i++)
    lines.push(`${prefix} ${i},Company ${i % 97},${prefix}${i}@example.com,+49 30 ${1000000 + i}`);
  return lines.join('\n');
}

const input = (text: string, over: Record<string, unknown> = {}) => ({
  fileName: 'big.csv',
  content: Buffer.from(text).toString('base64'),
  ...over,
});

async function until(
  api: LeadbookApi,
  id: string,
  stop: (s: ImportJobState) => boolean,
): Promise<{ last: ImportJobState; seen: ImportJobState[] }> {
  const seen: ImportJobState[] = [];
  for (;;) {
    const s = await api.call('imports.job', { id });
    seen.push(s);
    if (stop(s)) return { last: s, seen };
    await new Promise((r) => setTimeout(r, 5));
  }
}
const ended = (s: ImportJobState) => ['done', 'failed', 'cancelled'].includes(s.phase);

const total = async (api: LeadbookApi) =>
  (await api.call('leads.list', { limit: 1, withTotal: true })).total;

describe('import jobs (worker thread)', () => {
  it('imports in a worker with progress, while the main thread keeps answering', async () => {
    const { api, server } = await fileApi();
    await api.call('leads.create', { name: '已有线索', email: 'old@example.com' });
    expect(await total(api)).toBe(1); // the count is now cached on the main connection
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = await api.call('imports.start', input(csv(20_000)));
    expect(started.kind).toBe('run');
    const { last, seen } = await until(api, started.id, ended);
    loop.disable();
    expect(last.phase).toBe('done');
    expect(last.report).toMatchObject({ rows: 20_000, created: 20_000, rejected: [] });
    // Progress was reported as rows done of the total, in both working phases, with an ETA.
    const working = seen.filter((s) => s.phase === 'checking' || s.phase === 'saving');
    expect(working.length).toBeGreaterThan(2);
    expect(working.some((s) => s.phase === 'saving' && s.done > 0 && s.total === 20_000)).toBe(
      true,
    );
    expect(working.some((s) => s.etaMs !== null && s.etaMs >= 0)).toBe(true);
    // Run on the main thread, 20 000 rows block it for seconds; in the worker it answers
    // the polls above every few milliseconds.
    expect(loop.max / 1e6).toBeLessThan(1000);
    // The main connection sees the worker's rows (its cached count was dropped).
    expect(await total(api)).toBe(20_001);
    const history = await api.call('imports.list', {});
    expect(history[0]).toMatchObject({ file: 'big.csv', counts: { created: 20_000 } });
    void server;
  }, 120_000);

  it('orders a later edit on the main connection after the worker’s changes', async () => {
    // The app's clock lags the worker's by 10 s (as if the worker's changes were stamped
    // in a later millisecond than the app has seen): only catching up with the change log
    // puts the app's next edit after them.
    const lagging = Date.now() - 10_000;
    const { api, db } = await fileApi({ clock: { now: () => lagging } });
    const job = await api.call('imports.start', input(csv(8_000))); // big enough for a worker
    const { last } = await until(api, job.id, ended);
    expect(last.phase).toBe('done');
    const lead = (await api.call('leads.list', { limit: 1, q: 'lead4321@example.com' })).rows[0]!;
    await api.call('leads.update', { id: lead.id, patch: { title: '采购经理' } });
    // The newest change to the lead is the edit: had the main clock stayed behind the
    // worker's, the edit would sort before the import's entry and lose on other devices.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db, { readonly: true });
    const newest = raw
      .prepare('SELECT fields FROM change_log WHERE row_id = ? ORDER BY hlc DESC LIMIT 1')
      .get(lead.id) as { fields: string };
    raw.close();
    expect(JSON.parse(newest.fields)).toMatchObject({ title: '采购经理' });
  }, 60_000);

  it('cancel while saving leaves the database as it was', async () => {
    const { api, db } = await fileApi();
    await api.call('leads.create', { name: '张三', email: 'zhangsan@example.com' });
    const Database = (await import('better-sqlite3')).default;
    const counts = () => {
      const raw = new Database(db, { readonly: true });
      const c = raw
        .prepare(
          `SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM change_log) AS log,
                  (SELECT count(*) FROM import_batches) AS batches`,
        )
        .get();
      raw.close();
      return c;
    };
    const before = counts();
    const job = await api.call('imports.start', input(csv(30_000)));
    await until(api, job.id, (s) => (s.phase === 'saving' && s.done > 0) || ended(s));
    const t0 = performance.now();
    // The app's own writes fail fast as busy while the worker holds the write lock.
    const during = await api.call('leads.create', { name: '李四' }).then(
      () => 'saved',
      (err: { code?: string }) => err.code,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(['saved', 'BUSY']).toContain(during);
    await api.call('imports.cancel', { id: job.id });
    const { last } = await until(api, job.id, ended);
    expect(last.phase).toBe('cancelled');
    const after = counts() as { leads: number; log: number; batches: number };
    const extra = during === 'saved' ? 1 : 0;
    expect(after.leads).toBe((before as { leads: number }).leads + extra);
    expect(after.batches).toBe(0);
    expect(await total(api)).toBe(1 + extra);
  }, 120_000);

  it('previews in a worker; a second import while one runs is refused', async () => {
    const { api } = await fileApi();
    const preview = await api.call('imports.start', input(csv(8_000), { preview: true }));
    const { last } = await until(api, preview.id, ended);
    expect(last.preview?.sample.length).toBe(5);
    expect(last.preview?.mapping.map((m) => m.target)).toEqual([
      'name',
      'company',
      'email',
      'phone',
    ]);
    expect(await total(api)).toBe(0);
    const first = await api.call('imports.start', input(csv(20_000)));
    await expect(api.call('imports.start', input(csv(10)))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await until(api, first.id, ended);
  }, 120_000);

  it('a file that cannot be read fails the job with the reason, nothing stored', async () => {
    const { api } = await fileApi();
    const job = await api.call('imports.start', input('Name,Email\n"unterminated,x@y.z\n'));
    const { last } = await until(api, job.id, ended);
    expect(last.phase).toBe('failed');
    expect(last.error?.code).toBe('BAD_INPUT');
    expect(await total(api)).toBe(0);
    await expect(
      api.call('imports.job', { id: '00000000-0000-7000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  }, 60_000);
});
