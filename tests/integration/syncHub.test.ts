// The booth hub: one laptop serves sync over TLS with a self-signed certificate made on
// first use; others join by its QR link and pin the certificate's fingerprint; a wrong one
// is refused. And the booth chain: laptops A and B sync only with the hub while the team
// server is unreachable; once the hub laptop reaches the server, laptop C (server only)
// sees what A and B captured.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { formatJoinLink, parseJoinLink, type LeadbookApi } from '../../src-main/contract/index.js';
import { startSyncServer, type RunningSyncServer } from '../../src-server/server.js';
import { tempDir } from '../helpers/store.js';
import {
  isPlainDatabaseFile,
  newDatabaseKey,
  type DatabaseKey,
} from '../../src-main/store/cipher.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface TestLaptop {
  api: LeadbookApi;
  file: string;
  close(): Promise<void>;
}

async function laptop(
  name: string,
  dir = tempDir('leadbook-hub-'),
  key: DatabaseKey | null = null,
): Promise<TestLaptop> {
  const file = path.join(dir, `${name}.db`);
  const server = await openLeadbook(
    file,
    { key },
    { sync: { backoffBaseMs: 20, backoffMaxMs: 200 } },
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanup.push(close);
  return { api: createInProcessClient(server), file, close };
}

async function iAm(l: TestLaptop, name: string) {
  const me = await l.api.call('users.create', { name });
  await l.api.call('device.update', { currentUserId: me.id });
  return me;
}

const leadNames = async (api: LeadbookApi) =>
  (await api.call('leads.list', { limit: 100 })).rows.map((r) => r.name).sort();

/** A plain HTTPS request that trusts the usual CAs only (what a stranger's client does). */
function plainHttps(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(`${url}/health`, (res) => {
        res.resume();
        resolve(String(res.statusCode));
      })
      .on('error', (err: NodeJS.ErrnoException) => reject(err));
  });
}

describe('the booth hub', () => {
  it('keeps its log encrypted with the workspace key when the workspace is encrypted', async () => {
    const h = await laptop('enc-hub', tempDir('leadbook-hub-'), newDatabaseKey());
    await iAm(h, '王五');
    await h.api.call('hub.start', { host: '127.0.0.1' });
    await h.api.call('leads.create', { name: '展位客户', phone: '13700001111' });
    await h.api.call('sync.now', {});
    await h.api.call('hub.stop', {});
    const log = path.join(`${h.file}.hub`, 'hub.db');
    expect(fs.statSync(log).size).toBeGreaterThan(0);
    expect(isPlainDatabaseFile(log)).toBe(false);
    for (const f of [log, `${log}-wal`].filter((x) => fs.existsSync(x)))
      expect(fs.readFileSync(f).includes(Buffer.from('13700001111'))).toBe(false);
  });

  it('serves over TLS with its own certificate; a laptop joins by the QR link and pins it', async () => {
    const h = await laptop('hub');
    await iAm(h, '陈经理');
    // Only one of this laptop's own addresses: anything else is refused, nothing started.
    await expect(h.api.call('hub.start', { host: '8.8.8.8' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect((await h.api.call('hub.status', {})).on).toBe(false);
    const on = await h.api.call('hub.start', { host: '127.0.0.1' });
    expect(on.on).toBe(true);
    expect(on.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(on.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // Made on first use, kept beside the database; the key readable by this user only.
    const key = path.join(`${h.file}.hub`, 'hub-key.pem');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    // Nobody reaches it without trusting that certificate.
    await expect(plainHttps(on.url!)).rejects.toMatchObject({
      code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/),
    });

    const invite = await h.api.call('hub.invite', { name: '王伟', role: 'rep' });
    expect(parseJoinLink(invite.link)).toEqual({
      server: on.url,
      code: invite.code,
      fingerprint: on.fingerprint,
    });

    const a = await laptop('a');
    // A link whose fingerprint is not the hub's: refused before a byte is sent, and the
    // invite is still unused.
    const forged = formatJoinLink({
      server: on.url!,
      code: invite.code,
      fingerprint: 'ab'.repeat(32),
    });
    await expect(a.api.call('sync.join', { link: forged })).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringMatching(/certificate/),
    });
    const joined = await a.api.call('sync.join', { link: invite.link });
    expect(joined.peers).toEqual([
      expect.objectContaining({ kind: 'hub', fingerprint: on.fingerprint, user: '王伟' }),
    ]);

    await a.api.call('leads.create', { name: '展台访客', company: '格力电器' });
    await a.api.call('sync.now', {});
    await h.api.call('sync.now', {});
    expect(await leadNames(h.api)).toEqual(['展台访客']);
    await h.api.call('leads.create', { name: '主机录入' });
    await h.api.call('sync.now', {});
    await a.api.call('sync.now', {});
    expect(await leadNames(a.api)).toEqual(['主机录入', '展台访客']);

    // The hub laptop sees the booth's devices and can remove one.
    const devices = await h.api.call('hub.devices', {});
    expect(devices.map((d) => d.member).sort()).toEqual(['王伟', '陈经理']);

    // The hub is set up anew (its certificate replaced): the pinned laptop refuses it.
    await h.api.call('hub.stop', {});
    fs.rmSync(`${h.file}.hub`, { recursive: true });
    const again = await h.api.call('hub.start', {
      host: '127.0.0.1',
      port: Number(new URL(on.url!).port),
    });
    expect(again.fingerprint).not.toBe(on.fingerprint);
    await expect(a.api.call('sync.now', {})).rejects.toMatchObject({ code: 'UNREACHABLE' });
    const st = await a.api.call('sync.status', {});
    expect(st.peers[0]!.problem?.kind).toBe('wrong_certificate');
    expect(await leadNames(a.api)).toEqual(['主机录入', '展台访客']);
  });

  it('booth chain: A and B sync through the hub while the server is down; C sees their leads once the hub laptop reaches the server', async () => {
    const dir = tempDir('leadbook-chain-');
    const dataFile = path.join(dir, 'server.db');
    let s: RunningSyncServer = await startSyncServer({ host: '127.0.0.1', port: 0, dataFile });
    const port = s.port;
    cleanup.push(() => s.close());

    const h = await laptop('hub');
    await iAm(h, '陈经理');
    await h.api.call('sync.join', { link: formatJoinLink({ server: s.url, code: s.adminCode! }) });
    const forC = await h.api.call('sync.invite', { name: '周强', role: 'rep' });
    const c = await laptop('c');
    await c.api.call('sync.join', { link: forC.link });
    await h.api.call('sync.now', {});

    // At the booth: no internet.
    await s.close();
    const hub = await h.api.call('hub.start', { host: '127.0.0.1' });
    expect(hub.on).toBe(true);
    const a = await laptop('a');
    const b = await laptop('b');
    await a.api.call('sync.join', {
      link: (await h.api.call('hub.invite', { name: '王伟', role: 'rep' })).link,
    });
    await b.api.call('sync.join', {
      link: (await h.api.call('hub.invite', { name: '李娜', role: 'rep' })).link,
    });
    await a.api.call('leads.create', { name: '展台甲', company: '美的' });
    await b.api.call('leads.create', { name: '展台乙', company: '海尔' });
    await a.api.call('sync.now', {});
    await b.api.call('sync.now', {});
    // The team server is unreachable: the hub still syncs, and the failure is reported.
    await expect(h.api.call('sync.now', {})).rejects.toMatchObject({ code: 'UNREACHABLE' });
    await a.api.call('sync.now', {});
    expect(await leadNames(a.api)).toEqual(['展台乙', '展台甲']);
    expect(await leadNames(h.api)).toEqual(['展台乙', '展台甲']);
    expect(await leadNames(c.api)).toEqual([]);
    const waiting = (await h.api.call('sync.status', {})).peers.find((p) => p.kind === 'server')!;
    expect(waiting.waiting).toBeGreaterThan(0);

    // Back online: the hub laptop reaches the team server; C sees the booth's leads.
    s = await startSyncServer({ host: '127.0.0.1', port, dataFile });
    await h.api.call('sync.now', {});
    await c.api.call('sync.now', {});
    expect(await leadNames(c.api)).toEqual(['展台乙', '展台甲']);
    // And the other way: what C typed reaches the booth through the hub laptop.
    await c.api.call('leads.create', { name: '总部线索' });
    await c.api.call('sync.now', {});
    await h.api.call('sync.now', {});
    await b.api.call('sync.now', {});
    expect(await leadNames(b.api)).toEqual(['展台乙', '展台甲', '总部线索']);
  });
});
