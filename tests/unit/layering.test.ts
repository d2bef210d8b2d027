// The layer rules are only worth something if they fire: lint a probe file placed in each
// layer and check the forbidden import is reported (and an allowed one is not).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const cases: [string, string, string][] = [
  ['src-main/domain/probe.ts', `import fs from 'node:fs';`, 'no I/O'],
  ['src-main/domain/probe.ts', `import Database from 'better-sqlite3';`, 'no I/O'],
  ['src-main/domain/probe.ts', `import { Store } from '../store/store.js';`, 'nothing from store'],
  ['src-main/domain/probe.ts', `import { x } from '../services/leads.js';`, 'nothing from store'],
  ['src-main/contract/probe.ts', `import { newId } from '../store/ids.js';`, 'zod and itself'],
  ['src-main/contract/probe.ts', `import fs from 'node:fs';`, 'zod and itself'],
  ['src-main/store/probe.ts', `import { x } from '../services/leads.js';`, 'domain and contract'],
  [
    'src-main/services/probe.ts',
    `import Database from 'better-sqlite3';`,
    'only through the store',
  ],
  ['src-main/services/probe.ts', `import { x } from '../api/router.js';`, 'transports'],
  ['src-main/web/probe.ts', `import { Store } from '../store/store.js';`, 'only the api layer'],
  ['src-main/web/probe.ts', `import { x } from '../services/leads.js';`, 'only the api layer'],
  ['src-main/electron/probe.ts', `import { x } from '../domain/hlc.js';`, 'only the api layer'],
  [
    'src-renderer/probe.ts',
    `import { openStore } from '../src-main/store/open.js';`,
    'contract only',
  ],
  [
    'src-renderer/features/leads/probe.ts',
    `import { x } from '../../../src-main/api/router.js';`,
    'contract only',
  ],
  ['src-renderer/probe.ts', `import Database from 'better-sqlite3';`, 'contract only'],
  ['src-main/sync/probe.ts', `import { x } from '../api/router.js';`, 'the API drives it'],
  [
    'src-server/probe.ts',
    `import { x } from '../src-main/services/leads.js';`,
    'shares only the contract',
  ],
  [
    'src-server/probe.ts',
    `import { Store } from '../src-main/store/store.js';`,
    'only the contract',
  ],
];

describe('layering lint', () => {
  it.each(cases)('%s: %s is refused', async (file, code, why) => {
    const errors = await importErrors(file, `${code}\nexport const probe = 1;\n`);
    expect(errors.join('\n')).toContain(why);
  });

  it.each([
    ['src-renderer/probe.ts', `import type { LeadRow } from '../src-main/contract/index.js';`],
    ['src-main/domain/probe.ts', `import { z } from 'zod';`],
    [
      'src-main/contract/probe.ts',
      `import { z } from 'zod';\nimport { idSchema } from './fields.js';`,
    ],
    ['src-main/web/probe.ts', `import { createApi } from '../api/router.js';`],
    ['src-main/services/probe.ts', `import { Store } from '../store/store.js';`],
    ['src-server/probe.ts', `import { syncEntrySchema } from '../src-main/contract/index.js';`],
    ['src-main/sync/probe.ts', `import { Store } from '../store/store.js';`],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await importErrors(file, `${code}\nexport const probe = 1;\n`)).toEqual([]);
  });
});
