import { describe, expect, it } from 'vitest';
import {
  assignLead,
  type AssignmentRuleDef,
  type AssignmentState,
} from '../../src-main/domain/assignment.js';

const rule = (over: Partial<AssignmentRuleDef>): AssignmentRuleDef => ({
  id: 'r',
  name: 'r',
  enabled: true,
  conditions: [],
  strategy: 'user',
  userId: null,
  pool: [],
  dailyCapacity: null,
  ...over,
});
const state = (active: string[], open: Record<string, number> = {}): AssignmentState => ({
  active: new Set(active),
  openLeads: new Map(Object.entries(open)),
  assignedToday: new Map(),
  cursors: new Map(),
});

describe('assignment rules', () => {
  const east = rule({
    id: 'east',
    conditions: [{ field: 'region', op: 'in', value: ['上海', '江苏', '浙江'] }],
    strategy: 'user',
    userId: 'wang',
  });
  const events = rule({
    id: 'events',
    conditions: [{ field: 'source', op: 'equals', value: 'event' }],
    strategy: 'round_robin',
    pool: ['li', 'zhao', 'sun'],
  });

  it('first matching rule wins, in order; a default owner catches the rest', () => {
    const s = state(['wang', 'li', 'zhao', 'sun', 'boss']);
    const rules = [east, events];
    expect(assignLead({ region: '上海', source: 'event' }, rules, s, 'boss')).toEqual({
      ownerId: 'wang',
      ruleId: 'east',
    });
    expect(assignLead({ region: '北京', source: 'event' }, rules, s, 'boss').ruleId).toBe('events');
    expect(assignLead({ region: '北京', source: 'web_form' }, rules, s, 'boss')).toEqual({
      ownerId: 'boss',
      ruleId: null,
    });
    // Reordered, the event rule takes the Shanghai lead first.
    expect(assignLead({ region: '上海', source: 'event' }, [events, east], s, 'boss').ruleId).toBe(
      'events',
    );
    // A disabled rule is skipped.
    expect(assignLead({ region: '上海' }, [{ ...east, enabled: false }], s, 'boss').ownerId).toBe(
      'boss',
    );
  });

  it('round-robin takes the pool in turn, skips a rep who became inactive, and keeps its place', () => {
    const s = state(['li', 'zhao', 'sun']);
    const owners = () => assignLead({ source: 'event' }, [events], s, null).ownerId;
    expect([owners(), owners(), owners(), owners()]).toEqual(['li', 'zhao', 'sun', 'li']);
    // zhao leaves the team: skipped from now on.
    const without = { ...s, active: new Set(['li', 'sun']) };
    const next = () => assignLead({ source: 'event' }, [events], without, null).ownerId;
    expect([next(), next(), next()]).toEqual(['sun', 'li', 'sun']);
    // The cursor is state: a new run from the stored cursor (sun had the last lead)
    // continues the turn with li, not from the start of the pool.
    expect(s.cursors.get('events')).toBe(2);
    const resumed = { ...state(['li', 'zhao', 'sun']), cursors: new Map(s.cursors) };
    expect(assignLead({ source: 'event' }, [events], resumed, null).ownerId).toBe('li');
    expect(assignLead({ source: 'event' }, [events], resumed, null).ownerId).toBe('zhao');
  });

  it('least-loaded gives each lead to the rep with the fewest open leads, and balances a batch', () => {
    const pool = rule({ id: 'pool', strategy: 'least_loaded', pool: ['a', 'b', 'c'] });
    const s = state(['a', 'b', 'c'], { a: 5, b: 2, c: 3 });
    const got = Array.from({ length: 6 }, () => assignLead({}, [pool], s, null).ownerId);
    // 5/2/3 → b(3) → b(4), c ties broken by pool order → c(4) → b(5) → c(5) → a(6).
    expect(got).toEqual(['b', 'b', 'c', 'b', 'c', 'a']);
    expect(Object.fromEntries(s.openLeads)).toEqual({ a: 6, b: 5, c: 5 });
    // An inactive rep is never chosen, however idle.
    const idle = state(['a', 'b'], { a: 9, b: 9, c: 0 });
    expect(assignLead({}, [pool], idle, null).ownerId).toBe('a'); // tie: the first listed
  });

  it('a daily capacity is respected; a full pool falls through to the next rule', () => {
    const capped = rule({
      id: 'capped',
      strategy: 'round_robin',
      pool: ['li', 'zhao'],
      dailyCapacity: 2,
    });
    const overflow = rule({ id: 'overflow', strategy: 'user', userId: 'boss' });
    const s = state(['li', 'zhao', 'boss']);
    s.assignedToday.set('li', 1);
    const got = Array.from({ length: 5 }, () => assignLead({}, [capped, overflow], s, null));
    expect(got.map((a) => a.ownerId)).toEqual(['li', 'zhao', 'zhao', 'boss', 'boss']);
    expect(got.map((a) => a.ruleId)).toEqual([
      'capped',
      'capped',
      'capped',
      'overflow',
      'overflow',
    ]);
    // Nobody available anywhere and an inactive default owner: the lead stays unassigned.
    const none = state([]);
    expect(assignLead({}, [capped], none, 'ghost')).toEqual({ ownerId: null, ruleId: null });
  });
});
