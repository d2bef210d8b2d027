// Profiles one hot path of the benchmark under V8's sampling profiler (issue 21) and prints
// the functions with the most self time:
//
//   npx tsx bench/profile.ts write                 20 000 leads through store.write
//   npx tsx bench/profile.ts import  FILE.db [N]   an N-row CSV (default 100 000) into a copy of FILE.db
//   npx tsx bench/profile.ts import-file FILE.db CSV [ROWS]
//                                                  a CSV file on disk into a copy (a big file is
//                                                  read in pieces), stopped after ROWS rows
//   npx tsx bench/profile.ts rescore FILE.db       every lead of a copy of FILE.db rescored
//   npx tsx bench/profile.ts demo    [N]           the N-lead demo (default 20 000) built
//   npx tsx bench/profile.ts reindex FILE.db       every search document of a copy rebuilt
//
// FILE.db is a workspace such as the benchmark builds (`leadbook demo` into a file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { openStore } from '../src-main/store/open.js';
import { generateDemo } from '../src-main/services/demo.js';
import {
  ImportCancelledError,
  importLeads,
  importLeadsFromFile,
} from '../src-main/services/importLeads.js';
import { rescoreAllIn } from '../src-main/services/scoring.js';
import { importCsv, sampleLeads } from './run.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (file:line), largest first. */
export function topFrames(
  profile: Profile,
  count = 15,
): { frame: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    if (!node) return;
    const f = node.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '(native)';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, ms]) => ({
      frame,
      ms: Math.round(ms),
      share: Math.round((ms / total) * 1000) / 10,
    }));
}

/** Total time per function (its own and its callees'), largest first: where a phase goes. */
export function inclusiveFrames(
  profile: Profile,
  count = 25,
): { frame: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f || !f.url || f.url.includes('node_modules')) continue;
      const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, ms]) => ({
      frame,
      ms: Math.round(ms),
      share: Math.round((ms / all) * 1000) / 10,
    }));
}

async function profiled(run: () => Promise<number> | number): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  const rows = await run();
  const ms = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  console.log(
    `${rows} rows in ${Math.round(ms)} ms (${Math.round((ms * 1000) / Math.max(1, rows))} µs/row)`,
  );
  const print = (f: { frame: string; ms: number; share: number }) =>
    console.log(`${String(f.share).padStart(5)} %  ${String(f.ms).padStart(6)} ms  ${f.frame}`);
  console.log('self time:');
  topFrames(profile, 20).forEach(print);
  if (process.env.PROFILE_INCLUSIVE) {
    console.log('with callees (our code):');
    inclusiveFrames(profile).forEach(print);
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [what = 'write', arg, count] = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-profile-'));
  const copyOf = async (file: string | undefined) => {
    if (!file) throw new Error(`${what} needs a workspace file`);
    const to = path.join(dir, 'p.db');
    fs.copyFileSync(file, to);
    return openStore(to);
  };
  try {
    if (what === 'write') {
      const store = await openStore(path.join(dir, 'p.db'));
      const rows = sampleLeads(20_000);
      await profiled(() => {
        store.write((tx) => {
          for (const r of rows) tx.insert('leads', r);
        });
        return rows.length;
      });
      store.close();
    } else if (what === 'import') {
      const store = await copyOf(arg);
      const n = Number(count ?? 100_000);
      const existing = store.read((r) =>
        r.all(
          r.qb
            .selectFrom('leads')
            .select(['name', 'email'])
            .where('email', 'is not', null)
            .limit(n / 10),
        ),
      ) as { name: string; email: string }[];
      const csv = importCsv(n, existing);
      await profiled(async () => {
        const report = await importLeads(store, csv, {
          fileName: 'profile.csv',
          onDuplicate: 'skip',
          allOrNothing: false,
          dryRun: false,
        });
        return report.rows;
      });
      store.close();
    } else if (what === 'import-file') {
      const store = await copyOf(arg);
      const csv = process.argv[4];
      const stopAfter = Number(process.argv[5] ?? Infinity);
      if (!csv) throw new Error('import-file needs a CSV file');
      await profiled(async () => {
        const report = await importLeadsFromFile(
          store,
          csv,
          { fileName: 'profile.csv', onDuplicate: 'skip', allOrNothing: false, dryRun: false },
          (_phase, done) => {
            if (done >= stopAfter) throw new ImportCancelledError();
          },
        );
        return report.created + report.skipped + report.merged;
      });
      store.close();
    } else if (what === 'rescore') {
      const store = await copyOf(arg);
      await profiled(() => store.write((tx) => rescoreAllIn(tx)));
      store.close();
    } else if (what === 'demo') {
      const store = await openStore(path.join(dir, 'p.db'));
      const n = Number(arg ?? 20_000);
      await profiled(() => {
        generateDemo(store, { leads: n, locale: 'zh-CN', seed: 7 });
        return n;
      });
      store.close();
    } else if (what === 'reindex') {
      const store = await copyOf(arg);
      store.setMeta('search_doc_version', '0');
      await profiled(() => store.ensureSearchIndex());
      store.close();
    } else throw new Error(`unknown: ${what}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
