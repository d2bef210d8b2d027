// Conflicts you can see and undo: the same field edited on two laptops while apart shows
// on both timelines with both values, who wrote each, where and when; "keep mine" writes
// mine again and it wins on both after sync. A later edit made after seeing the other one
// is no conflict. A lead deleted on one laptop while edited on another is restorable with
// its edits.
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadbookApi, TimelineItem } from '../../src-main/contract/index.js';
import { openTeam } from '../helpers/sync.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function team() {
  const { admin: a, joinAs } = await openTeam(cleanup, '王伟');
  return { a, b: await joinAs('李娜', 'rep') };
}

const sync = async (...laptops: LeadbookApi[]) => {
  for (const l of laptops) await l.call('sync.now', {});
};
const conflicts = (items: TimelineItem[]) =>
  items.flatMap((i) => (i.kind === 'conflict' ? [i.conflict] : []));

describe('conflicts', () => {
  it('the same field on two laptops: both timelines show it; “keep mine” wins on both after sync', async () => {
    const { a, b } = await team();
    const lead = await a.call('leads.create', { name: '张三', company: '华为' });
    await sync(a, b);
    // Apart: both change the company.
    await a.call('leads.update', { id: lead.id, patch: { company: '华为技术有限公司' } });
    await new Promise((r) => setTimeout(r, 5));
    await b.call('leads.update', { id: lead.id, patch: { company: '华为终端' } });
    await sync(a, b, a);

    // B's value is newer: it wins on both laptops…
    expect((await a.call('leads.get', { id: lead.id })).company).toBe('华为终端');
    expect((await b.call('leads.get', { id: lead.id })).company).toBe('华为终端');
    // …and both laptops show the conflict, with both values and who wrote them.
    const onA = conflicts(await a.call('leads.timeline', { id: lead.id }));
    expect(onA).toEqual([
      expect.objectContaining({
        field: 'company',
        mine: '华为技术有限公司',
        mineAuthor: '王伟',
        theirs: '华为终端',
        theirsAuthor: '李娜',
        theirsDevice: expect.any(String),
        winner: 'theirs',
        resolvedAt: null,
      }),
    ]);
    const onB = conflicts(await b.call('leads.timeline', { id: lead.id }));
    expect(onB).toEqual([
      expect.objectContaining({
        field: 'company',
        mine: '华为终端',
        theirs: '华为技术有限公司',
        winner: 'mine',
      }),
    ]);
    expect((await a.call('sync.conflicts', {})).map((c) => c.record)).toEqual(['张三']);

    // A conflict that does not exist: refused, nothing written.
    await expect(
      a.call('sync.resolveConflict', { id: 999_999, keep: 'mine' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.call('leads.get', { id: lead.id })).company).toBe('华为终端');
    // A keeps its value: written again, it wins everywhere after sync.
    const settled = await a.call('sync.resolveConflict', { id: onA[0]!.id, keep: 'mine' });
    expect(settled.resolvedAt).not.toBeNull();
    await sync(a, b);
    expect((await b.call('leads.get', { id: lead.id })).company).toBe('华为技术有限公司');
    expect((await a.call('leads.get', { id: lead.id })).company).toBe('华为技术有限公司');
    // On B the conflict is over too: a later change replaced both values.
    expect(
      conflicts(await b.call('leads.timeline', { id: lead.id }))[0]!.supersededAt,
    ).not.toBeNull();
    // Nothing was lost: every value is in the lead's history.
    const history = (await b.call('leads.timeline', { id: lead.id })).flatMap((i) =>
      i.kind === 'change' ? i.changes.map((c) => c.to) : [],
    );
    expect(history).toEqual(expect.arrayContaining(['华为技术有限公司', '华为终端']));
  });

  it('an edit made after seeing the other one is no conflict', async () => {
    const { a, b } = await team();
    const lead = await a.call('leads.create', { name: '李四', company: '格力' });
    await sync(a, b);
    await a.call('leads.update', { id: lead.id, patch: { company: '格力电器' } });
    await sync(a, b);
    await b.call('leads.update', { id: lead.id, patch: { company: '珠海格力电器' } });
    await sync(b, a);
    expect((await a.call('leads.get', { id: lead.id })).company).toBe('珠海格力电器');
    expect(await a.call('sync.conflicts', {})).toEqual([]);
    expect(await b.call('sync.conflicts', {})).toEqual([]);
  });

  it('a lead deleted on one laptop while edited on another is restorable with its edits', async () => {
    const { a, b } = await team();
    const lead = await a.call('leads.create', { name: '王五', company: '美的' });
    await sync(a, b);
    await a.call('leads.delete', { id: lead.id });
    await b.call('leads.update', { id: lead.id, patch: { notes: '展会上约了下周拜访' } });
    await sync(b, a, b);
    const found = conflicts(await b.call('leads.timeline', { id: lead.id }));
    expect(found).toEqual([
      expect.objectContaining({ field: 'deleted_at', theirsAuthor: '王伟', winner: 'theirs' }),
    ]);
    expect((await b.call('leads.list', {})).rows).toEqual([]);
    await b.call('sync.resolveConflict', { id: found[0]!.id, keep: 'mine' });
    await sync(b, a);
    for (const l of [a, b]) {
      const back = await l.call('leads.get', { id: lead.id });
      expect(back).toMatchObject({ deleted_at: null, notes: '展会上约了下周拜访' });
    }
  });
});
