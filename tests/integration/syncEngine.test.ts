// The sync engine as a laptop lives with it: live wake-ups, working offline and catching
// up, a server restored from an older backup, and every failure told in plain words.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/index.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import type { SyncPeerStatus } from '../../src-main/contract/index.js';
import { startSyncServer, type RunningSyncServer } from '../../src-server/server.js';
import { tempDir } from '../helpers/store.js';
import { openLaptop, serverHlcs, syncedSnapshot, type Laptop } from '../helpers/sync.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function server(
  options: { dataFile?: string; port?: number } = {},
): Promise<RunningSyncServer> {
  const s = await startSyncServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataFile: options.dataFile ?? path.join(tempDir('leadbook-sync-'), 'server.db'),
    pingMs: 200,
  });
  cleanup.push(() => s.close());
  return s;
}

async function laptop(name: string, url: string, token: string, engine = {}): Promise<Laptop> {
  const l = await openLaptop(name, url, token, { engine });
  cleanup.push(() => l.close());
  return l;
}

async function until<T>(
  what: string,
  fn: () => T | undefined | null | false,
  ms = 3_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const leadNamed = (l: Laptop, name: string) =>
  l.store.read((r) =>
    r.first(r.qb.selectFrom('leads').select(['id', 'name']).where('name', '=', name)),
  );

describe('sync engine', () => {
  it('pushes a local write by itself and wakes the other laptop through the live channel', async () => {
    const s = await server();
    const a = await laptop('a', s.url, (await s.store.createToken({ user: '王伟' })).token, {
      live: true,
    });
    const b = await laptop('b', s.url, (await s.store.createToken({ user: '李娜' })).token, {
      live: true,
    });
    a.engine.start();
    b.engine.start();
    await until(
      'both synced',
      () => a.engine.status()!.state === 'synced' && b.engine.status()!.state === 'synced',
    );
    const t0 = Date.now();
    a.store.write((tx) => tx.insert('leads', { name: '张三', company: '北京字节跳动' }));
    await until('the lead on b', () => leadNamed(b, '张三'));
    expect(Date.now() - t0).toBeLessThan(2_000);
    // The author is the server's member for laptop A, and a team member on B too.
    const entry = b.store.read((r) =>
      r.first(r.qb.selectFrom('change_log').select(['author']).where('tbl', '=', 'leads')),
    )!;
    const names = b.store.read((r) => r.all(r.qb.selectFrom('users').select(['id', 'name'])));
    expect(names.find((u) => u.id === entry.author)?.name).toBe('王伟');
    expect(a.engine.status()!).toMatchObject({ state: 'synced', waiting: 0, user: '王伟' });
  });

  it('keeps working offline, says so, and sends what was captured once the server is back', async () => {
    const dir = tempDir('leadbook-sync-');
    const dataFile = path.join(dir, 'server.db');
    let s = await startSyncServer({ host: '127.0.0.1', port: 0, dataFile, pingMs: 200 });
    const port = s.port;
    const url = s.url;
    const ta = (await s.store.createToken({ user: '王伟' })).token;
    const tb = (await s.store.createToken({ user: '李娜' })).token;
    const a = await laptop('a', url, ta, { live: true, backoffBaseMs: 50, backoffMaxMs: 300 });
    const b = await laptop('b', url, tb, { live: true, backoffBaseMs: 50, backoffMaxMs: 300 });
    a.engine.start();
    b.engine.start();
    await until('synced', () => a.engine.status()!.state === 'synced');
    await s.close();

    a.store.write((tx) => tx.insert('leads', { name: '断网时录入', company: '展会' }));
    const offline = await until('offline shown', () => {
      const st = a.engine.status()!;
      return st.state === 'offline' ? st : null;
    });
    expect(offline.problem?.kind).toBe('unreachable');
    expect(offline.waiting).toBeGreaterThan(0);
    // Nothing is lost while offline: the lead is here, and still waiting to go up.
    expect(leadNamed(a, '断网时录入')).toBeTruthy();

    s = await startSyncServer({ host: '127.0.0.1', port, dataFile, pingMs: 200 });
    cleanup.push(() => s.close());
    await until('arrived on b', () => leadNamed(b, '断网时录入'), 5_000);
    await until(
      'a synced',
      () => a.engine.status()!.state === 'synced' && a.engine.status()!.waiting === 0,
      5_000,
    );
    expect(a.engine.status()!.problem).toBeNull();
  });

  it('a server restored from an older backup: laptops notice, push again, and nothing is lost', async () => {
    const dir = tempDir('leadbook-restore-');
    const dataFile = path.join(dir, 'server.db');
    let s = await startSyncServer({ host: '127.0.0.1', port: 0, dataFile });
    const port = s.port;
    const ta = (await s.store.createToken({ user: '王伟' })).token;
    const tb = (await s.store.createToken({ user: '李娜' })).token;
    const tc = (await s.store.createToken({ user: '张强' })).token;
    const a = await laptop('a', s.url, ta);
    const b = await laptop('b', s.url, tb);
    a.store.write((tx) => tx.insert('leads', { name: '备份前', company: 'A' }));
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    // The nightly backup of the server.
    await s.close();
    fs.copyFileSync(dataFile, path.join(dir, 'backup.db'));
    s = await startSyncServer({ host: '127.0.0.1', port, dataFile });
    // After the backup: both laptops write and sync.
    a.store.write((tx) => tx.insert('leads', { name: '备份后 A', company: 'A' }));
    b.store.write((tx) => tx.insert('leads', { name: '备份后 B', company: 'B' }));
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    await a.engine.syncOnce();
    // The server's disk dies; it is restored from last night's backup.
    await s.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dataFile + suffix, { force: true });
    fs.copyFileSync(path.join(dir, 'backup.db'), dataFile);
    s = await startSyncServer({ host: '127.0.0.1', port, dataFile });
    cleanup.push(() => s.close());

    const outA = await a.engine.syncOnce();
    const outB = await b.engine.syncOnce();
    expect(outA.reset || outB.reset).toBe(true);
    await a.engine.syncOnce();
    // A laptop joining now gets everything, including what only the lost part held.
    const c = await laptop('c', s.url, tc);
    await c.engine.syncOnce();
    for (const name of ['备份前', '备份后 A', '备份后 B'])
      expect(leadNamed(c, name), name).toBeTruthy();
    // C's own first entry (its member as a team member) reaches the others.
    await a.engine.syncOnce();
    await b.engine.syncOnce();
    expect(syncedSnapshot(a.store)).toEqual(syncedSnapshot(b.store));
    expect(syncedSnapshot(c.store)).toEqual(syncedSnapshot(a.store));
    const onServer = new Set(await serverHlcs(s.url, tc));
    for (const l of [a, b]) {
      const local = l.store.read((r) =>
        r.all(r.qb.selectFrom('change_log').select('hlc').where('origin', '=', 'local')),
      );
      for (const { hlc } of local) expect(onServer.has(hlc)).toBe(true);
    }
  });

  it('pushes in arrival order: an entry received with an older HLC is still forwarded', async () => {
    const s = await server();
    const t = (await s.store.createToken({ user: '王伟' })).token;
    const a = await laptop('a', s.url, t);
    a.store.write((tx) => tx.insert('leads', { name: '新的' }));
    await a.engine.syncOnce();
    // An entry from a laptop that never met this server (a USB sync), stamped earlier than
    // everything A already pushed.
    const old = '001700000000000-0000-00000000000000ab';
    a.store.applyChanges([
      { hlc: old, table: 'leads', rowId: 'from-usb', fields: { name: '旧的' } },
    ]);
    const out = await a.engine.syncOnce();
    expect(out.pushed).toBe(1);
    expect(await serverHlcs(s.url, t)).toContain(old);
  });

  it('never sends an entry back to the server it came from', async () => {
    const s = await server();
    const a = await laptop('a', s.url, (await s.store.createToken({ user: '王伟' })).token);
    const b = await laptop('b', s.url, (await s.store.createToken({ user: '李娜' })).token);
    await a.engine.syncOnce();
    b.store.write((tx) => tx.insert('leads', { name: '只推一次' }));
    const fromB = await b.engine.syncOnce();
    expect(fromB.pushed).toBeGreaterThan(0);
    const got = await a.engine.syncOnce();
    expect(got.applied).toBeGreaterThan(0);
    const again = await a.engine.syncOnce();
    expect(again).toMatchObject({ pushed: 0, pushDuplicates: 0 });
  });

  it.each([
    [
      'a revoked token',
      async (s: RunningSyncServer, deviceId: string) => void (await s.store.revokeDevice(deviceId)),
      {},
      'revoked',
    ],
    [
      'an app too old for the server',
      async () => undefined,
      { client: { protocol: 0 } },
      'app_too_old',
    ],
  ] as const)('says plainly what is wrong: %s', async (_what, breakIt, engine, kind) => {
    const s = await server();
    const made = await s.store.createToken({ user: '王伟' });
    const a = await laptop('a', s.url, made.token, engine);
    a.store.write((tx) => tx.insert('leads', { name: '我的线索' }));
    await breakIt(s, made.deviceId);
    await expect(a.engine.syncOnce()).rejects.toThrow();
    const st: SyncPeerStatus = a.engine.status()!;
    expect(st.state).toBe('error');
    expect(st.problem?.kind).toBe(kind);
    // The laptop keeps its own data.
    expect(leadNamed(a, '我的线索')).toBeTruthy();
  });

  it('a laptop whose clock is two hours ahead is told by how much', async () => {
    const s = await server();
    const made = await s.store.createToken({ user: '王伟' });
    const ahead = () => Date.now() + 2 * 60 * 60_000;
    const l = await openLaptop('fast', s.url, made.token, {
      store: { clock: { now: ahead }, now: ahead },
      engine: { live: false },
    });
    cleanup.push(() => l.close());
    l.store.write((tx) => tx.insert('leads', { name: '快钟' }));
    await expect(l.engine.syncOnce()).rejects.toThrow(/ahead/);
    const st = l.engine.status()!;
    expect(st.problem?.kind).toBe('clock_wrong');
    expect(st.problem?.minutes).toBeGreaterThanOrEqual(119);
  });
});

describe('team sync through the API and the CLI', () => {
  it('connects only with a token the server takes, shows the status, syncs now, disconnects', async () => {
    const s = await server();
    const made = await s.store.createToken({ user: '王伟' });
    const file = path.join(tempDir('leadbook-api-'), 'a.db');
    const apiServer = await openLeadbook(file);
    cleanup.push(() => apiServer.close());
    const api = createInProcessClient(apiServer);
    expect(await api.call('sync.status', {})).toMatchObject({ state: 'off', server: null });
    await expect(
      api.call('sync.connect', { server: s.url, token: 'lbt_not-the-right-token-at-all' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(
      api.call('sync.connect', { server: 'ftp://x', token: made.token }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect((await api.call('sync.status', {})).server).toBeNull();
    await api.call('leads.create', { name: '联调' });
    const connected = await api.call('sync.connect', { server: `${s.url}/`, token: made.token });
    expect(connected.server).toBe(s.url);
    const moved = await api.call('sync.now', {});
    expect(moved.pushed).toBeGreaterThan(0);
    expect(await api.call('sync.status', {})).toMatchObject({
      state: 'synced',
      waiting: 0,
      user: '王伟',
    });
    // The device now acts as the server's member.
    expect((await api.call('device.get', {})).currentUserId).toBe(made.memberId);
    expect(await api.call('sync.disconnect', {})).toMatchObject({ state: 'off', server: null });
  });

  it('tells open views about merged batches a few times a second, not once per batch', async () => {
    const s = await server();
    const b = await laptop('b', s.url, (await s.store.createToken({ user: '李娜' })).token);
    for (let i = 0; i < 6; i++) b.store.write((tx) => tx.insert('leads', { name: `访客 ${i}` }));
    await b.engine.syncOnce();
    const made = await s.store.createToken({ user: '王伟' });
    const apiServer = await openLeadbook(
      path.join(tempDir('leadbook-api-'), 'a.db'),
      {},
      { sync: { applyBatch: 1 } },
    );
    cleanup.push(() => apiServer.close());
    const api = createInProcessClient(apiServer);
    await api.call('sync.connect', { server: s.url, token: made.token });
    const events: { tables: string[]; origin: string }[] = [];
    const off = apiServer.onEvent(
      (e) => e.type === 'changed' && e.origin === 'sync' && events.push(e),
    );
    const moved = await api.call('sync.now', {});
    expect(moved.applied).toBeGreaterThanOrEqual(6);
    await until('the merged tables told', () => events.length > 0);
    await new Promise((r) => setTimeout(r, 400));
    off();
    expect(events).toHaveLength(1);
    expect(events[0]!.tables).toContain('leads');
    // Scores are derived here, never synced: the merged leads were scored on arrival.
    const { rows } = await api.call('leads.list', {});
    expect(rows.length).toBe(6);
    for (const lead of rows) expect(lead.score, lead.name ?? '').not.toBeNull();
  });

  it('`leadbook sync` syncs once and prints what moved; bad arguments are refused', async () => {
    const s = await server();
    const made = await s.store.createToken({ user: '王伟' });
    const dir = tempDir('leadbook-cli-sync-');
    const db = path.join(dir, 'a.db');
    const run = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: (x) => (stdout += x),
        stderr: (x) => (stderr += x),
      });
      return { code, stdout, stderr };
    };
    expect((await run('demo', '--db', db, '--leads', '20')).code).toBe(0);
    const first = await run('sync', '--db', db, '--server', s.url, '--token', made.token, '--json');
    expect(first.code).toBe(0);
    const moved = JSON.parse(first.stdout) as { pushed: number; waiting: number };
    expect(moved.pushed).toBeGreaterThan(20);
    expect(moved.waiting).toBe(0);
    const second = await run('sync', '--db', db);
    expect(second.stdout).toMatch(/sent 0/);
    expect((await run('sync', '--db', db, '--token', made.token)).code).toBe(2);
    expect((await run('sync', '--db', path.join(dir, 'missing.db'))).code).toBe(2);
    const wrong = await run(
      'sync',
      '--db',
      db,
      '--server',
      s.url,
      '--token',
      'lbt_wrongwrongwrongwrongwrong',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the token/);
    const help = await run('sync-server', '--help');
    expect(help.stdout).toContain('leadbook sync-server');
  });
});
