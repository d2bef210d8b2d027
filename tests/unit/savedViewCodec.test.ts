import { describe, expect, it } from 'vitest';
import { defaultLeadsView } from '../../src-renderer/app/uiStore.js';
import { viewFromSaved } from '../../src-renderer/features/leads/savedViewCodec.js';

describe('saved views read back', () => {
  it('restores filters, sort and columns as saved', () => {
    const view = viewFromSaved(
      JSON.stringify({ status: 'new', owner: 'u1', overdue: true, q: '张' }),
      JSON.stringify({ field: 'company', dir: 'desc' }),
      JSON.stringify(['name', 'company', 'owner_id']),
    );
    expect(view).toEqual({
      ...defaultLeadsView,
      status: 'new',
      owner: 'u1',
      overdue: true,
      q: '张',
      sort: { field: 'company', dir: 'desc' },
      columns: ['name', 'company', 'owner_id'],
    });
  });

  it('keeps custom field columns, sort and filters', () => {
    const view = viewFromSaved(
      JSON.stringify({
        custom: { lead_origin: 'Lead Add Form', 'Bad Key': 'x', tier: 3 },
        customRange: { visits: { min: 3, max: 'lots' }, since: { min: '2026-01-01' } },
      }),
      JSON.stringify({ field: 'cf.visits', dir: 'desc' }),
      JSON.stringify(['name', 'cf.visits', 'cf.Nope!']),
    );
    expect([view.custom, view.customRange, view.sort, view.columns]).toEqual([
      { lead_origin: 'Lead Add Form' },
      { visits: { min: 3 }, since: { min: '2026-01-01' } },
      { field: 'cf.visits', dir: 'desc' },
      ['name', 'cf.visits'],
    ]);
  });

  it('drops what this version cannot show instead of breaking the list', () => {
    const view = viewFromSaved(
      JSON.stringify({ status: 7, unknownFilter: 'x', overdue: 'yes', columns: ['evil'] }),
      JSON.stringify({ field: 'password', dir: 'up' }),
      '{not json',
    );
    expect(view).toEqual(defaultLeadsView);
    expect(viewFromSaved(null, null, JSON.stringify(['nope']))).toEqual(defaultLeadsView);
  });

  it('keeps column widths and order, with the name first (it is pinned)', () => {
    const view = viewFromSaved(
      JSON.stringify({ widths: { company: 260, score: 70.5, email: -3, 'cf.tier': 90, evil: 1 } }),
      null,
      JSON.stringify(['company', 'score', 'name', 'company']),
    );
    expect(view.widths).toEqual({ company: 260, 'cf.tier': 90 });
    expect(view.columns).toEqual(['name', 'company', 'score']);
    // A version that does not know widths keeps the rest of the view.
    expect(viewFromSaved(JSON.stringify({ widths: 'wide', q: 'x' }), null, null)).toEqual({
      ...defaultLeadsView,
      q: 'x',
    });
  });
});
