// Entering a stage: won/lost close a deal (lost only with a reason), open reopens it,
// a move between stages of one kind changes nothing.
import { describe, expect, it } from 'vitest';
import { closingChanges } from '../../src-main/domain/dealClosing.js';

const NOW = 1_700_000_000_000;
const openDeal = { closed_at: null, lost_reason: null };
const lostDeal = { closed_at: 1000, lost_reason: '价格太高' };
const wonDeal = { closed_at: 1000, lost_reason: null };

describe('closing and reopening a deal', () => {
  it('refuses a lost deal without a reason — blank counts as none', () => {
    for (const given of [{}, { lost_reason: '' }, { lost_reason: '   ' }, { lost_reason: null }])
      expect(closingChanges('open', 'lost', openDeal, given, NOW)).toEqual({ needsReason: true });
    expect(closingChanges('won', 'lost', wonDeal, {}, NOW)).toEqual({ needsReason: true });
  });

  it('closes a lost deal at once when it says why, unless a close time is given', () => {
    expect(closingChanges('open', 'lost', openDeal, { lost_reason: '没有预算' }, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: NOW },
    });
    expect(
      closingChanges('open', 'lost', openDeal, { lost_reason: '没有预算', closed_at: 5 }, NOW),
    ).toEqual({ needsReason: false, set: {} });
  });

  it('closes a won deal and drops a reason left from losing it', () => {
    expect(closingChanges('open', 'won', openDeal, {}, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: NOW },
    });
    expect(closingChanges('lost', 'won', lostDeal, {}, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: NOW, lost_reason: null },
    });
  });

  it('reopens a closed deal moved back to an open stage', () => {
    expect(closingChanges('lost', 'open', lostDeal, {}, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: null, lost_reason: null },
    });
    expect(closingChanges('won', 'open', wonDeal, {}, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: null },
    });
    expect(closingChanges('open', 'open', openDeal, {}, NOW).needsReason).toBe(false);
  });

  it('changes nothing between two stages of one kind (a removed stage’s deals moved on)', () => {
    expect(closingChanges('lost', 'lost', lostDeal, {}, NOW)).toEqual({
      needsReason: false,
      set: {},
    });
    expect(closingChanges('won', 'won', wonDeal, {}, NOW)).toEqual({ needsReason: false, set: {} });
  });

  it('treats a new deal (no stage before) like one entering from outside', () => {
    expect(closingChanges(null, 'won', {}, {}, NOW)).toEqual({
      needsReason: false,
      set: { closed_at: NOW },
    });
    expect(closingChanges(null, 'lost', {}, {}, NOW)).toEqual({ needsReason: true });
  });
});
