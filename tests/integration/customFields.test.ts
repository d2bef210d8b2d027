// Custom fields as Settings › Fields and the lead panel use them: typed values (a bad one
// refused, nothing changed), values that sync on their own, and an export that imports
// back into the same fields elsewhere.
import { describe, expect, it } from 'vitest';
import { procedures } from '../../src-main/contract/index.js';
import { keyFromLabel } from '../../src-main/domain/customFields.js';
import { saveCustomField, setLeadCustomValues } from '../../src-main/services/customFields.js';
import { customValuesOf } from '../../src-main/services/customValues.js';
import { exportEntity } from '../../src-main/services/exportData.js';
import { importLeads } from '../../src-main/services/importLeads.js';
import { createRecord, listRecords } from '../../src-main/services/records.js';
import type { Store } from '../../src-main/store/store.js';
import { rejection } from '../helpers/errors.js';
import { memoryStore } from '../helpers/store.js';

/** The calls the app makes, on a store. */
function appOf(store: Store) {
  return {
    save: (input: Parameters<typeof saveCustomField>[1]) =>
      Promise.resolve().then(() => saveCustomField(store, input)),
    set: (id: string, values: Record<string, string | null>) =>
      Promise.resolve().then(() => setLeadCustomValues(store, id, values)),
    values: (id: string) => store.read((r) => customValuesOf(r, [id]).get(id) ?? {}),
  };
}

describe('custom fields', () => {
  it('are defined once, typed, set per lead, exported and imported back', async () => {
    const store = await memoryStore();
    const app = appOf(store);
    const visits = await app.save({ key: 'visits', label: 'Visits', type: 'number' });
    expect(visits).toMatchObject({ key: 'visits', type: 'number', options: [] });
    const tier = await app.save({
      key: keyFromLabel('客户等级'),
      label: '客户等级',
      type: 'choice',
      options: ['A', 'B', 'C'],
    });
    expect(tier.key).toBe('kehudengji');
    await app.save({ key: 'consent', label: 'Consent', type: 'boolean' });
    // A key is unique; a type never changes.
    expect((await rejection(app.save({ key: 'visits', label: 'Visits', type: 'text' }))).code).toBe(
      'CONFLICT',
    );
    expect(
      (await rejection(app.save({ id: visits.id, key: 'visits', label: 'V', type: 'text' }))).code,
    ).toBe('BAD_INPUT');
    // The API refuses a key that is not one before anything runs.
    expect(
      procedures['leads.setCustom'].input.safeParse({ id: visits.id, values: { 'Not a key': 'x' } })
        .success,
    ).toBe(false);

    const lead = createRecord(store, 'leads', { name: '王芳', company: '华星科技' });
    expect(await app.set(lead.id, { visits: '1,234', kehudengji: 'b', consent: '是' })).toEqual({
      visits: '1234',
      kehudengji: 'B',
      consent: '1',
    });
    // A value that does not fit its type refuses the whole change; nothing changes.
    const bad = await rejection(app.set(lead.id, { visits: 'many', kehudengji: 'C' }));
    expect([bad.code, bad.issues?.[0]?.path]).toEqual(['BAD_INPUT', 'visits']);
    expect(app.values(lead.id)).toMatchObject({ kehudengji: 'B' });
    // Cleared with null.
    await app.set(lead.id, { consent: null });
    expect(app.values(lead.id)).toEqual({ visits: '1234', kehudengji: 'B' });
    // Each value is its own synced row: two laptops filling two fields both win.
    const changes = store.changesSince(null).filter((c) => c.table === 'custom_values');
    expect(new Set(changes.map((c) => c.rowId)).size).toBe(3);

    // Exported as cf.<key> columns, imported back into the same fields elsewhere.
    const csv = exportEntity(store, 'leads', 'csv').text;
    expect(csv.split('\r\n')[0]).toContain('cf.visits,cf.kehudengji,cf.consent');
    const other = await memoryStore();
    await appOf(other).save({ key: 'visits', label: 'Visits', type: 'number' });
    const r = await importLeads(other, Buffer.from(csv), {
      fileName: 'leads.csv',
      onDuplicate: 'merge',
      allOrNothing: false,
      dryRun: false,
    });
    expect(r.customFields.map((f) => [f.key, f.type, f.isNew])).toEqual([
      ['visits', 'number', false],
      ['kehudengji', 'choice', true],
    ]);
    // Mapped by hand to "new custom field" again (a remembered mapping): the same field.
    const again = await importLeads(other, Buffer.from('name,Tier X\nZed,A\n'), {
      fileName: 'x.csv',
      mapping: ['name', 'custom'],
      onDuplicate: 'merge',
      allOrNothing: false,
      dryRun: false,
    });
    const twice = await importLeads(other, Buffer.from('name,Tier X\nYan,B\n'), {
      fileName: 'y.csv',
      mapping: ['name', 'custom'],
      onDuplicate: 'merge',
      allOrNothing: false,
      dryRun: false,
    });
    expect([again.customFields[0]!.isNew, twice.customFields[0]]).toEqual([
      true,
      { header: 'Tier X', key: 'tier_x', label: 'Tier X', type: 'choice', isNew: false },
    ]);
    const copy = listRecords(other, 'leads', {
      limit: 5,
      offset: 0,
      deleted: 'exclude',
      withTotal: false,
    }).rows.find((l) => l.name === '王芳');
    expect(appOf(other).values(copy!.id)).toEqual({ visits: '1234', kehudengji: 'B' });
  });
});

describe('custom fields in rules', () => {
  it('a fit rule scores by a custom value; an assignment rule routes imported leads by one', async () => {
    const { memoryApi } = await import('../helpers/api.js');
    const { api } = await memoryApi();
    await api.call('customFields.save', { label: 'Visits', type: 'number' });
    await api.call('customFields.save', { label: 'Tier', type: 'choice', options: ['A', 'B'] });
    // A rule on a field that does not look like one is refused at the boundary.
    const config = await api.call('scoring.getConfig', {});
    expect(
      (
        await rejection(
          api.call('scoring.updateConfig', {
            ...config,
            rules: [{ id: 'x', name: 'x', field: 'cf.Not A Key', op: 'gt', value: 5, points: 5 }],
          }),
        )
      ).code,
    ).toBe('BAD_INPUT');
    await api.call('scoring.updateConfig', {
      ...config,
      rules: [
        ...config.rules,
        { id: 'many-visits', name: '访问多次', field: 'cf.visits', op: 'gt', value: 5, points: 15 },
      ],
    });
    const lead = await api.call('leads.create', { name: '李强' });
    const before = (await api.call('leads.get', { id: lead.id })).score!;
    await api.call('leads.setCustom', { id: lead.id, values: { visits: '12' } });
    const after = await api.call('leads.get', { id: lead.id });
    expect(after.score).toBe(before + 15);
    const why = await api.call('leads.score', { id: lead.id });
    expect(why?.rules.map((r) => r.id)).toContain('many-visits');

    const ann = await api.call('users.create', { name: '安娜' });
    await api.call('assignment.updateConfig', {
      rules: [
        {
          name: 'A-tier to Anna',
          conditions: [{ field: 'cf.tier', op: 'equals', value: 'A' }],
          strategy: 'user',
          userId: ann.id,
        },
      ],
      onImport: true,
    });
    const file = Buffer.from('Name,Tier\nA Person,A\nB Person,B\n').toString('base64');
    const r = await api.call('imports.run', { fileName: 'tiers.csv', content: file });
    expect(r.customFields).toEqual([
      { header: 'Tier', key: 'tier', label: 'Tier', type: 'choice', isNew: false },
    ]);
    const rows = (await api.call('leads.list', { limit: 10, offset: 0 })).rows;
    const owner = (name: string) => rows.find((l) => l.name === name)?.owner_id ?? null;
    expect([owner('A Person'), owner('B Person')]).toEqual([ann.id, null]);
  });
});

describe('custom fields and undo', () => {
  it('an import that filled a lead’s custom value takes it back on undo, unless edited since', async () => {
    const { undoImport } = await import('../../src-main/services/importLeads.js');
    const store = await memoryStore();
    const app = appOf(store);
    await app.save({ key: 'tier', label: 'Tier', type: 'choice', options: ['A', 'B'] });
    await app.save({ key: 'visits', label: 'Visits', type: 'number' });
    const lead = createRecord(store, 'leads', { name: 'Ann Lee', email: 'ann@x.example' });
    const file = Buffer.from('Name,Email,Tier,Visits\nAnn Lee,ann@x.example,A,3\n');
    const r = await importLeads(store, file, {
      fileName: 'f.csv',
      onDuplicate: 'merge',
      allOrNothing: false,
      dryRun: false,
    });
    expect([r.merged, app.values(lead.id)]).toEqual([1, { tier: 'A', visits: '3' }]);
    // The user changes one of them afterwards: that edit is theirs and stays.
    await app.set(lead.id, { visits: '5' });
    expect(undoImport(store, r.batchId!)).toEqual({ deleted: 0, restored: 1 });
    expect(app.values(lead.id)).toEqual({ visits: '5' });
  });
});

describe('custom fields in the leads list', () => {
  it('filters and sorts by a custom field, and answers each row’s values', async () => {
    const store = await memoryStore();
    const app = appOf(store);
    await app.save({ key: 'visits', label: 'Visits', type: 'number' });
    await app.save({ key: 'tier', label: 'Tier', type: 'choice', options: ['A', 'B'] });
    const made: Record<string, string> = {};
    for (const [name, visits, tier] of [
      ['Nine', '9', 'A'],
      ['Ten', '10', 'B'],
      ['Two', '2', 'A'],
      ['None', null, null],
    ] as const) {
      const lead = createRecord(store, 'leads', { name });
      made[name] = lead.id;
      await app.set(lead.id, { visits, tier });
    }
    const list = (input: Record<string, unknown>) =>
      listRecords(store, 'leads', procedures['leads.list'].input.parse(input) as never);
    // Numbers sort as numbers (10 after 9), empty first ascending.
    const byVisits = list({ sort: { field: 'cf.visits', dir: 'asc' } });
    expect(byVisits.rows.map((r) => r.name)).toEqual(['None', 'Two', 'Nine', 'Ten']);
    expect(byVisits.rows[3]!.custom).toEqual({ visits: '10', tier: 'B' });
    const tierA = list({ custom: { tier: ['A'] }, sort: { field: 'cf.visits', dir: 'desc' } });
    expect([tierA.total, tierA.rows.map((r) => r.name)]).toEqual([2, ['Nine', 'Two']]);
    // The count follows a value changed since.
    await app.set(made.Ten!, { tier: 'A' });
    expect(list({ custom: { tier: ['A'] } }).total).toBe(3);
    // A range on a number field: numbers compare as numbers (9 and 10, not "10" < "9").
    const nineUp = list({
      customRange: { visits: { min: 9 } },
      sort: { field: 'name', dir: 'asc' },
    });
    expect(nineUp.rows.map((r) => r.name)).toEqual(['Nine', 'Ten']);
    expect(list({ customRange: { visits: { min: 3, max: 9 } } }).rows.map((r) => r.name)).toEqual([
      'Nine',
    ]);
    // A filter on a field that does not exist finds nothing; a bad key is refused.
    expect(list({ custom: { nope: ['x'] } }).total).toBe(0);
    expect(procedures['leads.list'].input.safeParse({ custom: { 'Bad Key': ['x'] } }).success).toBe(
      false,
    );
  });
});

describe('custom fields in reports', () => {
  it('splits the funnel by a custom field’s values', async () => {
    const { funnelReport } = await import('../../src-main/services/analytics.js');
    const { reportInput } = await import('../../src-main/contract/index.js');
    const store = await memoryStore();
    const app = appOf(store);
    await app.save({ key: 'tier', label: 'Tier', type: 'choice', options: ['A', 'B'] });
    for (const [name, tier, status] of [
      ['a1', 'A', 'contacted'],
      ['a2', 'A', 'qualified'],
      ['b1', 'B', 'new'],
      ['n1', null, 'new'],
    ] as const) {
      const lead = createRecord(store, 'leads', { name, status });
      await app.set(lead.id, { tier });
    }
    const report = store.read((r) => funnelReport(r, reportInput.parse({ groupBy: 'cf.tier' })));
    const counts = (value: string | null) =>
      report.byField!.rows.find((x) => x.value === value)!.steps.map((s) => s.count);
    expect(report.byField!.field).toBe('cf.tier');
    expect(counts('A')).toEqual([2, 2, 1, 0, 0]);
    expect(counts('B')).toEqual([1, 0, 0, 0, 0]);
    expect(counts(null)).toEqual([1, 0, 0, 0, 0]);
    expect(reportInput.safeParse({ groupBy: 'cf.Bad Key' }).success).toBe(false);
  });
});
