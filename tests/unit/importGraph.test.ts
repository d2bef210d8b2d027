// The import-graph check (`npm run cycles`, part of `npm test`) is only worth something if
// it fires: run it on a small tree with a circle of imports (through a type-only import,
// as the services' circle was) and an app file importing the benchmark, and on the same
// tree without them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = process.cwd();
const cli = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-graph-'));
  dirs.push(dir);
  fs.copyFileSync(
    path.join(repo, '.dependency-cruiser.cjs'),
    path.join(dir, '.dependency-cruiser.cjs'),
  );
  const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function violations(dir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const args = [
    cli,
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'json',
    'src-main',
    'bench',
  ];
  // depcruise exits non-zero when it finds violations; its report is on stdout either way.
  const out = await run(process.execPath, args, { cwd: dir }).catch((err: { stdout?: string }) => ({
    stdout: err.stdout ?? '',
  }));
  const report = JSON.parse(out.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const straight = {
  'src-main/services/scoring.ts': `export const score = (n: number) => n + 1;\n`,
  'src-main/services/leads.ts': `import { score } from './scoring.js';\nexport const lead = score(1);\n`,
  'bench/run.ts': `import { lead } from '../src-main/services/leads.js';\nexport const b = lead;\n`,
};

describe('import graph check', () => {
  it('passes a tree whose imports go one way', async () => {
    expect(await violations(tree(straight))).toEqual([]);
  });

  it('refuses a circle, even one closed by a type-only import', async () => {
    const found = await violations(
      tree({
        ...straight,
        'src-main/services/scoring.ts': `import type { Lead } from './leadTypes.js';\nexport const score = (n: number) => n + 1;\nexport type S = Lead;\n`,
        'src-main/services/leadTypes.ts': `import type { lead } from './leads.js';\nexport type Lead = typeof lead;\n`,
      }),
    );
    expect(found.map((v) => v.rule)).toContain('no-circular');
    expect(found.map((v) => v.from)).toContain('src-main/services/leads.ts');
  });

  it('refuses the app importing the benchmark', async () => {
    const found = await violations(
      tree({
        ...straight,
        'src-main/cli/index.ts': `export const bench = () => import('../../bench/run.js');\n`,
      }),
    );
    expect(found).toContainEqual({
      rule: 'app-not-bench',
      from: 'src-main/cli/index.ts',
      to: 'bench/run.ts',
    });
  });
});
