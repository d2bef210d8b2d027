// Stages edited in Settings: the list saved in order and validated as a whole; removing a
// stage that holds deals asks where they go, and each move is recorded in their history.
import { describe, expect, it } from 'vitest';
import type { LeadbookApi, StageRow } from '../../src-main/contract/index.js';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { memoryApi } from '../helpers/api.js';

const asInput = (rows: StageRow[]) =>
  rows.map((s) => ({
    id: s.id,
    name_zh: s.name_zh!,
    name_en: s.name_en!,
    probability: s.probability!,
    kind: s.kind!,
    stale_days: s.stale_days,
  }));

const stages = async (api: LeadbookApi) =>
  (await api.call('stages.list', { sort: { field: 'sort_order', dir: 'asc' }, limit: 100 })).rows;

describe('pipeline stages in Settings', () => {
  it('saves the list in order, renamed and with a new stage', async () => {
    const { api } = await memoryApi();
    const [initial, needs, ...rest] = asInput(await stages(api));
    const saved = await api.call('stages.saveAll', {
      stages: [
        needs!,
        { ...initial!, name_en: 'First touch', probability: 15, stale_days: 7 },
        { name_zh: '演示', name_en: 'Demo', probability: 40, kind: 'open' },
        ...rest,
      ],
    });
    expect(saved.map((s) => s.name_en)).toEqual([
      'Needs analysis',
      'First touch',
      'Demo',
      'Quote',
      'Negotiation',
      'Won',
      'Lost',
    ]);
    expect(saved[1]).toMatchObject({ probability: 15, stale_days: 7 });
    expect(await stages(api)).toEqual(saved);
  });

  it('refuses a list without a won stage, out-of-range numbers, or a stage left out', async () => {
    const { api } = await memoryApi();
    const before = await stages(api);
    const list = asInput(before);
    const bad = [
      list.filter((s) => s.kind !== 'won'),
      list.map((s, i) => (i === 0 ? { ...s, probability: 120 } : s)),
      list.map((s, i) => (i === 0 ? { ...s, name_zh: '  ' } : s)),
      list.slice(1),
    ];
    for (const stagesInput of bad) {
      await expect(api.call('stages.saveAll', { stages: stagesInput })).rejects.toMatchObject({
        code: 'BAD_INPUT',
      });
    }
    expect(await stages(api)).toEqual(before);
  });

  it('removes a stage only after choosing where its deals go; history records the move', async () => {
    const { api } = await memoryApi();
    const quote = defaultStageId('quote');
    const needs = defaultStageId('needs');
    const deals = [];
    for (const name of ['A', 'B'])
      deals.push(await api.call('opportunities.create', { name, stage_id: quote }));
    await expect(api.call('stages.remove', { id: quote })).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [{ path: 'moveTo' }],
    });
    expect((await stages(api)).some((s) => s.id === quote)).toBe(true);
    expect(await api.call('stages.remove', { id: quote, moveTo: needs })).toEqual({ moved: 2 });
    expect((await stages(api)).some((s) => s.id === quote)).toBe(false);
    const moved = await api.call('opportunities.list', {
      filters: { stage_id: [needs] },
      sort: { field: 'stage_position', dir: 'asc' },
    });
    expect(moved.rows.map((o) => o.name)).toEqual(['A', 'B']);
    const history = await api.call('opportunities.history', { id: deals[0]!.id });
    expect(history.map((h) => [h.from_stage_id, h.to_stage_id])).toEqual([
      [null, quote],
      [quote, needs],
    ]);
    // The last won (or lost) stage cannot go.
    await expect(api.call('stages.remove', { id: defaultStageId('won') })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
