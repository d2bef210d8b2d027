// The board and card moves through the API: columns with counts and totals per currency
// (weighted by the stage probability), days in stage and staleness from the history,
// the next open task; a move places the card between its neighbours, a lost deal needs a
// reason, won and lost close the deal and moving back reopens it.
import { describe, expect, it } from 'vitest';
import type { BoardColumn, LeadbookApi } from '../../src-main/contract/index.js';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { memoryApi } from '../helpers/api.js';

const column = (cols: BoardColumn[], key: string) =>
  cols.find((c) => c.stage.id === defaultStageId(key))!;
const names = (cols: BoardColumn[], key: string) => column(cols, key).cards.map((c) => c.name);

async function deals(api: LeadbookApi) {
  const rep = await api.call('users.create', { name: '张伟' });
  const make = (name: string, amount: number | null, currency = 'CNY') =>
    api.call('opportunities.create', {
      name,
      amount,
      currency: amount === null ? null : currency,
      owner_id: rep.id,
      expected_close_date: '2026-12-15',
    });
  const a = await make('A', 1_000_000);
  const b = await make('B', 2_000_000);
  const c = await make('C', 500_00, 'EUR');
  const d = await make('D', null);
  return { rep, a, b, c, d };
}

describe('opportunity board', () => {
  it('shows columns with counts, totals and weighted totals per currency', async () => {
    const { api } = await memoryApi();
    const { a } = await deals(api);
    await api.call('activities.create', {
      kind: 'task',
      subject: '发报价',
      opportunity_id: a.id,
      due_at: Date.now() + 86_400_000,
    });
    const cols = await api.call('opportunities.board', {});
    expect(cols.map((c) => c.stage.name_en)).toEqual([
      'Initial contact',
      'Needs analysis',
      'Quote',
      'Negotiation',
      'Won',
      'Lost',
    ]);
    const first = column(cols, 'initial');
    expect(first.count).toBe(4);
    expect(first.cards.map((c) => c.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(first.total).toEqual(
      expect.arrayContaining([
        { currency: 'CNY', amount: 3_000_000 },
        { currency: 'EUR', amount: 50_000 },
      ]),
    );
    // 初步接触 weighs 10 %.
    expect(first.weighted).toEqual(
      expect.arrayContaining([
        { currency: 'CNY', amount: 300_000 },
        { currency: 'EUR', amount: 5_000 },
      ]),
    );
    expect(first.cards[0]).toMatchObject({
      daysInStage: 0,
      stale: false,
      nextActivity: { subject: '发报价' },
    });
    // Filters: amount range, and no cards at all for another rep.
    const big = await api.call('opportunities.board', { amount_min: 1_500_000 });
    expect(names(big, 'initial')).toEqual(['B']);
    const other = await api.call('users.create', { name: 'x' });
    const none = await api.call('opportunities.board', { owner_id: [other.id] });
    expect(none.every((c) => c.count === 0 && c.total.length === 0)).toBe(true);
  });

  it('moves a card between neighbours, needs a reason for lost, closes and reopens', async () => {
    const { api } = await memoryApi();
    const { a, b, c } = await deals(api);
    const quote = defaultStageId('quote');
    await api.call('opportunities.move', { id: a.id, stageId: quote });
    await api.call('opportunities.move', { id: b.id, stageId: quote });
    // C dropped between A and B.
    await api.call('opportunities.move', {
      id: c.id,
      stageId: quote,
      afterId: a.id,
      beforeId: b.id,
    });
    let cols = await api.call('opportunities.board', {});
    expect(names(cols, 'quote')).toEqual(['A', 'C', 'B']);
    // To the top of the column.
    await api.call('opportunities.move', { id: b.id, stageId: quote, beforeId: a.id });
    cols = await api.call('opportunities.board', {});
    expect(names(cols, 'quote')).toEqual(['B', 'A', 'C']);
    // A neighbour from another column is refused; nothing moves.
    await expect(
      api.call('opportunities.move', { id: a.id, stageId: defaultStageId('needs'), afterId: c.id }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'afterId' }] });
    // Lost needs a reason.
    const lost = defaultStageId('lost');
    await expect(api.call('opportunities.move', { id: a.id, stageId: lost })).rejects.toMatchObject(
      {
        code: 'BAD_INPUT',
        issues: [{ path: 'lostReason' }],
      },
    );
    expect(names(await api.call('opportunities.board', {}), 'quote')).toEqual(['B', 'A', 'C']);
    const gone = await api.call('opportunities.move', {
      id: a.id,
      stageId: lost,
      lostReason: '价格太高',
    });
    expect([gone.lost_reason, typeof gone.closed_at]).toEqual(['价格太高', 'number']);
    const won = await api.call('opportunities.move', { id: b.id, stageId: defaultStageId('won') });
    expect(won.closed_at).toBeTypeOf('number');
    // The board shows won and lost as counted drop zones; the list view asks for the cards.
    cols = await api.call('opportunities.board', {});
    expect([column(cols, 'won').count, column(cols, 'won').cards]).toEqual([1, []]);
    expect(names(await api.call('opportunities.board', { closedCards: true }), 'won')).toEqual([
      'B',
    ]);
    // Back to an open stage: open again.
    const reopened = await api.call('opportunities.move', { id: b.id, stageId: quote });
    expect(reopened.closed_at).toBeNull();
    // Every move is in the stage history.
    const history = await api.call('opportunities.history', { id: b.id });
    expect(history.map((h) => h.to_stage_id)).toEqual([
      defaultStageId('initial'),
      quote,
      defaultStageId('won'),
      quote,
    ]);
  });
});
