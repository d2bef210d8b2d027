import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMerge } from '../../src-main/domain/mergePolicy.js';

const fields = ['company', 'title', 'email', 'phone', 'notes', 'tags'];

describe('merge policy', () => {
  it('fills empty fields, keeps non-empty ones (reported), appends notes, combines tags', () => {
    const plan = planMerge(
      {
        company: 'Acme',
        title: null,
        email: 'a@acme.com',
        phone: '',
        notes: 'met at booth',
        tags: '["VIP"]',
      },
      {
        company: 'ACME',
        title: 'CTO',
        email: 'other@acme.com',
        phone: '13800138000',
        notes: 'wants a quote',
        tags: '["VIP","样品"]',
      },
      fields,
    );
    expect(plan.patch).toEqual({
      title: 'CTO',
      phone: '13800138000',
      notes: 'met at booth\nwants a quote',
      tags: '["VIP","样品"]',
    });
    expect(plan.conflicts).toEqual([
      { field: 'email', kept: 'a@acme.com', offered: 'other@acme.com' },
    ]);
  });

  it('never overwrites a non-empty value, and merging the same values twice changes nothing', () => {
    const value = fc.option(fc.constantFrom('', 'a', 'b', 'A'), { nil: null });
    const record = fc.record({ company: value, title: value, email: value, phone: value });
    fc.assert(
      fc.property(record, record, (existing, incoming) => {
        const { patch } = planMerge(existing, incoming, Object.keys(existing));
        for (const [field, v] of Object.entries(patch)) {
          const kept = existing[field as keyof typeof existing];
          expect(kept === null || kept === '').toBe(true);
          expect(v).toBe(incoming[field as keyof typeof incoming]);
        }
        const merged = { ...existing, ...patch };
        expect(planMerge(merged, incoming, Object.keys(existing)).patch).toEqual({});
      }),
    );
  });
});
