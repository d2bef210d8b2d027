// Issue 19: a new team imports last year's leads with their outcome, and the predictive
// score learns from them at once — from the built-in fields and the custom fields the
// import made of the history's columns. The scoring report tests it on a random 30% held
// out, beside a plain L2 logistic regression on the same columns fitted in the same run.
import { describe, expect, it } from 'vitest';
import type { LeadRow } from '../../src-main/contract/index.js';
import { importLeads, type ImportOptions } from '../../src-main/services/importLeads.js';
import { customValuesOf, listCustomFields } from '../../src-main/services/customValues.js';
import { listRecords } from '../../src-main/services/records.js';
import { scoringReport } from '../../src-main/services/scoring.js';
import { leadHistoryCsv } from '../helpers/leadHistory.js';
import { memoryStore } from '../helpers/store.js';

const opts: ImportOptions = {
  fileName: 'Leads.csv',
  onDuplicate: 'merge',
  allOrNothing: false,
  dryRun: false,
};

describe('a lead history with outcomes', () => {
  it('imports every lead into typed custom fields, and the learned score meets the AUC goal', async () => {
    const store = await memoryStore();
    const csv = Buffer.from(leadHistoryCsv());
    const r = await importLeads(store, csv, opts);
    // No name, email or phone in the file: the Prospect ID identifies each lead.
    expect([r.created, r.rejected.length, r.outcomes.won + r.outcomes.lost]).toEqual([
      9000, 0, 9000,
    ]);
    expect(Object.fromEntries(r.mapping.map((m) => [m.header, m.target]))).toMatchObject({
      'Prospect ID': 'source_record_id',
      'Lead Source': 'source',
      Converted: 'outcome',
      Country: 'country',
      'Lead Origin': 'custom',
      'Total Time Spent on Website': 'custom',
    });
    const types = Object.fromEntries(
      store.read((rd) => listCustomFields(rd)).map((f) => [f.key, f.type]),
    );
    expect(types).toEqual({
      lead_origin: 'choice',
      do_not_email: 'boolean',
      do_not_call: 'boolean',
      totalvisits: 'number',
      total_time_spent_on_website: 'number',
      page_views_per_visit: 'number',
      last_activity: 'choice',
      what_is_your_current_occupation: 'choice',
    });
    // The outcome: converted leads are converted, the others disqualified with the reason.
    const leads = listRecords(store, 'leads', {
      limit: 20,
      offset: 0,
      deleted: 'exclude',
      withTotal: false,
    }).rows as LeadRow[];
    for (const lead of leads) {
      expect(['converted', 'unqualified']).toContain(lead.status);
      if (lead.status === 'unqualified') expect(lead.disqualify_reason).toBe('Converted: 0');
      // Scored at once by the model learned from the history.
      expect(lead.predicted_probability).not.toBeNull();
    }
    const values = store.read((rd) => customValuesOf(rd, [leads[0]!.id])).get(leads[0]!.id)!;
    expect(Number(values.total_time_spent_on_website)).toBeGreaterThanOrEqual(0);

    const report = store.read((rd) => scoringReport(rd));
    expect(report.fields).toEqual(
      expect.arrayContaining(['cf.lead_origin', 'cf.total_time_spent_on_website', 'country']),
    );
    const { auc, logisticAuc } = report.holdout!;
    // The synthetic file is as hard as the public one: a logistic regression reaches ~0.88.
    expect(logisticAuc).toBeGreaterThan(0.86);
    expect(logisticAuc).toBeLessThan(0.91);
    // The goal: ≥ 0.85, and never more than 0.02 below the yardstick.
    expect(auc).toBeGreaterThanOrEqual(0.85);
    expect(auc!).toBeGreaterThanOrEqual(logisticAuc! - 0.02);

    // The same file again: every lead found by its Prospect ID, nothing new.
    const again = await importLeads(store, csv, { ...opts, fileName: 'Leads (1).csv' });
    // (A converted lead is read-only: its row is counted as skipped.)
    expect([again.created, again.possibleDuplicates]).toEqual([0, 0]);
    expect([again.updated, again.skipped]).toEqual([r.outcomes.lost, r.outcomes.won]);
    expect(again.customFields.every((f) => !f.isNew)).toBe(true);
  }, 180_000);
});
