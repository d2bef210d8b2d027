// Scores through the API: every lead is scored when it is written, rescored when its
// activities change or the configuration does; the model learns from closed leads.
import { describe, expect, it } from 'vitest';
import {
  defaultScoringConfig,
  type FitRule,
  type LeadbookApi,
} from '../../src-main/contract/index.js';
import { memoryApi } from '../helpers/api.js';

const breakdown = async (api: LeadbookApi, id: string) => {
  const lead = await api.call('leads.get', { id });
  return { lead, why: (await api.call('leads.score', { id }))! };
};

describe('lead scores', () => {
  it('scores a lead on create, with its breakdown, and rescores on every change', async () => {
    const { api } = await memoryApi();
    const lead = await api.call('leads.create', {
      name: '王伟',
      title: '采购总监',
      source: 'event',
      budget: 'confirmed',
      authority: 'decision_maker',
      email: 'wangwei@huawei.com',
    });
    const first = await breakdown(api, lead.id);
    // BANT 20 + 20, trade show +10, senior title +15.
    expect(first.lead.score).toBe(65);
    expect(first.lead.grade).toBe('warm');
    expect(first.why.rules.map((r) => r.id)).toEqual(['event', 'senior-title']);
    expect(first.why.predictive).toBeNull(); // no closed history yet
    const meeting = await api.call('activities.create', {
      kind: 'meeting',
      subject: '展位洽谈',
      lead_id: lead.id,
      occurred_at: Date.now(),
    });
    const warmed = await breakdown(api, lead.id);
    expect(warmed.lead.score).toBe(77);
    expect(warmed.lead.grade).toBe('hot');
    expect(warmed.why.engagement).toEqual({ points: 12, activities: 1 });
    await api.call('activities.delete', { id: meeting.id });
    expect((await api.call('leads.get', { id: lead.id })).score).toBe(65);
    await api.call('leads.update', { id: lead.id, patch: { need: 'none' } });
    expect((await api.call('leads.get', { id: lead.id })).score).toBe(55);
    // The list sorts and filters by score and grade.
    await api.call('leads.create', { name: '路人', email: 'x@qq.com' });
    const hot = await api.call('leads.list', { sort: { field: 'score', dir: 'desc' } });
    expect(hot.rows.map((r) => r.name)).toEqual(['王伟', '路人']);
    const cold = await api.call('leads.list', { filters: { grade: ['cold'] } });
    expect(cold.rows.map((r) => r.name)).toEqual(['路人']);
  });

  it('a rescore that changes nothing leaves timeless scores as they were, still explained', async () => {
    const { api } = await memoryApi();
    const quiet = await api.call('leads.create', { name: 'Quiet', source: 'event' });
    const busy = await api.call('leads.create', { name: 'Busy', source: 'event' });
    await api.call('activities.create', {
      kind: 'call',
      subject: 'x',
      lead_id: busy.id,
      occurred_at: Date.now() - 10 * 86_400_000,
    });
    const before = await api.call('leads.get', { id: busy.id });
    await new Promise((r) => setTimeout(r, 5));
    await api.call('scoring.updateConfig', await api.call('scoring.getConfig', {}));
    // No activities, same score: not written again. With activities (engagement cools
    // with time): written with the new time.
    expect((await api.call('leads.get', { id: quiet.id })).scored_at).toBe(quiet.scored_at);
    expect((await api.call('leads.get', { id: busy.id })).scored_at).toBeGreaterThan(
      before.scored_at!,
    );
    for (const lead of [quiet, busy]) {
      const why = (await api.call('leads.score', { id: lead.id }))!;
      expect(why.score).toBe((await api.call('leads.get', { id: lead.id })).score);
    }
  });

  it('rescores every lead when the configuration changes, and refuses a bad one', async () => {
    const { api } = await memoryApi();
    const lead = await api.call('leads.create', { name: 'Anna', source: 'event' });
    expect((await api.call('leads.get', { id: lead.id })).score).toBe(10);
    const config = await api.call('scoring.getConfig', {});
    expect(config).toEqual(defaultScoringConfig);
    const changed = {
      ...config,
      rules: config.rules.map((r) => (r.id === 'event' ? { ...r, points: 45 } : r)),
    };
    await api.call('scoring.updateConfig', changed);
    const after = await api.call('leads.get', { id: lead.id });
    expect([after.score, after.grade]).toEqual([45, 'warm']);
    await expect(
      api.call('scoring.updateConfig', { ...changed, grades: { hot: 30, warm: 50 } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await api.call('scoring.getConfig', {})).grades).toEqual({ hot: 70, warm: 40 });
    // A `matches` rule whose pattern does not compile is refused, with the field named.
    const badRule: FitRule = {
      id: 'p',
      name: 'p',
      enabled: true,
      field: 'title',
      op: 'matches',
      value: '([',
      points: 5,
    };
    const badPattern = { ...changed, rules: [...changed.rules, badRule] };
    await expect(api.call('scoring.updateConfig', badPattern)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      issues: [expect.objectContaining({ path: 'rules.4.value' })],
    });
    expect((await api.call('leads.get', { id: lead.id })).score).toBe(45); // nothing changed
    await expect(
      api.call('leads.score', { id: '00000000-0000-7000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('learns from closed leads, then shows a probability and its factors', async () => {
    const { api } = await memoryApi();
    await api.call('scoring.updateConfig', {
      ...defaultScoringConfig,
      predictive: { ...defaultScoringConfig.predictive, minClosed: 3 },
    });
    // Leads from events get qualified and converted… (converted is set by conversion,
    // which is not built yet: unqualified vs. still-open is what exists today, so the
    // model is trained from a rebuild over leads closed both ways.)
    for (let i = 0; i < 4; i++) {
      const l = await api.call('leads.create', { name: `web ${i}`, source: 'web_form' });
      await api.call('leads.update', {
        id: l.id,
        patch: { status: 'unqualified', disqualify_reason: '无预算' },
      });
    }
    const summary = await api.call('scoring.rebuildModel', {});
    expect(summary).toMatchObject({ won: 0, lost: 4, enough: false, minClosed: 3 });
    const open = await api.call('leads.create', { name: 'open', source: 'web_form' });
    expect((await api.call('leads.score', { id: open.id }))!.predictive).toBeNull();
  });
});

describe('predictive model over real closed history', () => {
  it('predicts from converted vs unqualified leads, learns as leads close, explains factors', async () => {
    const { memoryStore } = await import('../helpers/store.js');
    const { createRecord, updateRecord } = await import('../../src-main/services/records.js');
    const { getRecord } = await import('../../src-main/services/recordRows.js');
    const { leadScoreBreakdown, rebuildModelAndRescore, updateScoringConfig } =
      await import('../../src-main/services/scoring.js');
    const { defaultStageId, ensureDefaults } = await import('../../src-main/services/defaults.js');
    const { rankBetween } = await import('../../src-main/domain/rank.js');
    const store = await memoryStore();
    ensureDefaults(store);
    updateScoringConfig(store, {
      ...defaultScoringConfig,
      predictive: { ...defaultScoringConfig.predictive, minClosed: 5 },
    });
    const { convertLead } = await import('../../src-main/services/conversion.js');
    // Converted through the real use case, the opportunity then moved to `stage`.
    const convert = (leadId: string, stage: string) => {
      const { opportunity } = convertLead(store, { id: leadId, account: 'new', contact: 'new' });
      if (stage !== 'initial')
        updateRecord(store, 'opportunities', opportunity.id, {
          stage_position: `${defaultStageId(stage)}:${rankBetween(null, null)}`,
          // A lost deal says why (updateOpportunityIn).
          ...(stage === 'lost' ? { lost_reason: '价格太高' } : {}),
        });
      return opportunity;
    };
    // Event leads with a confirmed budget were converted and won; web leads were not.
    for (let i = 0; i < 8; i++) {
      const won = createRecord(store, 'leads', {
        name: `e${i}`,
        source: 'event',
        budget: 'confirmed',
      });
      convert(won.id, 'won');
      const lost = createRecord(store, 'leads', {
        name: `w${i}`,
        source: 'web_form',
        budget: 'none',
      });
      updateRecord(store, 'leads', lost.id, {
        status: 'unqualified',
        disqualify_reason: 'no budget',
      });
    }
    // Converted, its opportunity still open: the lead did its job — a win, until lost.
    const pending = createRecord(store, 'leads', { name: 'p', source: 'web_form', budget: 'none' });
    const pendingOpp = convert(pending.id, 'quote');
    const summary = rebuildModelAndRescore(store);
    expect(summary).toMatchObject({ won: 9, lost: 8, enough: true });
    const hot = createRecord(store, 'leads', {
      name: 'new event',
      source: 'event',
      budget: 'confirmed',
    });
    const cold = createRecord(store, 'leads', {
      name: 'new web',
      source: 'web_form',
      budget: 'none',
    });
    const why = (id: string) => store.read((r) => leadScoreBreakdown(r, id))!;
    const pHot = why(hot.id).predictive!;
    const pCold = why(cold.id).predictive!;
    expect(pHot.probability).toBeGreaterThan(0.9);
    expect(pCold.probability).toBeLessThan(0.1);
    expect(
      pHot.factors
        .slice(0, 2)
        .map((f) => f.field)
        .sort(),
    ).toEqual(['budget', 'source']);
    expect(pHot.factors[0]!.weight).toBeGreaterThan(0);
    expect(store.read((r) => getRecord(r, 'leads', hot.id)).predicted_probability).toBe(
      pHot.probability,
    );
    // A lead that closes teaches the model at once (no rebuild): one more lost event lead
    // lowers the next event lead's probability.
    updateRecord(store, 'leads', hot.id, {
      status: 'unqualified',
      disqualify_reason: 'went elsewhere',
    });
    const again = createRecord(store, 'leads', {
      name: 'next event',
      source: 'event',
      budget: 'confirmed',
    });
    expect(why(again.id).predictive!.probability).toBeLessThan(pHot.probability);
    expect(why(again.id).predictive!.probability).toBeGreaterThan(0.5);
    // An opportunity lost teaches the model at once too: its lead now counts as lost.
    const learned = () => rebuildModelAndRescore(store);
    updateRecord(store, 'opportunities', pendingOpp.id, {
      stage_position: `${defaultStageId('lost')}:${rankBetween(null, null)}`,
      lost_reason: '选择了竞争对手',
    });
    const next = createRecord(store, 'leads', { name: 'n', source: 'event', budget: 'none' });
    const afterLoss = why(next.id).predictive!.probability;
    // …and the incremental model agrees with one learned from scratch.
    expect(learned()).toMatchObject({ won: 8, lost: 10 });
    expect(store.read((r) => leadScoreBreakdown(r, next.id))!.predictive!.probability).toBe(
      afterLoss,
    );
  });
});
