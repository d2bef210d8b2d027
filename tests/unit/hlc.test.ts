import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClockDriftError,
  formatHlc,
  HLC_MAX_COUNTER,
  HlcClock,
  parseHlc,
} from '../../src-main/domain/hlc.js';

const NODE_A = 'aaaaaaaaaaaaaaaa';
const NODE_B = 'bbbbbbbbbbbbbbbb';

describe('hybrid logical clock', () => {
  it('issues strictly increasing timestamps even when the wall clock stands still or goes back', () => {
    let now = 1_000_000;
    const clock = new HlcClock(NODE_A, null, { now: () => now });
    const a = clock.send();
    const b = clock.send();
    now -= 500; // the laptop's clock was set back
    const c = clock.send();
    expect(a < b && b < c).toBe(true);
  });

  it('orders after a remote timestamp it has seen', () => {
    const now = 1_000_000;
    const clock = new HlcClock(NODE_A, null, { now: () => now });
    const remote = { millis: now + 10_000, counter: 7, node: NODE_B };
    clock.recv(remote);
    expect(clock.send() > formatHlc(remote)).toBe(true);
  });

  it('refuses a remote timestamp too far in the future, leaving the clock as it was', () => {
    const now = 1_000_000;
    const clock = new HlcClock(NODE_A, null, { now: () => now, maxDriftMs: 60_000 });
    const before = clock.last();
    expect(() => clock.recv({ millis: now + 61_000, counter: 0, node: NODE_B })).toThrow(
      ClockDriftError,
    );
    expect(clock.last()).toEqual(before);
  });

  it('borrows the next millisecond when the counter overflows', () => {
    const now = 5_000;
    const clock = new HlcClock(
      NODE_A,
      { millis: now, counter: HLC_MAX_COUNTER - 1, node: NODE_A },
      { now: () => now },
    );
    const a = parseHlc(clock.send())!;
    const b = parseHlc(clock.send())!;
    expect(a).toEqual({ millis: now, counter: HLC_MAX_COUNTER, node: NODE_A });
    expect(b).toEqual({ millis: now + 1, counter: 0, node: NODE_A });
  });

  it('the drift guard bounds how far overflow borrowing may run ahead', () => {
    const clock = new HlcClock(
      NODE_A,
      { millis: 1000, counter: HLC_MAX_COUNTER, node: NODE_A },
      { now: () => 1000, maxDriftMs: 0 },
    );
    expect(() => clock.send()).toThrow(ClockDriftError);
  });

  it('string order equals (millis, counter, node) order', () => {
    const hlc = fc.record({
      millis: fc.integer({ min: 0, max: 10 ** 14 }),
      counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
      node: fc.stringMatching(/^[0-9a-f]{16}$/),
    });
    fc.assert(
      fc.property(hlc, hlc, (a, b) => {
        const byFields =
          a.millis - b.millis ||
          a.counter - b.counter ||
          (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
        const sa = formatHlc(a);
        const sb = formatHlc(b);
        const byString = sa < sb ? -1 : sa > sb ? 1 : 0;
        expect(Math.sign(byString)).toBe(Math.sign(byFields));
        expect(parseHlc(sa)).toEqual(a);
      }),
    );
  });
});
