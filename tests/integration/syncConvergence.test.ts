// Convergence against the real sync server on its embedded SQLite store (see
// tests/helpers/convergence.ts for the property).
import path from 'node:path';
import { describe, it } from 'vitest';
import { checkConvergence } from '../helpers/convergence.js';
import { tempDir } from '../helpers/store.js';

describe('team sync converges (SQLite server)', () => {
  it('3–5 laptops, random edits and syncs, faults and a restart: identical, nothing lost', async () => {
    const dir = tempDir('leadbook-conv-server-');
    await checkConvergence({
      numRuns: 12,
      ...(process.env.CONV_SEED ? { seed: Number(process.env.CONV_SEED) } : {}),
      serverStore: async (run) => ({ dataFile: path.join(dir, `server-${run}.db`) }),
    });
  }, 240_000);
});
