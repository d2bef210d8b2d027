// The merge screen's use cases through the API: groups found after the fact, a merge
// with chosen values, and its undo.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/contract/index.js';
import { findDuplicateGroups } from '../../src-main/domain/duplicateGroups.js';
import { memoryApi } from '../helpers/api.js';

describe('duplicate groups', () => {
  it('joins people transitively and ranks email/phone evidence above name + company', () => {
    const groups = findDuplicateGroups(
      [
        { id: 'a', name: '张三', company: '字节跳动', email: 'zs@bytedance.com' },
        { id: 'b', name: 'Zhang San', email: 'ZS@bytedance.com', phone: '13800138000' },
        { id: 'c', name: '张先生', phone: '+86 138-0013-8000' },
        { id: 'd', name: '李四', company: '华为技术有限公司' },
        { id: 'e', name: 'Li Si', company: '华为技术' },
        { id: 'f', name: '王五', company: '腾讯' },
      ],
      'CN',
    );
    expect(groups).toEqual([
      { ids: ['a', 'b', 'c'], reasons: ['email', 'phone'], confidence: 100 },
      { ids: ['d', 'e'], reasons: ['name_company'], confidence: 35 },
    ]);
  });
});

describe('merging leads', () => {
  it('keeps the chosen values, moves activities, links and deletes the others; undo puts all back', async () => {
    const { api } = await memoryApi();
    const a = await api.call('leads.create', { name: '张三', email: 'zs@bytedance.com' });
    const b = await api.call('leads.create', {
      name: '张三',
      email: 'ZS@bytedance.com',
      title: '采购总监',
      phone: '13800138000',
    });
    const call = await api.call('activities.create', {
      kind: 'call',
      subject: '电话沟通',
      lead_id: b.id,
    });
    const groups = await api.call('leads.duplicateGroups', {});
    expect(groups).toHaveLength(1);
    expect(groups[0]!.leads.map((l) => l.id)).toEqual([a.id, b.id]);

    const { mergeId, survivor } = await api.call('leads.merge', {
      survivorId: a.id,
      otherIds: [b.id],
      values: { title: '采购总监', phone: '13800138000' },
    });
    expect([survivor.title, survivor.phone, survivor.email]).toEqual([
      '采购总监',
      '13800138000',
      'zs@bytedance.com',
    ]);
    const gone = await api.call('leads.get', { id: b.id });
    expect([gone.deleted_at !== null, gone.merged_into_id]).toEqual([true, a.id]);
    expect((await api.call('activities.get', { id: call.id })).lead_id).toBe(a.id);
    expect(await api.call('leads.duplicateGroups', {})).toEqual([]);

    expect(await api.call('leads.unmerge', { id: mergeId })).toEqual({ restored: 1 });
    const back = await api.call('leads.get', { id: b.id });
    expect([back.deleted_at, back.merged_into_id]).toEqual([null, null]);
    expect((await api.call('activities.get', { id: call.id })).lead_id).toBe(b.id);
    const restored = await api.call('leads.get', { id: a.id });
    expect([restored.title, restored.phone]).toEqual([null, null]);
    await expect(api.call('leads.unmerge', { id: mergeId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('refuses a merge into itself, of a deleted lead, or with a bad value, changing nothing', async () => {
    const { api } = await memoryApi();
    const a = await api.call('leads.create', { name: 'A' });
    const b = await api.call('leads.create', { name: 'B' });
    const deleted = await api.call('leads.create', { name: 'D' });
    await api.call('leads.delete', { id: deleted.id });
    const attempts = [
      { survivorId: a.id, otherIds: [a.id], values: {} },
      { survivorId: a.id, otherIds: [deleted.id], values: {} },
      { survivorId: a.id, otherIds: [b.id], values: { email: 'not-an-email' } },
    ];
    for (const input of attempts) {
      const err = await api.call('leads.merge', input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
    }
    expect((await api.call('leads.get', { id: b.id })).deleted_at).toBeNull();
    expect((await api.call('leads.list', {})).total).toBe(2);
  });
});
