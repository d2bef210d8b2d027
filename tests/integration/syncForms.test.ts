// Website forms → leads: an admin or manager makes a form key; the server takes posts from
// any website (urlencoded and JSON), validated, size- and rate-limited, with a honeypot;
// each good post becomes a lead in the log that reaches every laptop, scored on arrival
// and given exactly one owner by the team's assignment rules (run once, on the first admin
// or manager laptop that receives it).
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadbookApi } from '../../src-main/contract/index.js';
import type { RunningSyncServer } from '../../src-server/server.js';
import { openTeam } from '../helpers/sync.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const team = () => openTeam(cleanup);

const post = (s: RunningSyncServer, key: string, body: string, type: string, ip?: string) =>
  fetch(`${s.url}/v1/forms/${key}`, {
    method: 'POST',
    headers: {
      'content-type': type,
      referer: 'https://www.example.cn/contact',
      ...(ip ? { 'x-forwarded-for': ip } : {}),
    },
    body,
    redirect: 'manual',
  });
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

async function syncAll(...laptops: LeadbookApi[]) {
  for (const l of laptops) await l.call('sync.now', {});
}

describe('website forms', () => {
  it('posts become leads on every laptop: scored, with the form’s source and event, extra fields kept in the notes', async () => {
    const { s, admin, joinAs } = await team();
    const rep = await joinAs('李娜', 'rep');
    await expect(rep.call('sync.createForm', { name: '官网' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const event = await admin.call('campaigns.create', { name: '2026 上海工博会' });
    const made = await admin.call('sync.createForm', {
      name: '官网联系表单',
      campaignId: event.id,
      redirectUrl: 'https://www.example.cn/thanks',
    });
    expect(made.key).toMatch(/^lbf_/);
    expect(made.snippet).toContain(`action="${s.url}/v1/forms/${made.key}"`);
    expect(made.snippet).toContain('name="leadbook_hp"');

    // A plain HTML form (urlencoded) is redirected to the thank-you page.
    const browser = await post(
      s,
      made.key,
      form({
        name: '周杰',
        company: '上海电气',
        email: 'Zhou.Jie@SHANGHAI-ELECTRIC.com',
        phone: '13912345678',
        message: '想了解报价',
        budget_range: '50-100万',
        utm_source: 'baidu',
        utm_campaign: 'spring',
      }),
      'application/x-www-form-urlencoded',
    );
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('https://www.example.cn/thanks');
    // A script posts JSON and gets JSON (any origin may).
    const script = await post(
      s,
      made.key,
      JSON.stringify({ name: 'Anna Weber', email: 'anna@example.de' }),
      'application/json',
    );
    expect(script.status).toBe(200);
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(await script.json()).toMatchObject({ ok: true, id: expect.any(String) });

    await syncAll(rep, admin, rep);
    for (const l of [rep, admin]) {
      const leads = (await l.call('leads.list', { sort: { field: 'name', dir: 'asc' } })).rows;
      expect(leads.map((x) => x.name)).toEqual(['Anna Weber', '周杰']);
      const zhou = leads.find((x) => x.name === '周杰')!;
      expect(zhou).toMatchObject({
        company: '上海电气',
        email: 'zhou.jie@shanghai-electric.com',
        source: 'web_form',
        campaign_id: event.id,
        status: 'new',
      });
      expect(zhou.notes).toContain('想了解报价');
      expect(zhou.notes).toContain('budget_range: 50-100万');
      expect(zhou.notes).toContain('utm_source=baidu');
      expect(zhou.notes).toContain('https://www.example.cn/contact');
      // Scored on arrival like any lead.
      expect(zhou.score).not.toBeNull();
    }
    expect((await admin.call('sync.forms', {}))[0]!.received).toBe(2);
  });

  it('refuses malformed, oversized and unknown posts plainly; a honeypot post is thanked and dropped; a flood is bounded and the server stays up', async () => {
    const { s, admin, joinAs } = await team();
    const rep = await joinAs('李娜', 'rep');
    const { key } = await admin.call('sync.createForm', { name: '官网' });
    const json = 'application/json';
    const bad = await post(s, key, JSON.stringify({ name: '张三', email: 'not-an-email' }), json);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/email/);
    expect((await post(s, key, JSON.stringify({ company: '只有公司' }), json)).status).toBe(400);
    expect((await post(s, key, JSON.stringify([1, 2]), json)).status).toBe(400);
    expect((await post(s, key, '{"name":', json)).status).toBe(400);
    const page = await post(s, key, form({ email: 'x' }), 'application/x-www-form-urlencoded');
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const huge = await post(
      s,
      key,
      form({ name: '大', message: 'x'.repeat(70_000) }),
      'application/x-www-form-urlencoded',
    );
    expect(huge.status).toBe(413);
    expect(
      (
        await post(
          s,
          'lbf_nosuchkeynosuchkey',
          form({ name: '甲' }),
          'application/x-www-form-urlencoded',
        )
      ).status,
    ).toBe(404);
    const spam = await post(
      s,
      key,
      form({ name: 'Bot', leadbook_hp: 'http://spam' }),
      'application/x-www-form-urlencoded',
    );
    expect(spam.status).toBe(200);

    // A second form, revoked: it takes nothing more.
    const other = await admin.call('sync.createForm', { name: '旧表单' });
    await admin.call('sync.revokeForm', { key: other.key });
    expect((await post(s, other.key, JSON.stringify({ name: '迟到' }), json)).status).toBe(404);

    // A flood from one address: the first few are taken, the rest refused; bounded.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await post(s, key, JSON.stringify({ name: `访客${i}` }), json)).status);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(25);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    await syncAll(rep);
    const names = (await rep.call('leads.list', { limit: 100 })).rows.map((r) => r.name);
    expect(names).not.toContain('Bot');
    expect(names.length).toBeLessThanOrEqual(10);
    expect(names.length).toBeGreaterThan(0);
  });

  it('the team’s assignment rules give a form’s lead exactly one owner, on the first admin or manager laptop that receives it', async () => {
    const { s, admin, joinAs } = await team();
    const rep = await joinAs('李娜', 'rep');
    const manager = await joinAs('周强', 'manager');
    await syncAll(admin, rep, manager, admin);
    const users = (await admin.call('users.list', { limit: 50 })).rows;
    const lina = users.find((u) => u.name === '李娜')!;
    const zhou = users.find((u) => u.name === '周强')!;
    await admin.call('assignment.updateConfig', {
      rules: [
        { name: '官网轮流', conditions: [], strategy: 'round_robin', pool: [lina.id, zhou.id] },
      ],
    });
    await syncAll(admin, rep, manager);
    const { key } = await admin.call('sync.createForm', { name: '官网' });
    for (const name of ['访客甲', '访客乙'])
      expect((await post(s, key, JSON.stringify({ name }), 'application/json')).status).toBe(200);

    // The rep receives first (reps do not assign); then the admin and the manager both
    // receive before either has synced back — and after sync every laptop agrees.
    await syncAll(rep);
    expect((await rep.call('leads.list', {})).rows.every((l) => l.owner_id === null)).toBe(true);
    await syncAll(admin, manager);
    await syncAll(admin, manager, rep, admin, manager);
    const owners = async (l: LeadbookApi) =>
      Object.fromEntries(
        (await l.call('leads.list', {})).rows.map((r) => [r.name, r.owner_id] as const),
      );
    const onRep = await owners(rep);
    expect(Object.values(onRep).every((o) => o === lina.id || o === zhou.id)).toBe(true);
    expect(await owners(admin)).toEqual(onRep);
    expect(await owners(manager)).toEqual(onRep);
  });
});
