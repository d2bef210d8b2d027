// The leads workspace's use cases through the API: bulk actions, the overdue filter, the
// timeline from the change log, device preferences, and refusals that change nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { openSqlite } from '../../src-main/store/sqlite.js';

import { memoryApi } from '../helpers/api.js';
import { rejection } from '../helpers/errors.js';

const DAY = 86_400_000;

describe('leads workspace', () => {
  it('bulk-changes the owner of a selection in one transaction, skipping converted leads', async () => {
    const { api } = await memoryApi();
    const rep = await api.call('users.create', { name: '李娜' });
    const leads = await Promise.all(
      ['甲', '乙', '丙', '丁'].map((name) => api.call('leads.create', { name })),
    );
    const ids = leads.slice(0, 3).map((l) => l.id);
    const result = await api.call('leads.bulkUpdate', { ids, patch: { owner_id: rep.id } });
    expect(result).toEqual({ changed: 3, skipped: 0 });
    const mine = await api.call('leads.list', { filters: { owner_id: [rep.id] } });
    expect(mine.rows.map((r) => r.name).sort()).toEqual(['丙', '乙', '甲']);
    // Running it again changes nothing (already the owner).
    expect(await api.call('leads.bulkUpdate', { ids, patch: { owner_id: rep.id } })).toEqual({
      changed: 0,
      skipped: 3,
    });
  });

  it('refuses a bulk change with an unknown owner or id and changes no lead', async () => {
    const { api } = await memoryApi();
    const a = await api.call('leads.create', { name: 'A' });
    const b = await api.call('leads.create', { name: 'B' });
    const ghost = '01890000-0000-7000-8000-000000000000';
    const e1 = await rejection(
      api.call('leads.bulkUpdate', { ids: [a.id, b.id], patch: { owner_id: ghost } }),
    );
    expect(e1.code).toBe('BAD_INPUT');
    const e2 = await rejection(
      api.call('leads.bulkUpdate', { ids: [a.id, ghost], patch: { status: 'contacted' } }),
    );
    expect(e2.code).toBe('NOT_FOUND');
    const e3 = await rejection(
      api.call('leads.bulkUpdate', { ids: [a.id, b.id], patch: { status: 'unqualified' } }),
    );
    expect(e3.issues?.[0]?.path).toBe('disqualify_reason');
    for (const id of [a.id, b.id]) {
      const lead = await api.call('leads.get', { id });
      expect([lead.status, lead.owner_id]).toEqual(['new', null]);
    }
    const ok = await api.call('leads.bulkUpdate', {
      ids: [a.id, b.id],
      patch: { status: 'unqualified', disqualify_reason: '学生，无采购需求' },
    });
    expect(ok.changed).toBe(2);
  });

  it('bulk delete is undone by bulk restore', async () => {
    const { api } = await memoryApi();
    const ids = (
      await Promise.all(['a', 'b', 'c'].map((name) => api.call('leads.create', { name })))
    ).map((l) => l.id);
    expect((await api.call('leads.bulkDelete', { ids })).changed).toBe(3);
    expect((await api.call('leads.list', {})).total).toBe(0);
    expect((await api.call('leads.bulkRestore', { ids })).changed).toBe(3);
    expect((await api.call('leads.list', {})).total).toBe(3);
  });

  it('filters leads with an open task due before the start of today', async () => {
    const { api } = await memoryApi();
    const today = Date.UTC(2026, 10, 26);
    const late = await api.call('leads.create', { name: 'late' });
    const onTime = await api.call('leads.create', { name: 'on time' });
    const doneLate = await api.call('leads.create', { name: 'done late' });
    await api.call('activities.create', {
      kind: 'task',
      subject: 'call back',
      lead_id: late.id,
      due_at: today - DAY,
    });
    await api.call('activities.create', {
      kind: 'task',
      subject: 'send quote',
      lead_id: onTime.id,
      due_at: today + DAY,
    });
    await api.call('activities.create', {
      kind: 'task',
      subject: 'old',
      lead_id: doneLate.id,
      due_at: today - 2 * DAY,
      done_at: today - DAY,
    });
    const overdue = await api.call('leads.list', { overdue_before: today });
    expect(overdue.rows.map((r) => r.name)).toEqual(['late']);
    expect(overdue.total).toBe(1);
    // The total is cached per table version: finishing the task (a write to activities,
    // not to leads) must still change it.
    const task = (await api.call('activities.list', { filters: { lead_id: [late.id] } })).rows[0]!;
    await api.call('activities.update', { id: task.id, patch: { done_at: today } });
    const after = await api.call('leads.list', { overdue_before: today });
    expect([after.total, after.rows.length]).toEqual([0, 0]);
    // Only leads take the filter; other entities refuse it rather than ignore it.
    const e = await rejection(api.call('accounts.list', { overdue_before: today } as never));
    expect(e.code).toBe('BAD_INPUT');
  });

  it('exports exactly the selected leads as CSV', async () => {
    const { api } = await memoryApi();
    const a = await api.call('leads.create', { name: 'Alpha', email: 'a@x.com' });
    await api.call('leads.create', { name: 'Beta' });
    const c = await api.call('leads.create', { name: '=HYPERLINK("x")' });
    const out = await api.call('leads.export', { ids: [c.id, a.id] });
    expect(out.rows).toBe(2);
    const lines = out.text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(out.text).toContain('Alpha');
    expect(out.text).not.toContain('Beta');
    expect(out.text).toContain('"\t=HYPERLINK'); // a formula is neutralised
  });

  it('timeline lists activities and every field change with who and the value before', async () => {
    const { api } = await memoryApi();
    const me = await api.call('users.create', { name: '王伟' });
    const device = await api.call('device.update', { currentUserId: me.id });
    expect(device.currentUserId).toBe(me.id);
    const lead = await api.call('leads.create', { name: '张三', company: '字节跳动' });
    await api.call('leads.update', { id: lead.id, patch: { title: '采购经理' } });
    await api.call('activities.create', { kind: 'call', subject: '电话沟通', lead_id: lead.id });
    const items = await api.call('leads.timeline', { id: lead.id });
    const changes = items.filter((i) => i.kind === 'change');
    expect(changes.map((c) => c.action)).toEqual(['updated', 'updated', 'created']);
    const statusChange = changes[0]!;
    expect(statusChange.changes).toEqual([{ field: 'status', from: 'new', to: 'contacted' }]);
    expect(changes[1]!.changes).toEqual([{ field: 'title', from: null, to: '采购经理' }]);
    expect(changes.every((c) => c.author_name === '王伟')).toBe(true);
    expect(items.filter((i) => i.kind === 'activity')).toHaveLength(1);
    const created = changes[2]!;
    expect(created.changes.map((c) => c.field)).toEqual(
      expect.arrayContaining(['name', 'company', 'status']),
    );
  });

  it('device settings refuse an unknown user or event and keep the old values', async () => {
    const { api } = await memoryApi();
    const event = await api.call('campaigns.create', { name: '2026 上海工博会' });
    await api.call('device.update', { currentEventId: event.id });
    const ghost = '01890000-0000-7000-8000-000000000000';
    const e = await rejection(
      api.call('device.update', { currentEventId: ghost, currentUserId: ghost }),
    );
    expect(e.code).toBe('BAD_INPUT');
    expect(await api.call('device.get', {})).toEqual({
      currentUserId: null,
      currentEventId: event.id,
    });
  });

  it('refuses bad input with a message per field and saves nothing', async () => {
    const { api } = await memoryApi();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'A', email: 'not-an-email' }, 'email', 'is not an email address'],
      [{ name: 'A', phone: '12345' }, 'phone', 'is not a possible phone number'],
      [{ name: 'x'.repeat(10_000) }, 'name', 'too_big'],
      [{ name: 'A', tags: ['ok', ''] }, 'tags.1', 'too_small'],
    ];
    for (const [input, path, expected] of cases) {
      const e = await rejection(api.call('leads.create', input as { name: string }));
      expect(e.code).toBe('BAD_INPUT');
      const issue = e.issues?.find((i) => i.path === path);
      expect(issue, `${path} for ${JSON.stringify(input).slice(0, 60)}`).toBeDefined();
      expect([issue!.message, issue!.code]).toContain(expected);
    }
    const e = await rejection(
      api.call('activities.create', {
        kind: 'task',
        subject: 'call',
        due_at: Date.UTC(20000, 0, 1),
      }),
    );
    expect(e.issues?.[0]).toMatchObject({ path: 'due_at', code: 'too_big' });
    expect((await api.call('leads.list', {})).total).toBe(0);
    expect((await api.call('activities.list', {})).total).toBe(0);
  });

  it('keeps tags as a de-duplicated list', async () => {
    const { api } = await memoryApi();
    const lead = await api.call('leads.create', { name: 'T', tags: ['VIP', '展会', 'VIP'] });
    expect(JSON.parse(lead.tags!)).toEqual(['VIP', '展会']);
    const cleared = await api.call('leads.update', { id: lead.id, patch: { tags: [] } });
    expect(cleared.tags).toBeNull();
  });
});

describe('search index versions', () => {
  it('"zs" finds 张三 but not 圳市 inside a company; "zjtd" still finds 字节跳动 mid-name', async () => {
    const { api } = await memoryApi();
    await api.call('leads.create', { name: '张三' });
    await api.call('leads.create', { name: '王芳', company: '深圳市腾讯计算机系统有限公司' });
    await api.call('leads.create', { name: '李雷', company: '北京字节跳动科技有限公司' });
    const names = async (q: string) =>
      (await api.call('leads.list', { q })).rows.map((r) => r.name).sort();
    expect(await names('zs')).toEqual(['张三']);
    expect(await names('zjtd')).toEqual(['李雷']);
    expect(await names('tengxun')).toEqual(['王芳']);
  });

  it('re-indexes every row on open when the documents were built by other rules', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-search-'));
    const file = path.join(dir, 'app.db');
    const first = await openLeadbook(file);
    await createInProcessClient(first).call('leads.create', { name: '张三', company: '字节跳动' });
    first.close();
    // An older version's index: different version mark, documents missing.
    const db = openSqlite(file);
    db.prepare(`UPDATE meta SET value = '1' WHERE key = 'search_doc_version'`).run();
    db.prepare(`DELETE FROM search_leads`).run();
    db.close();
    const again = await openLeadbook(file);
    const found = await createInProcessClient(again).call('leads.list', { q: 'zhangsan' });
    expect(found.rows.map((r) => r.name)).toEqual(['张三']);
    again.close();
  });
});

describe('tags', () => {
  it('are searchable like any other text of the lead', async () => {
    const { api } = await memoryApi();
    await api.call('leads.create', { name: 'A', tags: ['样品', 'VIP'] });
    await api.call('leads.create', { name: 'B' });
    const b = await api.call('leads.create', { name: 'C' });
    await api.call('leads.update', { id: b.id, patch: { tags: ['vip'] } });
    expect((await api.call('leads.list', { q: 'vip' })).rows.map((r) => r.name).sort()).toEqual([
      'A',
      'C',
    ]);
    expect((await api.call('leads.list', { q: '样品' })).rows.map((r) => r.name)).toEqual(['A']);
  });
});
