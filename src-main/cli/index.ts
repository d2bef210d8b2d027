// `leadbook` — the headless jobs, calling the same services as the app.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openLeadbook } from '../api/bootstrap.js';
import { resolveDbPath } from '../api/paths.js';
import { createInProcessClient } from '../api/router.js';
import {
  ApiError,
  locales,
  type DemoResult,
  type ImportReport,
  type ModelReport,
} from '../contract/index.js';
import { ImportJobs } from '../services/importJobs.js';
import type { Store } from '../store/store.js';
import { APP_VERSION } from '../services/app.js';
import { importFields, type ColumnTarget } from '../domain/importMapping.js';
import { applyDeviceAuthor } from '../services/device.js';
import { exportableEntities, exportFile } from '../services/exportData.js';
import {
  importLeadsFromFile,
  type ImportOptions,
  listImports,
  previewImportFromFile,
  problemsCsv,
  undoImport,
} from '../services/importLeads.js';
import { openStore } from '../store/open.js';
import { restoreDatabase, RestoreError } from '../store/restore.js';
import { WorkspaceLockedError } from '../store/sqlite.js';
import { backupSchedule } from './backups.js';
import { environmentVault } from '../api/keyVault.js';
import { Workspace } from '../api/workspace.js';
import { startWebServer } from '../web/server.js';
import { choice, cliKey, intOption, parse, parseWithFiles, required, UsageError } from './args.js';
import { analyticsReports, runAnalyticsReport } from './reports.js';
import { hubCommand, syncCommand, syncServerCommand } from './sync.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const here = import.meta.dirname;
/** dist/src-main/cli → dist/renderer */
export const builtRendererDir = path.resolve(here, '..', '..', 'renderer');

const help: Record<string, string> = {
  main: `Leadbook ${APP_VERSION} — offline-first leads and opportunities

Usage: leadbook <command> [options]

Commands:
  serve     run the app in web mode (local HTTP server + browser UI)
  demo      fill a database with realistic demo data
  import    import leads from CSV/TSV (any encoding), .xlsx or vCard files; undo an import
  export    export leads, opportunities, accounts, contacts or activities (CSV/JSON)
  backup    write a consistent copy of a database (online backup)
  restore   replace a database with a backup (the current file is backed up first)
  report    print a report (scoring: how well the predictive lead score predicts)
  bench     run the benchmark (100 000 leads by default)
  sync-server  run the team's sync server; make and revoke device tokens
  sync      sync a database once with its team server; join a team from an invite link
  hub       serve a database's booth hub (sync over the local network, no internet)

Every command takes --help, and --json for machine-readable output.
The database defaults to the user-data folder; override with --db PATH or LEADBOOK_DB.`,
  serve: `Usage: leadbook serve [--db PATH] [--port N] [--host H] [--open] [--json]

Serves the app on http://127.0.0.1:PORT (random free port unless --port). Every API
request needs the access token printed in the URL. --host 0.0.0.0 exposes it to the
network: only do that on a network you trust.`,
  demo: `Usage: leadbook demo --db PATH [--leads N] [--locale zh-CN|en] [--seed S] [--json]

Adds demo reps, events, leads (default 1000), activities and opportunities with 12 months
of stage history to the database.`,
  export: `Usage: leadbook export --db PATH --what leads|opportunities|accounts|contacts|activities
                       --format csv|json|xlsx [--encoding utf-8|gb18030] [--out FILE] [--json]

Writes to FILE, or to standard output (CSV/JSON in UTF-8). CSV is UTF-8 with BOM, or
GB18030 for older Excel in China; cells that a spreadsheet would run as formulas are
neutralised. .xlsx cells are all text.`,
  import: `Usage: leadbook import FILE --db PATH [--mapping auto|MAPPING.json]
                       [--on-duplicate merge|skip|create] [--dry-run] [--all-or-nothing]
                       [--problems OUT.csv] [--json]
       leadbook import --undo BATCH --db PATH [--json]
       leadbook import --history --db PATH [--json]

Reads a CSV/TSV export (UTF-8 with or without BOM, UTF-16, GB18030, Windows-1252; the
delimiter is sniffed), an .xlsx workbook (first sheet) or a vCard file (2.1/3.0/4.0),
maps its headers (the exports of Salesforce, HubSpot, Zoho, Odoo, Pipedrive, Outlook,
Google, Apple, Thunderbird, WeChat Work, DingTalk; English, Chinese, German), and
creates the rows in one transaction as a batch that --undo removes again.

Every row that names anyone (a name, email, phone, company or record id) is imported:
"null", "#N/A", "-", "无" … read as empty; a cell with several numbers or addresses
fills the phone/email and the lead's other phones/emails; a value that is not a phone,
email or date is kept in the notes and listed as a warning. Rows with a record id
already imported are updated. A row that is the same person as a lead (same record id,
email or phone, and no other email or name) is merged (default: empty fields filled,
differences reported, never overwritten), skipped, or created anyway; a row only alike
(same name and company, or a shared email under another name) is created and left on
the Duplicates page as a possible duplicate. --problems writes the warned and rejected
rows as a CSV with the reason, to fix and import again. MAPPING.json: {"Header":
"field" | "note" | null}. Exit 0 when the import ran, 1 when nothing could be imported.`,
  backup: `Usage: leadbook backup --db PATH --out FILE [--json]
       leadbook backup --schedule [--db PATH] [--json]

Writes a consistent copy (safe while the app is running; encrypted like the database).
--schedule prints the automatic backup plan, the folder and the backups kept.
An encrypted database needs its key: LEADBOOK_KEY=… or --key-file FILE (every command).`,
  restore: `Usage: leadbook restore --db PATH --from FILE [--json]

Replaces the database with FILE after checking FILE is an intact Leadbook database. The
current database is saved to backups/ first. Close the app before restoring.`,
  report: `Usage: leadbook report scoring|funnel|sources|forecast|cycle --db PATH
         [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--owner USER] [--json]

funnel: leads created in the range → contacted → qualified → converted → won, with the
rate at each step, per source and per event. sources: leads, conversion, won deals and
revenue, cost per lead and per won deal and ROI per source and event. forecast: open deals
by expected close month (default: this month and the next 11), weighted by probability and
by the probability learned from history, categories, won against targets, and a backtest
of the last closed quarter. cycle: median days lead → opportunity, opportunity → won and in
each stage. Days are this machine's; USER is a name or an id. The same numbers as the
app's Reports and Forecast pages.

scoring: the predictive lead-scoring model trained on the older 80% of closed leads
(converted = won unless its opportunity was lost; unqualified = lost) and tested on the
newest 20%: counts, AUC (0.5 = a coin toss), log-loss beside the base-rate baseline,
calibration by decile, and the values that weigh most; then a random 30% of the closed
leads held out, the learned score's AUC beside a plain L2 logistic regression on the
same columns fitted in the same run.`,
};

function openBrowser(url: string): boolean {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function out(io: CliIo, json: boolean | undefined, data: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(data)}\n` : `${text}\n`);
}

export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** A mapping file: {"Header": "field" | "note" | null}. */
function readMappingFile(file: string): Map<string, ColumnTarget> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--mapping ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError('--mapping must be a JSON object {"Header": "field"}');
  const targets = new Set<string>([...importFields, 'note']);
  const map = new Map<string, ColumnTarget>();
  for (const [header, target] of Object.entries(parsed)) {
    if (target !== null && (typeof target !== 'string' || !targets.has(target)))
      throw new UsageError(
        `--mapping: "${header}" → ${JSON.stringify(target)} is not a lead field`,
      );
    map.set(header.trim(), target as ColumnTarget);
  }
  return map;
}

const commands: Record<string, Command> = {
  'sync-server': (argv, io) => syncServerCommand(argv, io),
  sync: (argv, io) => syncCommand(argv, io),
  hub: (argv, io) => hubCommand(argv, io),
  async report(argv, io) {
    const { values: o, files: kinds } = parseWithFiles(argv, {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      owner: { type: 'string' },
    });
    if (o.help) return (io.stdout(`${help.report}\n`), 0);
    if (!kinds[0]) throw new UsageError('say which report: leadbook report funnel --db PATH');
    const kind = choice(kinds[0], 'report', ['scoring', ...analyticsReports] as const);
    const dbPath = path.resolve(required(o.db, 'db'));
    if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
    const api = await openLeadbook(dbPath, { key: cliKey(o) });
    try {
      const client = createInProcessClient(api);
      if (kind === 'scoring') {
        const report = await client.call('scoring.report', {});
        out(io, o.json, report, formatScoringReport(report));
      } else {
        const { data, text } = await runAnalyticsReport(client, kind, o);
        out(io, o.json, data, text);
      }
    } finally {
      await api.close();
    }
    return 0;
  },

  async serve(argv, io) {
    const o = parse(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
    });
    if (o.help) return (io.stdout(`${help.serve}\n`), 0);
    const port = intOption(o.port, 'port', 0, 65535, 0);
    const host = o.host ?? '127.0.0.1';
    if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
      throw new UsageError('--host must be a host name or IP address');
    const dbPath = resolveDbPath(o.db);
    let vault;
    try {
      vault = environmentVault(process.env, o['key-file']);
    } catch (err) {
      throw new UsageError(`the workspace key: ${(err as Error).message}`);
    }
    // The server stays up when the file is locked or damaged: the page asks for the
    // recovery key, or offers the newest good backup.
    const api = await Workspace.open(dbPath, { vault, api: { background: true } });
    const staticDir = fs.existsSync(path.join(builtRendererDir, 'index.html'))
      ? builtRendererDir
      : null;
    let web;
    try {
      web = await startWebServer(api, { host, port, staticDir });
    } catch (err) {
      await api.close();
      throw new UsageError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
    }
    out(
      io,
      o.json,
      { url: web.openUrl, port: web.port, host: web.host, db: dbPath, ui: staticDir !== null },
      `Leadbook is running at ${web.openUrl}\nDatabase: ${dbPath}${staticDir ? '' : '\n(no renderer build found: API only — run npm run build)'}\nPress Ctrl+C to stop.`,
    );
    if (o.open && !openBrowser(web.openUrl))
      io.stderr('Could not open a browser; open the URL above.\n');
    const stop = async () => {
      await web.close();
      await api.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    return -1; // keep running
  },

  async demo(argv, io) {
    const o = parse(argv, {
      db: { type: 'string' },
      leads: { type: 'string' },
      locale: { type: 'string' },
      seed: { type: 'string' },
    });
    if (o.help) return (io.stdout(`${help.demo}\n`), 0);
    const dbPath = path.resolve(required(o.db, 'db'));
    const leads = intOption(o.leads, 'leads', 0, 200_000, 1000);
    const locale = choice(o.locale, 'locale', locales, 'zh-CN');
    const seed = intOption(o.seed, 'seed', 0, 2 ** 31 - 1, 42);
    const api = await openLeadbook(dbPath, { key: cliKey(o) });
    try {
      const client = createInProcessClient(api);
      const result: DemoResult = await client.call('app.loadDemo', { leads, locale, seed });
      out(
        io,
        o.json,
        { db: dbPath, ...result },
        `Demo data written to ${dbPath}: ${result.leads} leads, ${result.opportunities} opportunities, ${result.accounts} accounts, ${result.contacts} contacts, ${result.activities} activities, ${result.campaigns} events, ${result.users} users.`,
      );
    } finally {
      await api.close();
    }
    return 0;
  },

  async export(argv, io) {
    const o = parse(argv, {
      db: { type: 'string' },
      what: { type: 'string' },
      format: { type: 'string' },
      encoding: { type: 'string' },
      out: { type: 'string' },
    });
    if (o.help) return (io.stdout(`${help.export}\n`), 0);
    const dbPath = path.resolve(required(o.db, 'db'));
    const what = choice(o.what, 'what', exportableEntities);
    const format = choice(o.format, 'format', ['csv', 'json', 'xlsx'] as const);
    const encoding = choice(o.encoding, 'encoding', ['utf-8', 'gb18030'] as const, 'utf-8');
    if (encoding !== 'utf-8' && format !== 'csv')
      throw new UsageError('--encoding applies to --format csv only');
    if (format === 'xlsx' && !o.out) throw new UsageError('--format xlsx needs --out FILE');
    if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
    const store = await openStore(dbPath, { key: cliKey(o) });
    try {
      const { bytes, rows } = await exportFile(store, what, format, encoding);
      if (o.out) {
        fs.writeFileSync(o.out, bytes);
        out(
          io,
          o.json,
          { file: path.resolve(o.out), rows, what, format, encoding },
          `Exported ${rows} ${what} to ${o.out}`,
        );
      } else if (encoding === 'utf-8') {
        io.stdout(bytes.toString('utf8'));
      } else {
        // Non-UTF-8 bytes cannot go through the text channel without being mangled.
        throw new UsageError('--encoding gb18030 needs --out FILE');
      }
    } finally {
      store.close();
    }
    return 0;
  },

  async import(argv, io) {
    const { values: o, files } = parseWithFiles(argv, {
      db: { type: 'string' },
      mapping: { type: 'string' },
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'all-or-nothing': { type: 'boolean' },
      undo: { type: 'string' },
      history: { type: 'boolean' },
      problems: { type: 'string' },
    });
    if (o.help) return (io.stdout(`${help.import}\n`), 0);
    const dbPath = path.resolve(required(o.db, 'db'));
    if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
    const onDuplicate = choice(
      o['on-duplicate'],
      'on-duplicate',
      ['merge', 'skip', 'create'] as const,
      'merge',
    );
    const file = files[0];
    if (!o.undo && !o.history && !file) throw new UsageError('give the FILE to import');
    if ((o.undo || o.history) && file) throw new UsageError('--undo and --history take no FILE');
    const mapping = file && o.mapping && o.mapping !== 'auto' ? readMappingFile(o.mapping) : null;
    const store = await openStore(dbPath, { key: cliKey(o) });
    try {
      applyDeviceAuthor(store);
      if (o.history) {
        const batches = store.read((r) => listImports(r));
        out(
          io,
          o.json,
          batches,
          batches
            .map(
              (b) =>
                `${b.id}  ${new Date(b.importedAt).toISOString()}  ${b.file}  ${JSON.stringify(b.counts)}${b.undoneAt ? '  (undone)' : ''}`,
            )
            .join('\n') || 'No imports yet.',
        );
        return 0;
      }
      if (o.undo) {
        const result = undoImport(store, o.undo);
        out(
          io,
          o.json,
          { batchId: o.undo, ...result },
          `Undid import ${o.undo}: ${result.deleted} leads deleted, ${result.restored} merged leads put back`,
        );
        return 0;
      }
      if (!fs.existsSync(file!)) throw new UsageError(`no file at ${file}`);
      // A mapping file names headers: read the file's header first (any format; a big
      // file's first batch).
      const header = mapping
        ? (
            await previewImportFromFile(store, file!, {
              fileName: file!,
              onDuplicate,
              allOrNothing: false,
            })
          ).mapping.map((m) => m.header)
        : null;
      const importOptions = {
        fileName: path.basename(file!),
        ...(mapping && header ? { mapping: header.map((h) => mapping.get(h) ?? null) } : {}),
        onDuplicate,
        allOrNothing: !!o['all-or-nothing'],
      };
      // A dry run reads the file here; an import runs as the app's does, in a worker (a
      // big CSV a batch at a time, its memory bounded), with a line of progress on stderr
      // every few seconds.
      const report = o['dry-run']
        ? await importLeadsFromFile(store, file!, { ...importOptions, dryRun: true })
        : await importInWorker(store, path.resolve(file!), importOptions, io);
      if (o.problems)
        fs.writeFileSync(
          path.resolve(o.problems),
          problemsCsv(
            report.mapping.map((m) => m.header),
            report.problems,
          ),
        );
      const { mapping: _m, problems: _p, aborted, ...summary } = report;
      const possible = report.duplicates.filter(
        (d) => d.kind === 'possible' && d.action === 'created',
      );
      const would = o['dry-run'] ? 'would create' : 'created';
      out(
        io,
        o.json,
        summary,
        [
          `${report.file}: ${report.rows} rows (${report.encoding}, "${report.delimiter === '\t' ? 'tab' : report.delimiter}")`,
          `${would} ${report.created}, updated ${report.updated}, merged ${report.merged}, skipped ${report.skipped}; ${report.possibleDuplicates} possible duplicates to review; ${report.warnings.length} warnings; rejected ${report.rejected.length}`,
          ...(report.unrecognized.length
            ? [`columns not recognised (kept in the notes): ${report.unrecognized.join(', ')}`]
            : []),
          ...report.emptyMarkers.map((m) => `  "${m.marker}" read as empty in ${m.count} cells`),
          ...possible
            .slice(0, 20)
            .map(
              (d) =>
                `  row ${d.row}: looks like ${'lead' in d.of ? d.of.name : `row ${d.of.row}`} (${d.reasons.join(', ')}${d.differs.length ? `; differs: ${d.differs.join(', ')}` : ''})`,
            ),
          ...report.warnings
            .slice(0, 20)
            .map((w) => `  row ${w.row}, ${w.column}: ${w.reason} (${w.value})`),
          ...report.rejected.slice(0, 20).map((r) => `  row ${r.row}: ${r.reason}`),
          ...(o.problems ? [`rows with problems written to ${o.problems}`] : []),
          ...(report.batchId
            ? [`batch ${report.batchId} (undo: leadbook import --undo ${report.batchId} --db …)`]
            : []),
          ...(aborted ? ['nothing imported (--all-or-nothing)'] : []),
          ...(report.stoppedAfterRow != null
            ? [`stopped: rows up to ${report.stoppedAfterRow} were saved`]
            : []),
        ].join('\n'),
      );
      return aborted || (report.created === 0 && report.rejected.length > 0) ? 1 : 0;
    } finally {
      store.close();
    }
  },

  async backup(argv, io) {
    const o = parse(argv, {
      db: { type: 'string' },
      out: { type: 'string' },
      schedule: { type: 'boolean' },
    });
    if (o.help) return (io.stdout(`${help.backup}\n`), 0);
    if (o.schedule) return backupSchedule(resolveDbPath(o.db), cliKey(o), o.json === true, io);
    const dbPath = path.resolve(required(o.db, 'db'));
    const target = path.resolve(required(o.out, 'out'));
    if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
    if (target === dbPath) throw new UsageError('--out must differ from --db');
    const store = await openStore(dbPath, { key: cliKey(o) });
    try {
      await store.backupTo(target);
    } finally {
      store.close();
    }
    out(
      io,
      o.json,
      { file: target, bytes: fs.statSync(target).size },
      `Backed up ${dbPath} to ${target}`,
    );
    return 0;
  },

  async restore(argv, io) {
    const o = parse(argv, { db: { type: 'string' }, from: { type: 'string' } });
    if (o.help) return (io.stdout(`${help.restore}\n`), 0);
    const dbPath = path.resolve(required(o.db, 'db'));
    const from = path.resolve(required(o.from, 'from'));
    let saved: string | null;
    try {
      saved = await restoreDatabase(dbPath, from, cliKey(o));
    } catch (err) {
      if (err instanceof RestoreError) throw new UsageError(err.message);
      throw err;
    }
    out(
      io,
      o.json,
      { db: dbPath, from, previous: saved },
      `Restored ${dbPath} from ${from}${saved ? ` (previous database saved to ${saved})` : ''}`,
    );
    return 0;
  },
};

/** `leadbook import` of a file through the app's import jobs: a worker thread of its own,
 * progress on stderr every five seconds. */
async function importInWorker(
  store: Store,
  file: string,
  options: Omit<ImportOptions, 'dryRun'>,
  io: CliIo,
): Promise<ImportReport> {
  const jobs = new ImportJobs(store);
  try {
    const job = jobs.start('run', { file }, options);
    const timer = setInterval(() => {
      const s = jobs.get(job.id);
      if (s.total) io.stderr(`  ${s.phase}: ${s.done} of ~${s.total} rows\n`);
    }, 5000);
    const done = await jobs.settled(job.id).finally(() => clearInterval(timer));
    if (done.phase === 'failed' && done.error)
      throw new ApiError(done.error.code, done.error.message, done.error.issues);
    if (!done.report) throw new ApiError('INTERNAL', `the import ended: ${done.phase}`);
    return done.report;
  } finally {
    await jobs.close();
  }
}

function formatScoringReport(r: ModelReport): string {
  const n = (x: number | null) => (x === null ? '—' : x.toFixed(3));
  return [
    `Closed leads: ${r.closed} (train ${r.train.won} won / ${r.train.lost} lost; test ${r.test.won} won / ${r.test.lost} lost)`,
    `AUC ${n(r.auc)}   log-loss ${n(r.logLoss)} (base rate ${n(r.baselineLogLoss)})`,
    r.holdout
      ? `held out at random (${r.holdout.test} of ${r.holdout.train + r.holdout.test}): AUC ${n(r.holdout.auc)}   L2 logistic regression on the same columns: AUC ${n(r.holdout.logisticAuc)}`
      : 'held out at random: too few closed leads of each outcome',
    'Calibration (decile: predicted → actual, count):',
    ...r.calibration.map(
      (c) => `  ${c.decile}: ${c.predicted.toFixed(3)} → ${c.actual.toFixed(3)} (${c.count})`,
    ),
    'Top factors (field = value: weight, won/lost):',
    ...r.topFactors.map(
      (f) =>
        `  ${f.field} = ${f.value}: ${f.weight > 0 ? '+' : ''}${f.weight} (${f.won}/${f.lost})`,
    ),
  ].join('\n');
}

/** Runs one CLI invocation. Returns the exit code, or -1 when the command keeps running
 * (serve). Errors become one line on stderr. */
/** Runs one command. `more` adds commands that live outside the app — the benchmark
 * (bench/cli.ts), which bin/leadbook.js passes in: the app never imports the benchmark. */
export async function runCli(
  argv: string[],
  io: CliIo,
  more: Record<string, Command> = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${help.main}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  // Own names only: "toString" is not a command.
  const command = Object.hasOwn(more, name)
    ? more[name]
    : Object.hasOwn(commands, name)
      ? commands[name]
      : undefined;
  if (!command) {
    io.stderr(`leadbook: unknown command "${name}" (see leadbook --help)\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    const json = rest.includes('--json');
    const usage = err instanceof UsageError;
    let message = (err as Error).message?.split('\n')[0] ?? String(err);
    if (err instanceof WorkspaceLockedError)
      message += ' (give the key with LEADBOOK_KEY=… or --key-file FILE)';
    // SQLite's own words ("database or disk is full") do not say that nothing was saved.
    // (An import run in a worker reports the same failures as DISK_FULL / READ_ONLY.)
    const code =
      err instanceof ApiError && err.code === 'DISK_FULL'
        ? 'SQLITE_FULL'
        : err instanceof ApiError && err.code === 'READ_ONLY'
          ? 'SQLITE_READONLY'
          : (err as { code?: unknown }).code;
    if (code === 'SQLITE_FULL')
      message =
        'the disk is full: nothing from this command was saved; free some space and run it again';
    else if (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
      message = 'the database is read-only (the file, its folder or the disk): nothing was saved';
    if (json)
      io.stdout(
        `${JSON.stringify({ error: { code: usage ? 'BAD_INPUT' : 'FAILED', message } })}\n`,
      );
    io.stderr(`leadbook ${name}: ${message}\n`);
    return usage ? 2 : 1;
  }
}
