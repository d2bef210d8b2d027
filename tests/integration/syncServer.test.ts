// The sync server's protocol against a real server on loopback: what it accepts, what it
// refuses (and that a refusal changes nothing and leaves the server up).
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SYNC_HEADERS,
  syncLimits,
  type HelloResponse,
  type PullResponse,
  type PushResponse,
  type SyncEntry,
} from '../../src-main/contract/index.js';
import type { RunningSyncServer } from '../../src-server/server.js';
import { startTestServer } from '../helpers/sync.js';
import BetterSqlite3 from 'better-sqlite3';
import http from 'node:http';
import { startSyncServer } from '../../src-server/server.js';

const NODE = 'a1b2c3d4e5f60718';
const hlcAt = (ms: number, counter = 0, node = NODE) =>
  `${String(ms).padStart(15, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
const entry = (i: number, over: Partial<SyncEntry> = {}): SyncEntry => ({
  hlc: hlcAt(Date.now() - 60_000, i),
  table: 'leads',
  rowId: `lead-${i}`,
  fields: { name: `客户 ${i}`, budget_amount: i * 100, notes: null },
  author: 'someone-else',
  ...over,
});

let server: RunningSyncServer;
let dataFile: string;
let token: string;
let memberId: string;

beforeAll(async () => {
  ({ server, dataFile } = await startTestServer());
  const made = await server.store.createToken({ user: '王伟', role: 'rep' });
  token = made.token;
  memberId = made.memberId;
});
afterAll(async () => {
  await server.close();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  raw?: Buffer,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      [SYNC_HEADERS.protocol]: '1',
      ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(raw
      ? { body: new Blob([new Uint8Array(raw)]) }
      : body !== undefined
        ? { body: JSON.stringify(body) }
        : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const pullAll = async (after = 0, afterHlc?: string) =>
  (
    await call(
      'GET',
      `/v1/pull?after=${after}${afterHlc ? `&afterHlc=${afterHlc}` : ''}&limit=2000`,
    )
  ).json as PullResponse;

describe('sync server shutdown', () => {
  it('finishes a request in flight before it stops', async () => {
    const { dataFile: file } = await startTestServer();
    const s = await startSyncServer({
      host: '127.0.0.1',
      port: 0,
      dataFile: file.replace(/\.db$/, '-2.db'),
    });
    const { token: t } = await s.store.createToken({ user: '王伟' });
    const body = JSON.stringify({ entries: [entry(7000), entry(7001)] });
    const url = new URL(`${s.url}/v1/push`);
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${t}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            connection: 'close',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      // Half the body now; the server is asked to stop; the rest follows.
      req.write(body.slice(0, 40));
      setTimeout(() => {
        closing = s.close();
        setTimeout(() => req.end(body.slice(40)), 100);
      }, 100);
    });
    let closing: Promise<void> = Promise.resolve();
    const res = await answered;
    await closing;
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as PushResponse).accepted).toBe(2);
    // …and it has stopped: a new request finds nobody.
    await expect(fetch(`${s.url}/health`)).rejects.toThrow();
  });
});

describe('sync server protocol', () => {
  it('answers health and readiness without a token', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/ready`)).json()).toEqual({ ready: true });
  });

  it('keeps only a hash of each token', () => {
    const db = new BetterSqlite3(dataFile, { readonly: true });
    const rows = db.prepare('SELECT * FROM devices').all() as Record<string, unknown>[];
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('greets a device with its workspace, user and the server clock', async () => {
    const { status, json } = await call('POST', '/v1/hello', { nodeId: NODE, checkpoints: [] });
    expect(status).toBe(200);
    const hello = json as HelloResponse;
    expect(hello.user).toMatchObject({ id: memberId, name: '王伟', role: 'rep' });
    expect(hello.checkpointsValid).toBe(true);
    expect(Math.abs(hello.time - Date.now())).toBeLessThan(5_000);
  });

  it('appends a push once, stamps the device’s user as author, and pages pulls by server_seq', async () => {
    const batch = Array.from({ length: 5 }, (_, i) => entry(i));
    const first = (await call('POST', '/v1/push', { entries: batch })).json as PushResponse;
    expect(first).toMatchObject({ accepted: 5, duplicates: 0 });
    // A retried batch (the response was lost) changes nothing.
    const again = (await call('POST', '/v1/push', { entries: batch })).json as PushResponse;
    expect(again).toMatchObject({ accepted: 0, duplicates: 5, head: first.head });
    expect(again.last).toEqual(first.last);

    // The log starts with the team member the server wrote when it made 王伟 a member.
    const members = (await call('GET', '/v1/pull?after=0&limit=1')).json as PullResponse;
    expect(members.entries[0]).toMatchObject({
      table: 'users',
      rowId: memberId,
      fields: { name: '王伟', role: 'rep', active: 1 },
    });
    const after = `after=${members.next}&afterHlc=${members.nextHlc}`;
    const page1 = (await call('GET', `/v1/pull?${after}&limit=3`)).json as PullResponse;
    expect(page1.entries.map((e) => e.rowId)).toEqual(['lead-0', 'lead-1', 'lead-2']);
    expect(page1.more).toBe(true);
    expect(page1.entries.every((e) => e.author === memberId)).toBe(true);
    expect(page1.entries[1]!.fields).toEqual({ name: '客户 1', budget_amount: 100, notes: null });
    const page2 = (
      await call('GET', `/v1/pull?after=${page1.next}&afterHlc=${page1.nextHlc}&limit=3`)
    ).json as PullResponse;
    expect(page2.entries.map((e) => e.rowId)).toEqual(['lead-3', 'lead-4']);
    expect(page2.more).toBe(false);
    expect(page2.entries[0]!.seq).toBe(page1.next + 1);
  });

  it('relays tables and columns it has never heard of, untouched', async () => {
    const future = entry(100, {
      table: 'territories_v9',
      fields: { polygon: 'POLYGON((0 0))', tier: 3 },
    });
    expect((await call('POST', '/v1/push', { entries: [future] })).status).toBe(200);
    const all = await pullAll();
    expect(all.entries.find((e) => e.hlc === future.hlc)).toMatchObject({
      table: 'territories_v9',
      fields: { polygon: 'POLYGON((0 0))', tier: 3 },
    });
  });

  it('takes gzip bodies and answers with gzip', async () => {
    const batch = Array.from({ length: 50 }, (_, i) =>
      entry(200 + i, { fields: { notes: '很长的备注'.repeat(40) } }),
    );
    const gz = zlib.gzipSync(JSON.stringify({ entries: batch }));
    const pushed = await call('POST', '/v1/push', undefined, { 'content-encoding': 'gzip' }, gz);
    expect(pushed.status).toBe(200);
    expect((pushed.json as PushResponse).accepted).toBe(50);
    const res = await fetch(`${server.url}/v1/pull?after=0&limit=100`, {
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(((await res.json()) as PullResponse).entries.length).toBeGreaterThan(50);
  });

  describe('refusals change nothing and leave the server up', () => {
    const headBefore = async () => (await pullAll()).head;

    it.each([
      ['no token', {}],
      ['a wrong token', { authorization: 'Bearer lbt_wrongwrongwrongwrongwrongwrongwrongwrong' }],
      ['garbage', { authorization: 'Basic Zm9vOmJhcg==' }],
    ])('refuses %s', async (_what, headers) => {
      const res = await fetch(`${server.url}/v1/pull`, { headers: { ...headers } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    });

    it('refuses a revoked token at once, and keeps the others working', async () => {
      const other = await server.store.createToken({ user: '李娜' });
      const h = { authorization: `Bearer ${other.token}` };
      expect((await fetch(`${server.url}/v1/pull`, { headers: h })).status).toBe(200);
      await server.store.revokeDevice(other.deviceId);
      const res = await fetch(`${server.url}/v1/pull`, { headers: h });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /removed/,
      );
      expect((await call('GET', '/v1/pull')).status).toBe(200);
    });

    it.each([
      ['a bad HLC', { hlc: '2026-12-05T10:00:00Z' }, /entry 2 \(hlc\)/],
      ['a bad table name', { table: 'leads; DROP TABLE x' }, /entry 2 \(table\)/],
      ['a bad column name', { fields: { 'Name"': 'x' } }, /entry 2 \(fields/],
      ['an object value', { fields: { name: { nested: true } } }, /entry 2 \(fields\.name\)/],
      ['an empty row id', { rowId: '' }, /entry 2 \(rowId\)/],
    ])('refuses a batch with %s, naming the bad entry', async (_what, bad, message) => {
      const head = await headBefore();
      const batch = [entry(300), entry(301), { ...entry(302), ...bad }, entry(303)];
      const { status, json } = await call('POST', '/v1/push', { entries: batch });
      expect(status).toBe(400);
      const e = (json as { error: { code: string; index: number; message: string } }).error;
      expect(e).toMatchObject({ code: 'BAD_REQUEST', index: 2 });
      expect(e.message).toMatch(message);
      expect(await headBefore()).toBe(head);
    });

    it('refuses a batch over the entry limit, and a body over the byte limit', async () => {
      const head = await headBefore();
      const many = Array.from({ length: syncLimits.maxPushEntries + 1 }, (_, i) => entry(1000 + i));
      const tooMany = await call('POST', '/v1/push', { entries: many });
      expect(tooMany.status).toBe(413);
      expect((tooMany.json as { error: { message: string } }).error.message).toMatch(
        /at most 1000/,
      );
      const huge = Array.from({ length: 100 }, (_, i) =>
        entry(5000 + i, { fields: { notes: 'x'.repeat(99_000) } }),
      );
      const tooBig = await call('POST', '/v1/push', { entries: huge });
      expect(tooBig.status).toBe(413);
      expect((tooBig.json as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
      // A gzip bomb is measured after unzipping.
      const bomb = zlib.gzipSync(
        JSON.stringify({
          entries: [entry(9000, { fields: { notes: 'x'.repeat(99_000) } })],
        }).padEnd(9 * 1024 * 1024, ' '),
      );
      const bombed = await call(
        'POST',
        '/v1/push',
        undefined,
        { 'content-encoding': 'gzip' },
        bomb,
      );
      expect(bombed.status).toBe(413);
      expect(await headBefore()).toBe(head);
    });

    it('refuses a clock more than an hour ahead, saying by how much', async () => {
      const head = await headBefore();
      const ahead = entry(400, { hlc: hlcAt(Date.now() + 3 * 60 * 60_000) });
      const { status, json } = await call('POST', '/v1/push', { entries: [entry(401), ahead] });
      expect(status).toBe(409);
      const e = (json as { error: { code: string; index: number; minutesAhead: number } }).error;
      expect(e.code).toBe('CLOCK_AHEAD');
      expect(e.index).toBe(1);
      expect(e.minutesAhead).toBeGreaterThanOrEqual(179);
      expect(await headBefore()).toBe(head);
    });

    it('refuses an app older than the server’s protocol', async () => {
      const { status, json } = await call(
        'POST',
        '/v1/hello',
        { nodeId: NODE },
        { [SYNC_HEADERS.protocol]: '0' },
      );
      expect(status).toBe(426);
      expect((json as { error: { code: string } }).error.code).toBe('CLIENT_TOO_OLD');
    });

    it('refuses a cursor the server cannot vouch for (past its end, or another entry there)', async () => {
      const all = await pullAll();
      const past = await call('GET', `/v1/pull?after=${all.head + 5}&afterHlc=${hlcAt(1)}`);
      expect(past.status).toBe(409);
      expect((past.json as { error: { code: string } }).error.code).toBe('CURSOR_RESET');
      const wrong = await call('GET', `/v1/pull?after=2&afterHlc=${hlcAt(1)}`);
      expect((wrong.json as { error: { code: string } }).error.code).toBe('CURSOR_RESET');
      const hello = (
        await call('POST', '/v1/hello', { nodeId: NODE, checkpoints: [{ seq: 2, hlc: hlcAt(1) }] })
      ).json as HelloResponse;
      expect(hello.checkpointsValid).toBe(false);
    });

    it('slows a token guesser to a stop', async () => {
      const guess = () =>
        fetch(`${server.url}/v1/pull`, {
          headers: { authorization: 'Bearer lbt_guessguessguessguessguessguess' },
        });
      const codes: number[] = [];
      for (let i = 0; i < 40; i++) codes.push((await guess()).status);
      expect(codes).toContain(429);
    });
  });
});
