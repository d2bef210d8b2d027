// Hybrid logical clock (Kulkarni et al.), as used by Actual Budget's sync. A timestamp is
// wall-clock milliseconds + a counter + the device's node id, formatted so that plain
// string comparison orders timestamps: "000001732000000000-0000-a1b2c3d4e5f60718".
import { HLC_PATTERN, NODE_ID_PATTERN } from '../contract/sync.js';

export const HLC_MAX_COUNTER = 0xffff;
const MILLIS_DIGITS = 15;

export interface Hlc {
  millis: number;
  counter: number;
  node: string;
}

export class ClockDriftError extends Error {
  constructor(readonly driftMs: number) {
    super(`clock drift of ${Math.round(driftMs / 1000)} s exceeds the allowed maximum`);
    this.name = 'ClockDriftError';
  }
}

export function isNodeId(node: string): boolean {
  return NODE_ID_PATTERN.test(node);
}

export function formatHlc(h: Hlc): string {
  return `${h.millis.toString().padStart(MILLIS_DIGITS, '0')}-${h.counter
    .toString(16)
    .padStart(4, '0')}-${h.node}`;
}

export function parseHlc(s: string): Hlc | null {
  const m = HLC_PATTERN.exec(s);
  if (!m) return null;
  return { millis: Number(m[1]), counter: parseInt(m[2]!, 16), node: m[3]! };
}

export interface ClockOptions {
  /** Physical clock, injectable for tests. */
  now?: () => number;
  /** How far a timestamp may run ahead of this device's physical clock. */
  maxDriftMs?: number;
}

/** Default drift guard: one hour covers unsynchronised laptop clocks without letting one
 * badly-set machine drag every other device's clock days into the future. */
export const DEFAULT_MAX_DRIFT_MS = 60 * 60 * 1000;

export class HlcClock {
  private millis: number;
  private counter: number;
  private readonly now: () => number;
  private readonly maxDriftMs: number;

  constructor(
    readonly node: string,
    last: Hlc | null = null,
    options: ClockOptions = {},
  ) {
    if (!isNodeId(node)) throw new Error(`invalid HLC node id: ${node}`);
    this.millis = last?.millis ?? 0;
    this.counter = last?.counter ?? 0;
    this.now = options.now ?? Date.now;
    this.maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
  }

  /** A new timestamp for a local event, strictly greater than every one seen before. */
  send(): string {
    const phys = this.now();
    if (phys > this.millis) {
      this.millis = phys;
      this.counter = 0;
    } else {
      this.bump();
    }
    this.guard(phys);
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }

  /** Throws when a timestamp from elsewhere runs too far ahead of this device's clock. */
  assertWithinDrift(remote: Hlc): void {
    const drift = remote.millis - this.now();
    if (drift > this.maxDriftMs) throw new ClockDriftError(drift);
  }

  /** Merges a timestamp seen from another device, so later local events sort after it. */
  recv(remote: Hlc): void {
    this.assertWithinDrift(remote);
    const phys = this.now();
    const maxMillis = Math.max(this.millis, remote.millis, phys);
    if (maxMillis === this.millis && maxMillis === remote.millis) {
      this.counter = Math.max(this.counter, remote.counter);
      this.bump();
    } else if (maxMillis === this.millis) {
      this.bump();
    } else if (maxMillis === remote.millis) {
      this.millis = remote.millis;
      this.counter = remote.counter;
      this.bump();
    } else {
      this.millis = phys;
      this.counter = 0;
    }
    this.guard(phys);
  }

  /** The last timestamp issued or merged, to persist across restarts. */
  last(): Hlc {
    return { millis: this.millis, counter: this.counter, node: this.node };
  }

  /** Counter overflow (more than 65 535 events in one millisecond) borrows the next
   * millisecond instead of failing: order is kept and the drift guard bounds the loan. */
  private bump(): void {
    if (this.counter >= HLC_MAX_COUNTER) {
      this.millis += 1;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
  }

  private guard(phys: number): void {
    if (this.millis - phys > this.maxDriftMs) throw new ClockDriftError(this.millis - phys);
  }
}
