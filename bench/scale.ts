// `leadbook bench --scale`: the read figures (list page, search, duplicate lookup) at
// 10 000, 100 000 and 1 000 000 leads, each beside its raw-SQLite floor, and how each grows
// from one size to the next (issue 21: at a million, no worse than twice the figure at
// 100 000). Up to 100 000 leads a database is the demo; past that, the 100 000-lead demo
// plus booth rows imported from a CSV on disk (as a big workspace fills: a year of
// history, then lists) — minutes instead of the demo's quarter of an hour. Each database
// is measured and removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLeadbook } from '../src-main/api/bootstrap.js';
import { createInProcessClient } from '../src-main/api/router.js';
import { generateDemo } from '../src-main/services/demo.js';
import { openStore } from '../src-main/store/open.js';
import { openSqlite } from '../src-main/store/sqlite.js';
import { importLeadsFromFile } from '../src-main/services/importLeads.js';
import { measureReads, writeImportCsv } from './run.js';

/** The biggest workspace built by the demo generator alone. */
const DEMO_MAX = 100_000;

interface Figure {
  p50: number;
  p95: number;
}

export interface ScaleStep {
  leads: number;
  buildSeconds: number;
  fileMb: number;
  listPage: Figure;
  listPageRaw: Figure;
  search: Figure;
  searchRaw: Figure;
  duplicateLookup: Figure;
}

export interface ScaleReport {
  node: string;
  cpus: number;
  steps: ScaleStep[];
}

const figure = (samples: number[]): Figure => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) * 1000) / 1000;
  return { p50: at(0.5), p95: at(0.95) };
};

export async function runScaleBenchmark(options: {
  sizes: number[];
  log?: (line: string) => void;
}): Promise<ScaleReport> {
  const log = options.log ?? (() => undefined);
  const steps: ScaleStep[] = [];
  for (const leads of options.sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-scale-'));
    try {
      const file = path.join(dir, 'scale.db');
      log(`${leads} leads: building the demo…`);
      const store = await openStore(file);
      const t0 = performance.now();
      const demoLeads = Math.min(leads, DEMO_MAX);
      generateDemo(store, {
        leads: demoLeads,
        locale: 'zh-CN',
        seed: 7,
        onProgress: (d) => d % 100_000 === 0 && log(`  ${d} leads`),
      });
      if (leads > demoLeads) {
        log(`  importing ${leads - demoLeads} more from a CSV file…`);
        const csv = path.join(dir, 'more.csv');
        writeImportCsv(csv, leads - demoLeads, []);
        await importLeadsFromFile(store, csv, {
          fileName: 'more.csv',
          onDuplicate: 'create',
          allOrNothing: false,
          dryRun: false,
        });
        fs.rmSync(csv, { force: true });
      }
      const buildSeconds = (performance.now() - t0) / 1000;
      store.close();
      const api = await openLeadbook(file);
      const db = openSqlite(file, { readonly: true });
      try {
        const r = await measureReads(createInProcessClient(api), db, leads, log);
        steps.push({
          leads,
          buildSeconds: Math.round(buildSeconds * 10) / 10,
          fileMb: Math.round(fs.statSync(file).size / 1024 / 1024),
          listPage: figure(r.apiList),
          listPageRaw: figure(r.rawList),
          search: figure(r.apiSearch),
          searchRaw: figure(r.rawSearch),
          duplicateLookup: figure(r.dupTimes),
        });
      } finally {
        db.close();
        await api.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { node: process.version, cpus: os.cpus().length, steps };
}

export function formatScaleReport(r: ScaleReport): string {
  const rows: string[] = [
    `Leadbook scale benchmark — Node ${r.node}, ${r.cpus} CPUs (p95 in ms; growth from the size before)`,
  ];
  const grow = (now: number, before: number | undefined) =>
    before ? ` (${Math.round((now / before) * 100) / 100}×)` : '';
  r.steps.forEach((s, i) => {
    const b = r.steps[i - 1];
    rows.push(
      `${String(s.leads).padStart(9)} leads  built in ${s.buildSeconds} s, ${s.fileMb} MB`,
      `    list page  ${s.listPage.p95}${grow(s.listPage.p95, b?.listPage.p95)}   floor ${s.listPageRaw.p95}`,
      `    search     ${s.search.p95}${grow(s.search.p95, b?.search.p95)}   floor ${s.searchRaw.p95}`,
      `    duplicates ${s.duplicateLookup.p95}${grow(s.duplicateLookup.p95, b?.duplicateLookup.p95)}`,
    );
  });
  return rows.join('\n');
}
