// Pairing, devices and roles against a real sync server and laptops opened as the app
// opens them (API + engines): the admin code, invites used once, the device list, revoking,
// and team settings that only admins and managers may change.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import {
  parseJoinLink,
  formatJoinLink,
  type LeadbookApi,
  type PushResponse,
  type SyncEntry,
} from '../../src-main/contract/index.js';
import { SyncClient, SyncHttpError } from '../../src-main/sync/client.js';
import { startSyncServer, type RunningSyncServer } from '../../src-server/server.js';
import { tempDir } from '../helpers/store.js';
import { until } from '../helpers/sync.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function server(now?: () => number): Promise<RunningSyncServer> {
  const s = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    dataFile: path.join(tempDir('leadbook-sync-'), 'server.db'),
    pingMs: 200,
    ...(now ? { now } : {}),
  });
  cleanup.push(() => s.close());
  return s;
}

/** A laptop as the app opens it; background sync off unless asked (cycles run by sync.now).
 * `revisions` collects the revision of every sync status event it tells. */
async function laptop(
  name: string,
  background = false,
): Promise<{ api: LeadbookApi; revisions: number[] }> {
  const apiServer = await openLeadbook(
    path.join(tempDir('leadbook-team-'), `${name}.db`),
    {},
    { background, sync: { backoffBaseMs: 20, backoffMaxMs: 200, pollMs: 500 } },
  );
  cleanup.push(() => apiServer.close());
  const revisions: number[] = [];
  apiServer.onEvent((e) => e.type === 'sync' && revisions.push(e.status.revision));
  return { api: createInProcessClient(apiServer), revisions };
}

const leadNames = async (api: LeadbookApi) =>
  (await api.call('leads.list', { limit: 100 })).rows.map((r) => r.name).sort();

describe('pairing', () => {
  it('the first start makes a one-time admin code; the admin invites a rep by link; each code works once', async () => {
    const s = await server();
    expect(s.adminCode).toMatch(/^lbi_/);
    const adminLink = formatJoinLink({ server: s.url, code: s.adminCode! });

    const a = await laptop('admin');
    // The admin's laptop already had a team member chosen: joining keeps that person.
    const me = await a.api.call('users.create', { name: '陈经理' });
    await a.api.call('device.update', { currentUserId: me.id });
    await a.api.call('leads.create', { name: '展前线索', company: '华为' });
    const joined = await a.api.call('sync.join', { link: adminLink });
    expect(joined).toMatchObject({ role: 'admin', user: '陈经理', server: s.url });
    await a.api.call('sync.now', {});
    // A second start makes no new code once an admin exists.
    expect(await s.store.adminCodeIfNeeded()).toBeNull();

    const invite = await a.api.call('sync.invite', { name: '李娜', role: 'rep' });
    expect(parseJoinLink(invite.link)).toEqual({ server: s.url, code: invite.code });
    expect(invite.expiresAt - Date.now()).toBeGreaterThan(23 * 3600_000);

    const b = await laptop('rep');
    await expect(
      b.api.call('sync.join', { link: 'leadbook://join?server=http://x&code=nope' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const bJoined = await b.api.call('sync.join', { link: invite.link });
    expect(bJoined).toMatchObject({ role: 'rep', user: '李娜' });
    await b.api.call('sync.now', {});
    // The team's leads are here, and 李娜 is this laptop's user (written by the server).
    expect(await leadNames(b.api)).toEqual(['展前线索']);
    const bDevice = await b.api.call('device.get', {});
    const users = (await b.api.call('users.list', { limit: 50 })).rows;
    expect(users.find((u) => u.id === bDevice.currentUserId)?.name).toBe('李娜');
    expect(users.map((u) => u.name)).toContain('陈经理');

    // Used once: a second laptop with the same link is refused, plainly.
    const c = await laptop('again');
    await expect(c.api.call('sync.join', { link: invite.link })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/used already|expired/),
    });
    expect((await c.api.call('sync.status', {})).server).toBeNull();
  });

  it('an invite expires after 24 hours; guessing codes is stopped after 30 tries a minute', async () => {
    let now = Date.now();
    const s = await server(() => now);
    const old = await s.store.createInvite('operator', { name: '王伟', role: 'rep' });
    now += 24 * 3600_000 + 1;
    const client = new SyncClient(s.url, '');
    await expect(client.join({ code: old.code, nodeId: '00000000000000aa' })).rejects.toMatchObject(
      { code: 'UNAUTHORIZED' },
    );
    const fresh = await s.store.createInvite('operator', { name: '王伟', role: 'rep' });
    let limited: SyncHttpError | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      try {
        await client.join({ code: `lbi_${'x'.repeat(27)}${i}`, nodeId: '00000000000000aa' });
      } catch (err) {
        if ((err as SyncHttpError).code === 'RATE_LIMITED') limited = err as SyncHttpError;
      }
    }
    expect(limited?.status).toBe(429);
    // Even the right code waits out the minute from that address.
    await expect(
      client.join({ code: fresh.code, nodeId: '00000000000000aa' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('devices', () => {
  it('an admin sees every device and revokes one: its token stops at once, the laptop says so and keeps its data', async () => {
    const s = await server();
    const a = await laptop('admin');
    await a.api.call('sync.join', { link: formatJoinLink({ server: s.url, code: s.adminCode! }) });
    const invite = await a.api.call('sync.invite', { name: '李娜', role: 'rep' });
    const b = await laptop('rep', true);
    await b.api.call('sync.join', { link: invite.link });
    await b.api.call('leads.create', { name: '李娜的线索' });
    await until('b synced', async () => {
      const st = await b.api.call('sync.status', {});
      return st.state === 'synced' && st.waiting === 0;
    });
    // Every status told carries a newer revision, and an answer never an older one than
    // the last event (the renderer keeps the newest: an old answer cannot undo "synced").
    expect(b.revisions.length).toBeGreaterThan(2);
    expect(b.revisions).toEqual([...b.revisions].sort((x, y) => x - y));
    expect(new Set(b.revisions).size).toBe(b.revisions.length);
    expect((await b.api.call('sync.status', {})).revision).toBe(b.revisions.at(-1));

    const devices = await a.api.call('sync.devices', {});
    expect(devices.map((d) => [d.member, d.role])).toEqual([
      [expect.any(String), 'admin'],
      ['李娜', 'rep'],
    ]);
    const rep = devices.find((d) => d.member === '李娜')!;
    expect(rep).toMatchObject({ waiting: 0, appVersion: expect.any(String), revokedAt: null });
    expect(rep.lastSeenAt).toBeGreaterThan(Date.now() - 60_000);
    // A rep may not see or manage devices.
    await expect(b.api.call('sync.devices', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const after = await a.api.call('sync.revoke', { deviceId: rep.id });
    expect(after.find((d) => d.id === rep.id)?.revokedAt).toBeGreaterThan(0);
    await b.api.call('leads.create', { name: '撤销后录入' });
    const refused = await until('b told it was removed', async () => {
      const st = await b.api.call('sync.status', {});
      return st.problem?.kind === 'revoked' ? st : null;
    });
    expect(refused.state).toBe('error');
    expect(await leadNames(b.api)).toEqual(['撤销后录入', '李娜的线索']);
    // The admin's laptop never receives what was typed after the revocation.
    await a.api.call('sync.now', {});
    expect(await leadNames(a.api)).toEqual(['李娜的线索']);
  });
});

describe('roles', () => {
  it('the server refuses a rep’s team-settings entry (the whole batch, with the reason); a manager may write it', async () => {
    const s = await server();
    const rep = await s.store.createToken({ user: '李娜', role: 'rep' });
    const manager = await s.store.createToken({ user: '周强', role: 'manager' });
    const node = (n: string) => `${String(Date.now()).padStart(15, '0')}-0000-${n}`;
    const batch = (n: string): SyncEntry[] => [
      { hlc: node(n), table: 'leads', rowId: `lead-${n}`, fields: { name: '访客' } },
      {
        hlc: node(n).replace('-0000-', '-0001-'),
        table: 'stages',
        rowId: 'stage-x',
        fields: { name_zh: '谈判', probability: 60 },
      },
    ];
    const asRep = new SyncClient(s.url, rep.token);
    await asRep.hello({ nodeId: 'aaaaaaaaaaaaaaaa', checkpoints: [] });
    const err = await asRep.push(batch('aaaaaaaaaaaaaaaa')).catch((e: SyncHttpError) => e);
    expect(err).toBeInstanceOf(SyncHttpError);
    expect((err as SyncHttpError).status).toBe(403);
    expect((err as SyncHttpError).details).toMatchObject({ code: 'FORBIDDEN', index: 1 });
    expect((err as SyncHttpError).message).toMatch(/admins and managers/);
    // Whole batch: not even the lead went in.
    expect((await asRep.pull(0, null, 100)).entries.map((e) => e.table)).toEqual([
      'users',
      'users',
    ]);
    // The round-robin cursor of an assignment rule moves on a rep's capture: allowed.
    const cursor = {
      hlc: node('aaaaaaaaaaaaaaaa').replace('-0000-', '-0005-'),
      table: 'assignment_rules',
      rowId: 'rule-1',
      fields: { rr_cursor: 2 },
    };
    expect((await asRep.push([cursor])).accepted).toBe(1);

    const asManager = new SyncClient(s.url, manager.token);
    await asManager.hello({ nodeId: 'bbbbbbbbbbbbbbbb', checkpoints: [] });
    const ok: PushResponse = await asManager.push(batch('bbbbbbbbbbbbbbbb'));
    expect(ok.accepted).toBe(2);
  });

  it('a rep’s laptop keeps team settings read-only and says why; changes made before joining stay here, the rest syncs', async () => {
    const s = await server();
    const a = await laptop('admin');
    await a.api.call('sync.join', { link: formatJoinLink({ server: s.url, code: s.adminCode! }) });
    const invite = await a.api.call('sync.invite', { name: '李娜', role: 'rep' });

    const b = await laptop('rep');
    // Before joining, this laptop had its own lost reasons (team settings) and a lead.
    const before = await b.api.call('settings.get', {});
    await b.api.call('settings.update', { lostReasons: [...before.lostReasons, '自定义原因'] });
    await b.api.call('leads.create', { name: '入队前的线索' });
    await b.api.call('sync.join', { link: invite.link });
    const moved = await b.api.call('sync.now', {});
    expect(moved.pushed).toBeGreaterThan(0);
    const st = await b.api.call('sync.status', {});
    expect(st).toMatchObject({ role: 'rep', state: 'synced', waiting: 0 });
    expect(st.peers[0]!.refused).toBeGreaterThan(0);

    // Now a rep: team settings are refused here with the reason, and nothing changes.
    await expect(b.api.call('settings.update', { lostReasons: ['只有我'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/rep/),
    });
    await expect(b.api.call('stages.saveAll', { stages: [] } as never)).rejects.toMatchObject({
      code: expect.stringMatching(/FORBIDDEN|BAD_INPUT/),
    });
    expect((await b.api.call('settings.get', {})).lostReasons).toContain('自定义原因');
    // Leads are not team settings: the rep's lead reached the admin.
    await a.api.call('sync.now', {});
    expect(await leadNames(a.api)).toEqual(['入队前的线索']);
    expect((await a.api.call('settings.get', {})).lostReasons).not.toContain('自定义原因');
    // The admin's change of team settings reaches the rep.
    await a.api.call('settings.update', { lostReasons: ['价格', '时机'] });
    await a.api.call('sync.now', {});
    await b.api.call('sync.now', {});
    expect((await b.api.call('settings.get', {})).lostReasons).toEqual(['价格', '时机']);
  });

  it('a rep promoted to manager: the team-settings changes held back go up', async () => {
    const s = await server();
    const a = await laptop('admin');
    await a.api.call('sync.join', { link: formatJoinLink({ server: s.url, code: s.adminCode! }) });
    const b = await laptop('rep');
    const before = await b.api.call('settings.get', {});
    await b.api.call('settings.update', { lostReasons: [...before.lostReasons, '自定义原因'] });
    await b.api.call('sync.join', {
      link: (await a.api.call('sync.invite', { name: '李娜', role: 'rep' })).link,
    });
    await b.api.call('sync.now', {});
    expect((await b.api.call('sync.status', {})).peers[0]!.refused).toBeGreaterThan(0);

    await s.store.createToken({ user: '李娜', role: 'manager' });
    await b.api.call('sync.now', {});
    const st = await b.api.call('sync.status', {});
    expect(st).toMatchObject({ role: 'manager', waiting: 0 });
    expect(st.peers[0]!.refused).toBe(0);
    await a.api.call('sync.now', {});
    expect((await a.api.call('settings.get', {})).lostReasons).toContain('自定义原因');
  });
});
