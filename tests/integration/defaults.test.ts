// Two laptops that each start fresh seed the same default stages: after a sync there is
// one set, and a real rename on either wins over the built-in values.
import { describe, expect, it } from 'vitest';
import { defaultStageId, ensureDefaults } from '../../src-main/services/defaults.js';
import { memoryStore } from '../helpers/store.js';

describe('default stages', () => {
  it('converge to one set across devices; edits beat the seed', async () => {
    const a = await memoryStore();
    const b = await memoryStore();
    ensureDefaults(a);
    ensureDefaults(a); // idempotent
    const initial = defaultStageId('initial');
    a.write((tx) => tx.update('stages', initial, { name_en: 'First touch' }));
    ensureDefaults(b); // b seeds later, with a later wall clock
    b.applyChanges(a.changesSince(null));
    a.applyChanges(b.changesSince(null));
    const stages = (s: typeof a) =>
      s.all(
        s.qb.selectFrom('stages').select(['id', 'name_en', 'probability']).orderBy('sort_order'),
      );
    expect(stages(a)).toHaveLength(6);
    expect(stages(b)).toEqual(stages(a));
    expect(stages(b)[0]!.name_en).toBe('First touch');
  });
});
