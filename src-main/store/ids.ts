import { createHash, randomBytes, randomFillSync } from 'node:crypto';

// Random bytes are drawn from the OS in 4 KiB batches: one syscall per 256 ids instead of
// one per id (it showed up in bulk imports).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return out;
}

function format(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** UUIDv7 (RFC 9562): time-ordered, so new rows cluster at the end of the primary key
 * index, and unique without coordination — records are created offline on many devices. */
export function newId(now: number = Date.now()): string {
  const b = random16();
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return format(b);
}

/** UUIDv8 derived from a name: the same inputs give the same id on every device. Used
 * where two offline laptops must create the same row (a conversion, a default stage). */
export function derivedId(namespace: string, name: string): string {
  const b = createHash('sha256').update(namespace).update('\u0000').update(name).digest();
  const out = new Uint8Array(b.subarray(0, 16));
  out[6] = (out[6]! & 0x0f) | 0x80;
  out[8] = (out[8]! & 0x3f) | 0x80;
  return format(out);
}

/** 16 hex characters: this device's identity in HLC timestamps. */
export function newNodeId(): string {
  return randomBytes(8).toString('hex');
}
