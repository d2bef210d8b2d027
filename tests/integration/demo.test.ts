// The demo data must carry signal for scoring, forecasts and reports to find.
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../src-main/services/demo.js';
import { memoryStore } from '../helpers/store.js';

describe('demo generator', () => {
  it('is realistic: strong BANT trade-show leads convert more; deals close won and lost over 12 months', async () => {
    const store = await memoryStore();
    const now = Date.UTC(2026, 10, 26);
    const result = generateDemo(store, { leads: 3000, locale: 'zh-CN', seed: 11, now });
    expect(result.leads).toBe(3000);
    const leads = store.all(
      store.qb
        .selectFrom('leads')
        .select([
          'status',
          'source',
          'budget',
          'authority',
          'created_at',
          'converted_opportunity_id',
        ]),
    );
    const rate = (pred: (l: (typeof leads)[number]) => boolean) => {
      const group = leads.filter(pred);
      return group.filter((l) => l.status === 'converted').length / Math.max(1, group.length);
    };
    const strong = rate(
      (l) => l.source === 'event' && l.budget === 'confirmed' && l.authority === 'decision_maker',
    );
    const weak = rate(
      (l) => l.source === 'third_party' && (l.budget === 'none' || l.budget === 'unknown'),
    );
    expect(strong).toBeGreaterThan(weak * 2.5);
    expect(leads.every((l) => l.created_at <= now && l.created_at >= now - 366 * 86_400_000)).toBe(
      true,
    );
    expect(
      leads.filter((l) => l.status === 'converted').every((l) => l.converted_opportunity_id),
    ).toBe(true);

    const byKind = store.all(
      store.qb
        .selectFrom('opportunities')
        .innerJoin('stages', 'stages.id', 'opportunities.stage_id')
        .select(['stages.kind', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('stages.kind'),
    );
    const n = Object.fromEntries(byKind.map((r) => [r.kind, r.n]));
    expect(n.won).toBeGreaterThan(10);
    expect(n.lost).toBeGreaterThan(10);
    expect(n.open).toBeGreaterThan(10);
    // Every opportunity's history starts in the first stage and ends where it is now.
    const opps = store.all(store.qb.selectFrom('opportunities').select(['id', 'stage_id']));
    for (const o of opps.slice(0, 50)) {
      const h = store.all(
        store.qb
          .selectFrom('stage_history')
          .select(['from_stage_id', 'to_stage_id', 'changed_at'])
          .where('opportunity_id', '=', o.id)
          .orderBy('changed_at'),
      );
      expect(h[0]!.from_stage_id).toBeNull();
      expect(h[h.length - 1]!.to_stage_id).toBe(o.stage_id);
    }
  });

  it('is deterministic for a seed', async () => {
    const a = await memoryStore();
    const b = await memoryStore();
    const now = Date.UTC(2026, 0, 1);
    generateDemo(a, { leads: 100, locale: 'en', seed: 5, now });
    generateDemo(b, { leads: 100, locale: 'en', seed: 5, now });
    const names = (s: typeof a) =>
      s.all(
        s.qb
          .selectFrom('leads')
          .select(['name', 'company', 'status'])
          .orderBy('created_at')
          .orderBy('name'),
      );
    expect(names(a)).toEqual(names(b));
  });
});
