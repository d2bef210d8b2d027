// Reports and the forecast on a small hand-made team whose right answers are worked out
// here: the funnel, source and event ROI, win rates and lost reasons, the sales cycle,
// rep activity, the forecast with an exchange rate, an override, a currency without a
// rate and targets — and edge cases that must answer without NaN. The CLI prints the
// same numbers as the API.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { runCli } from '../../src-main/cli/index.js';
import type { LeadbookApi } from '../../src-main/contract/index.js';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { tempDir } from '../helpers/store.js';

const at = (iso: string) => vi.setSystemTime(new Date(`${iso}T04:00:00Z`));
const q = { from: '2026-10-01', to: '2026-11-30', utcOffset: 480 };

/** Every number in a report is a real number (null where there is nothing to say). */
function noNaN(value: unknown, where = 'report'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), where).toBe(true);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) noNaN(v, `${where}.${k}`);
}

async function team(api: LeadbookApi) {
  at('2026-10-01');
  const lina = await api.call('users.create', { name: '李娜' });
  const qiang = await api.call('users.create', { name: '张强' });
  await api.call('device.update', { currentUserId: lina.id });
  const expo = await api.call('campaigns.create', {
    name: '深圳高交会',
    kind: 'trade_show',
    cost: 1_000_000, // ¥10 000
    currency: 'CNY',
  });
  await api.call('settings.update', { exchangeRates: { USD: 7 } });
  at('2026-10-05');
  const lead = (name: string, source: string, owner: string, extra: object = {}) =>
    api.call('leads.create', {
      name,
      company: `${name}公司`,
      source: source as 'event',
      owner_id: owner,
      ...(source === 'event' ? { campaign_id: expo.id } : {}),
      ...extra,
    });
  const l1 = await lead('一', 'event', lina.id);
  const l2 = await lead('二', 'event', lina.id, { status: 'contacted' });
  const l3 = await lead('三', 'event', qiang.id, { status: 'qualified' });
  const l4 = await lead('四', 'event', qiang.id);
  const l5 = await lead('五', 'web_form', lina.id);
  const l6 = await lead('六', 'web_form', lina.id, {
    status: 'unqualified',
    disqualify_reason: '学生',
  });
  // 四 converted after 4 days, won 20 days later: ¥30 000.
  at('2026-10-09');
  const c4 = await api.call('leads.convert', { id: l4.id });
  await api.call('opportunities.update', {
    id: c4.opportunity.id,
    patch: { amount: 3_000_000, currency: 'CNY' },
  });
  // 五 converted after 10 days, lost.
  at('2026-10-15');
  const c5 = await api.call('leads.convert', { id: l5.id });
  at('2026-10-29');
  await api.call('opportunities.move', {
    id: c4.opportunity.id,
    stageId: defaultStageId('won'),
  });
  at('2026-11-02');
  await api.call('opportunities.move', {
    id: c5.opportunity.id,
    stageId: defaultStageId('lost'),
    lostReason: '价格太高',
  });
  // Open deals for the forecast: $1 000 in 报价 (50 %), ¥10 000 in 谈判 overridden to 90 %,
  // £500 with no rate.
  at('2026-11-10');
  const usd = await api.call('opportunities.create', {
    name: 'USD deal',
    amount: 100_000,
    currency: 'USD',
    owner_id: qiang.id,
    stage_id: defaultStageId('quote'),
    expected_close_date: '2026-12-15',
  });
  const big = await api.call('opportunities.create', {
    name: 'CNY deal',
    amount: 1_000_000,
    currency: 'CNY',
    owner_id: lina.id,
    stage_id: defaultStageId('negotiation'),
    probability_override: 90,
    expected_close_date: '2026-12-20',
  });
  await api.call('opportunities.create', {
    name: 'GBP deal',
    amount: 50_000,
    currency: 'GBP',
    owner_id: lina.id,
    stage_id: defaultStageId('quote'),
    expected_close_date: '2026-12-01',
  });
  return { lina, qiang, expo, leads: [l1, l2, l3, l4, l5, l6], usd, big };
}

describe('reports on a hand-made team', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts the funnel: leads → contacted → qualified → converted → won', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    await team(api);
    const f = await api.call('reports.funnel', q);
    // 6 leads; all but 一 left "new" (5); 三 qualified + 四 and 五 converted (3);
    // 四 and 五 converted (2); 四's deal won (1).
    expect(f.steps.map((s) => [s.step, s.count])).toEqual([
      ['leads', 6],
      ['contacted', 5],
      ['qualified', 3],
      ['converted', 2],
      ['won', 1],
    ]);
    expect(f.steps[4]!.rate).toBe(0.5);
    expect(f.steps[4]!.ofLeads).toBeCloseTo(1 / 6);
    const event = f.bySource.find((s) => s.source === 'event')!;
    expect(event.steps.map((s) => s.count)).toEqual([4, 3, 2, 1, 1]);
    const web = f.bySource.find((s) => s.source === 'web_form')!;
    expect(web.steps.map((s) => s.count)).toEqual([2, 2, 1, 1, 0]);
    expect(f.byEvent.find((e) => e.name === '深圳高交会')!.steps[0]!.count).toBe(4);
    // Filtered by the event: only its four leads.
    const expoOnly = await api.call('reports.funnel', {
      ...q,
      campaign_id: [f.byEvent.find((e) => e.name === '深圳高交会')!.campaignId!],
    });
    expect(expoOnly.steps.map((s) => s.count)).toEqual([4, 3, 2, 1, 1]);
    await server.close();
  });

  it('gives each source and event its conversion, revenue, cost per lead and won deal, and ROI', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    await team(api);
    const s = await api.call('reports.sources', q);
    const expo = s.rows.find((r) => r.kind === 'event' && r.name === '深圳高交会')!;
    // 4 leads, 1 converted and won (¥30 000), cost ¥10 000: ¥2 500 a lead, ¥10 000 a won
    // deal, ROI (30 000 − 10 000) / 10 000 = 2.
    expect(expo).toMatchObject({
      leads: 4,
      converted: 1,
      conversionRate: 0.25,
      won: 1,
      wonRevenue: { amount: 3_000_000, currency: 'CNY' },
      cost: { amount: 1_000_000, currency: 'CNY' },
      costPerLead: { amount: 250_000, currency: 'CNY' },
      costPerWon: { amount: 1_000_000, currency: 'CNY' },
      roi: 2,
    });
    const web = s.rows.find((r) => r.kind === 'source' && r.key === 'web_form')!;
    expect(web).toMatchObject({ leads: 2, converted: 1, won: 0, cost: null, roi: null });
    expect(web.wonRevenue.amount).toBe(0);
    await server.close();
  });

  it('ranks win rates by rep, source and stage reached, and lost reasons', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    const { lina, qiang } = await team(api);
    const w = await api.call('reports.winRates', q);
    expect(w.byOwner.find((r) => r.key === qiang.id)).toMatchObject({ won: 1, lost: 0, rate: 1 });
    expect(w.byOwner.find((r) => r.key === lina.id)).toMatchObject({ won: 0, lost: 1, rate: 0 });
    // Both closed deals started in 初步接触: one of two won.
    expect(w.byStageReached.find((r) => r.key === defaultStageId('initial'))).toMatchObject({
      won: 1,
      lost: 1,
      rate: 0.5,
    });
    expect(w.lostReasons).toEqual([
      { reason: '价格太高', count: 1, amount: { amount: 0, currency: 'CNY' } },
    ]);
    // Asked again after the lost deal's reason was edited: the new reason, not a kept one.
    const lost = (await api.call('opportunities.list', { limit: 50 })).rows.find(
      (o) => o.lost_reason === '价格太高',
    )!;
    await api.call('opportunities.update', { id: lost.id, patch: { lost_reason: '选了竞品' } });
    expect((await api.call('reports.winRates', q)).lostReasons.map((x) => x.reason)).toEqual([
      '选了竞品',
    ]);
    // A rep's name changed: the report says the new one.
    await api.call('users.update', { id: qiang.id, patch: { name: '张强强' } });
    expect(
      (await api.call('reports.winRates', q)).byOwner.find((r) => r.key === qiang.id)?.name,
    ).toBe('张强强');
    await server.close();
  });

  it('measures the sales cycle in days, by month', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    await team(api);
    const c = await api.call('reports.cycle', q);
    // Conversions after 4 and 10 days: median 7. Won 20 days after its deal was made.
    expect(c.leadToOpportunity).toEqual({ medianDays: 7, count: 2 });
    expect(c.opportunityToWon).toEqual({ medianDays: 20, count: 1 });
    // Stays that ended in range in 初步接触: 20 days (won) and 18 days (lost) → 19.
    expect(c.timeInStage.find((s) => s.stageId === defaultStageId('initial'))).toMatchObject({
      medianDays: 19,
      count: 2,
    });
    expect(c.trend).toEqual([
      { month: '2026-10', leadToOpportunityDays: 7, opportunityToWonDays: 20 },
    ]);
    await server.close();
  });

  it('forecasts by month in the team currency, with categories, targets and what it left out', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    const { lina, qiang } = await team(api);
    await api.call('targets.set', { user_id: null, period: '2026-10', amount: 5_000_000 });
    await api.call('targets.set', { user_id: null, period: '2026-12', amount: 0 });
    await api.call('targets.set', { user_id: qiang.id, period: '2026-10', amount: 2_000_000 });
    at('2026-11-20');
    const f = await api.call('reports.forecast', {
      from: '2026-10-01',
      to: '2026-12-31',
      utcOffset: 480,
    });
    expect(f.currency).toBe('CNY');
    expect(f.missingRates).toEqual(['GBP']);
    expect(f.convertedCurrencies).toEqual(['USD']);
    const [oct, nov, dec] = f.buckets;
    // October: ¥30 000 won against the team's ¥50 000: 60 %, ¥20 000 to go.
    expect(oct).toMatchObject({
      period: '2026-10',
      won: 3_000_000,
      target: 5_000_000,
      attainment: 0.6,
      gap: 2_000_000,
    });
    expect(nov).toMatchObject({ won: 0, target: null, attainment: null, gap: null });
    // December: $1 000 × 7 = ¥7 000 at 50 % (best case) + ¥10 000 at 90 % (commit).
    expect(dec).toMatchObject({
      pipeline: 1_700_000,
      weighted: 350_000 + 900_000,
      byCategory: { commit: 1_000_000, best_case: 700_000, pipeline: 0, omitted: 0 },
      target: 0,
      attainment: null,
      gap: 0,
    });
    // Too little history: the learned probability falls back to the one the deal counts
    // with (the override included).
    expect(dec!.predicted).toBe(350_000 + 900_000);
    expect(f.stages.every((s) => s.learnedProbability === null)).toBe(true);
    // Per rep: 张强's ¥30 000 against his ¥20 000 October target.
    expect(f.byRep.find((r) => r.userId === qiang.id)).toMatchObject({
      won: 3_000_000,
      target: 2_000_000,
      attainment: 1.5,
      weighted: 350_000,
    });
    expect(f.byRep.find((r) => r.userId === lina.id)).toMatchObject({ weighted: 900_000 });
    // A rep's own view: only his deals and his target.
    const mine = await api.call('reports.forecast', {
      from: '2026-10-01',
      to: '2026-12-31',
      utcOffset: 480,
      owner_id: [qiang.id],
    });
    expect(mine.buckets[0]).toMatchObject({ target: 2_000_000, attainment: 1.5 });
    expect(mine.totals.weighted).toBe(350_000);
    // The deal list says where each number came from.
    expect(f.deals.find((d) => d.name === 'CNY deal')).toMatchObject({
      probability: 90,
      category: 'commit',
      categoryOverridden: false,
      period: '2026-12',
      weighted: 900_000,
    });
    // Largest weighted first; GBP has no rate and is not counted.
    expect(f.deals.map((d) => d.name)).toEqual(['CNY deal', 'USD deal']);
    expect(f.dealCount).toBe(2);
    const list = (dealFilter: object) =>
      api.call('reports.forecast', {
        from: '2026-10-01',
        to: '2026-12-31',
        utcOffset: 480,
        dealFilter,
      });
    // Filtered by category and period (a quarter holds its months), sorted by close date.
    const bestCase = await list({ category: 'best_case' });
    expect(bestCase.deals.map((d) => d.name)).toEqual(['USD deal']);
    expect(bestCase.dealCount).toBe(1);
    expect(
      (await list({ period: '2026-Q4', sort: 'close', descending: false })).deals.map(
        (d) => d.name,
      ),
    ).toEqual(['USD deal', 'CNY deal']);
    expect((await list({ period: '2026-11' })).dealCount).toBe(0);
    // The filter narrows the list only, not the forecast.
    expect(bestCase.totals).toEqual(f.totals);
    await expect(list({ period: '2026-13' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await server.close();
  });

  it('learns the win rate from closed deals, judging a deal by how long it has sat in its stage', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    at('2026-08-01');
    const quote = defaultStageId('quote');
    const deals = [];
    for (let i = 0; i < 20; i++)
      deals.push(await api.call('opportunities.create', { name: `d${i}`, stage_id: quote }));
    // Ten won after 2 days in 报价; ten lost after 60.
    at('2026-08-03');
    for (const d of deals.slice(0, 10))
      await api.call('opportunities.move', { id: d.id, stageId: defaultStageId('won') });
    at('2026-08-11');
    const stuck = await api.call('opportunities.create', {
      name: 'stuck',
      amount: 1_000_000,
      stage_id: quote,
      expected_close_date: '2026-10-15',
    });
    at('2026-09-30');
    for (const d of deals.slice(10))
      await api.call('opportunities.move', {
        id: d.id,
        stageId: defaultStageId('lost'),
        lostReason: '没有预算',
      });
    const fresh = await api.call('opportunities.create', {
      name: 'fresh',
      amount: 1_000_000,
      stage_id: quote,
      expected_close_date: '2026-10-15',
    });
    const f = await api.call('reports.forecast', { from: '2026-10-01', to: '2026-10-31' });
    // Of 20 closed stays in 报价, 10 ended won: 50 % beside the stage's 50 % default.
    expect(f.stages.find((s) => s.stageId === quote)).toMatchObject({
      stageProbability: 50,
      learnedProbability: 0.5,
      basedOn: 20,
    });
    // Fresh: judged by all 20. Stuck for 50 days: by the 10 stays that lasted 45 days or
    // more — all lost.
    expect(f.deals.find((d) => d.id === fresh.id)).toMatchObject({
      predictedProbability: 50,
      predictedBasedOn: 20,
    });
    expect(f.deals.find((d) => d.id === stuck.id)).toMatchObject({
      predictedProbability: 0,
      predictedBasedOn: 10,
    });
    expect(f.buckets[0]).toMatchObject({ weighted: 1_000_000, predicted: 500_000 });
    // The learned rates are kept between asks — and recomputed once the data changes.
    await api.call('opportunities.move', { id: stuck.id, stageId: defaultStageId('won') });
    const again = await api.call('reports.forecast', { from: '2026-10-01', to: '2026-10-31' });
    expect(again.stages.find((s) => s.stageId === quote)).toMatchObject({
      learnedProbability: 11 / 21,
      basedOn: 21,
    });
    // An edit of another field keeps them; deleting a won deal takes its stay out.
    await api.call('opportunities.update', { id: fresh.id, patch: { next_step: '报价跟进' } });
    await api.call('opportunities.delete', { id: deals[0]!.id });
    const afterDelete = await api.call('reports.forecast', {
      from: '2026-10-01',
      to: '2026-10-31',
    });
    expect(afterDelete.stages.find((s) => s.stageId === quote)).toMatchObject({
      learnedProbability: 10 / 20,
      basedOn: 20,
    });
    await server.close();
  });

  it('counts each rep’s activities when they happened, overdue tasks and leads left untouched', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    at('2026-10-01');
    const lina = await api.call('users.create', { name: '李娜' });
    const qiang = await api.call('users.create', { name: '张强' });
    const lead = (name: string, owner: string, extra: object = {}) =>
      api.call('leads.create', { name, owner_id: owner, ...extra });
    const l1 = await lead('一', lina.id);
    const l2 = await lead('二', lina.id);
    const l3 = await lead('三', qiang.id);
    await lead('四', lina.id, { status: 'unqualified', disqualify_reason: '没有预算' });
    at('2026-10-20');
    // 李娜 logs a call with no time given: it happened when written down.
    await api.call('activities.create', {
      kind: 'call',
      subject: '首次电话',
      lead_id: l1.id,
      owner_id: lina.id,
    });
    const task = await api.call('activities.create', {
      kind: 'task',
      subject: '发报价',
      lead_id: l2.id,
      owner_id: lina.id,
      due_at: new Date('2026-10-22T04:00:00Z').getTime(),
    });
    // 张强's task is still open when due.
    await api.call('activities.create', {
      kind: 'task',
      subject: '回电话',
      lead_id: l3.id,
      owner_id: qiang.id,
      due_at: new Date('2026-10-25T04:00:00Z').getTime(),
    });
    at('2026-10-25');
    // 张强 writes down a call made in September: it touches 三 now, but happened before
    // the range.
    await api.call('activities.create', {
      kind: 'call',
      subject: '补记',
      lead_id: l3.id,
      owner_id: qiang.id,
      occurred_at: new Date('2026-09-15T04:00:00Z').getTime(),
    });
    at('2026-10-30');
    await lead('五', qiang.id);
    at('2026-11-01');
    await api.call('activities.update', { id: task.id, patch: { done_at: Date.now() } });
    at('2026-11-05');
    const rows = await api.call('reports.repActivity', q);
    // 李娜: the call (Oct 20) and the task done (Nov 1); 一 untouched since Oct 20 (the
    // cutoff is Oct 22); 二 touched by the task done; 四 is not open.
    // 张强: the September call is outside the range, an open task is not activity yet and
    // it is overdue; 三 was touched on Oct 25; 五 is too new to count.
    expect(rows.map((r) => [r.name, r.activities, r.overdueTasks, r.untouchedLeads])).toEqual([
      ['张强', 0, 1, 0],
      ['李娜', 2, 0, 1],
    ]);
    await server.close();
  });

  it('backtests the last quarter with what each deal looked like at its start', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    const quote = defaultStageId('quote');
    at('2026-06-15');
    // Expected in Q3 on July 1st, slipped to November later: counted.
    const slipped = await api.call('opportunities.create', {
      name: 'slipped',
      amount: 1_000_000,
      stage_id: quote,
      expected_close_date: '2026-08-10',
    });
    // Expected in December on July 1st, pulled into September later: not counted.
    const pulled = await api.call('opportunities.create', {
      name: 'pulled',
      amount: 5_000_000,
      stage_id: quote,
      expected_close_date: '2026-12-15',
    });
    // ¥20 000 on July 1st, raised to ¥50 000 in August: counted at ¥20 000.
    const raised = await api.call('opportunities.create', {
      name: 'raised',
      amount: 2_000_000,
      stage_id: quote,
      expected_close_date: '2026-09-01',
    });
    at('2026-07-10');
    await api.call('opportunities.update', {
      id: pulled.id,
      patch: { expected_close_date: '2026-09-15' },
    });
    at('2026-07-20');
    await api.call('opportunities.update', {
      id: slipped.id,
      patch: { expected_close_date: '2026-11-30' },
    });
    at('2026-08-01');
    await api.call('opportunities.update', { id: raised.id, patch: { amount: 5_000_000 } });
    at('2026-09-20');
    await api.call('opportunities.move', { id: raised.id, stageId: defaultStageId('won') });
    at('2026-10-05');
    const f = await api.call('reports.forecast', { backtest: true });
    // 报价 weighs 50 %: (¥10 000 + ¥20 000) × 50 %.
    expect(f.backtest).toMatchObject({
      quarter: '2026-Q3',
      asOf: '2026-07-01',
      openDeals: 2,
      weighted: 1_500_000,
      actualWon: 5_000_000,
      actualWonFromCounted: 5_000_000,
    });
    await server.close();
  });

  it('puts on the home page this month, hot leads, overdue tasks and stale deals — mine or the team’s', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    const { lina, qiang } = await team(api);
    const hot = await api.call('leads.create', {
      name: '热',
      owner_id: lina.id,
      source: 'event',
      budget: 'confirmed',
      authority: 'decision_maker',
      need: 'clear',
      timeline: 'lt_3m',
      title: '采购总监',
      phone: '13800138000',
    });
    await api.call('activities.create', {
      kind: 'task',
      subject: '回电话',
      lead_id: hot.id,
      owner_id: lina.id,
      due_at: Date.now() + 5 * 86_400_000,
    });
    await api.call('targets.set', { user_id: qiang.id, period: '2026-12', amount: 1_000_000 });
    // Expected to close in November and still open in December: it counts this month.
    await api.call('opportunities.create', {
      name: 'late',
      amount: 200_000,
      currency: 'CNY',
      owner_id: qiang.id,
      stage_id: defaultStageId('quote'),
      expected_close_date: '2026-11-25',
    });
    // December 5th: the task is past due; the USD and GBP deals have sat 25 days in 报价
    // (stale after 21), the CNY deal 25 days in 谈判 (stale after 30: not yet).
    at('2026-12-05');
    const mine = await api.call('reports.dashboard', { owner_id: lina.id, utcOffset: 480 });
    expect(mine.hotLeads.map((l) => l.name)).toEqual(['热']);
    expect(mine.overdueTasks.map((a) => a.subject)).toEqual(['回电话']);
    expect(mine.staleDeals.map((d) => d.name)).toEqual(['GBP deal']);
    const his = await api.call('reports.dashboard', { owner_id: qiang.id, utcOffset: 480 });
    expect(his.staleDeals.map((d) => [d.name, d.daysInStage])).toEqual([
      ['late', 25],
      ['USD deal', 25],
    ]);
    expect(his.month).toMatchObject({
      period: '2026-12',
      weighted: 350_000 + 100_000,
      target: 1_000_000,
      won: 0,
      attainment: 0,
    });
    const everyone = await api.call('reports.dashboard', { utcOffset: 480 });
    expect(everyone.staleDeals.map((d) => d.name).sort()).toEqual(['GBP deal', 'USD deal', 'late']);
    expect(everyone.month.weighted).toBe(350_000 + 900_000 + 100_000);
    await server.close();
  });

  it('answers sensibly with no data, all lost, a zero target and an empty range', async () => {
    const server = await openLeadbook(':memory:');
    const api = createInProcessClient(server);
    at('2026-11-20');
    const empty = { from: '2020-01-01', to: '2020-12-31', utcOffset: 0 };
    for (const proc of [
      'reports.funnel',
      'reports.sources',
      'reports.winRates',
      'reports.cycle',
      'reports.repActivity',
    ] as const) {
      const r = await api.call(proc, empty);
      noNaN(r, proc);
    }
    const f0 = await api.call('reports.forecast', { backtest: true, utcOffset: 0 });
    noNaN(f0, 'forecast');
    expect(f0.totals).toEqual({ pipeline: 0, weighted: 0, predicted: 0, won: 0 });
    expect(f0.backtest).toMatchObject({ quarter: '2026-Q3', openDeals: 0, actualWon: 0 });
    // All lost.
    const o = await api.call('opportunities.create', { name: 'x', amount: 100 });
    await api.call('opportunities.move', {
      id: o.id,
      stageId: defaultStageId('lost'),
      lostReason: '联系不上',
    });
    const w = await api.call('reports.winRates', { utcOffset: 0 });
    noNaN(w, 'all lost');
    expect(w.byOwner[0]).toMatchObject({ won: 0, lost: 1, rate: 0 });
    // A range that ends before it starts is refused.
    await expect(
      api.call('reports.funnel', { from: '2026-12-01', to: '2026-11-01' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await server.close();
  });

  it('prints the same numbers from the CLI as the API gives', async () => {
    const db = path.join(tempDir(), 'reports.db');
    const server = await openLeadbook(db);
    const api = createInProcessClient(server);
    await team(api);
    at('2026-11-20');
    // The CLI reads days in this machine's zone; the API is asked in the same one.
    const utcOffset = -new Date().getTimezoneOffset();
    const range = { from: '2026-10-01', to: '2026-12-31', utcOffset };
    const expected = {
      funnel: await api.call('reports.funnel', range),
      sources: await api.call('reports.sources', range),
      cycle: await api.call('reports.cycle', range),
      forecast: await api.call('reports.forecast', { ...range, backtest: true }),
    };
    await server.close();
    for (const kind of ['funnel', 'sources', 'cycle', 'forecast'] as const) {
      let stdout = '';
      const code = await runCli(
        ['report', kind, '--db', db, '--from', range.from, '--to', range.to, '--json'],
        { stdout: (s) => (stdout += s), stderr: () => undefined },
      );
      expect(code, kind).toBe(0);
      expect(JSON.parse(stdout), kind).toEqual(expected[kind]);
    }
    let text = '';
    await runCli(['report', 'funnel', '--db', db, '--from', '2026-10-01', '--to', '2026-11-30'], {
      stdout: (s) => (text += s),
      stderr: () => undefined,
    });
    expect(text).toContain('leads 6 → contacted 5 (83.3%)');
    let err = '';
    const bad = await runCli(['report', 'funnel', '--db', db, '--owner', 'nobody'], {
      stdout: () => undefined,
      stderr: (s) => (err += s),
    });
    expect(bad).toBeGreaterThan(0);
    expect(err).toContain('nobody');
  });
});
