// `leadbook bench`: the benchmark's command line. bin/leadbook.js hands it to the app's CLI
// as one more command, so the app itself never imports the benchmark (issue 22); each
// benchmark loads only when chosen.
import { intOption, parse } from '../src-main/cli/args.js';
import type { CliIo } from '../src-main/cli/index.js';
import { newDatabaseKey } from '../src-main/store/cipher.js';

const benchHelp = `Usage: leadbook bench [--leads N] [--import-rows N] [--no-app] [--encrypted] [--json]
       leadbook bench --scale [--leads N] [--json]
       leadbook bench --sync [--leads N] [--laptops N] [--seconds S] [--json]
       leadbook bench --cards [--count N] [--json]

Builds a temporary database of N leads (default 100000, up to 1000000) with the demo
generator and measures writes, list pages, search and memory next to a raw-SQLite floor;
then a CSV of --import-rows rows (default 1000000; 0 skips it) imported from disk by
\`leadbook import\` in a process of its own, and the app opened as a user opens it
(\`leadbook serve\` and Chromium, when installed: the first list page, the app's memory;
--no-app skips it).
--encrypted runs the same benchmark with every file encrypted (a random key).

--scale measures the read figures (list page, search, duplicate lookup) at 10000, 100000
and 1000000 leads (up to --leads) and how each grows.

--sync measures team sync on loopback instead: pushing the workspace's whole log to an
empty server (SQLite, and PostgreSQL when its programs are installed or DATABASE_URL is
set), a new laptop's first pull against bare INSERTs of the same rows, an edit seen live
on another laptop, and N laptops (default 50) syncing for S seconds (default 60).

--cards reads N business cards (default 104), each drawn clean and as a degraded phone
photo, with the app's offline card reader, and scores name, company, title, mobile and
email against what each card prints; with the time per card and to load the model.`;

export async function benchCommand(argv: string[], io: CliIo): Promise<number> {
  const o = parse(argv, {
    leads: { type: 'string' },
    sync: { type: 'boolean' },
    laptops: { type: 'string' },
    seconds: { type: 'string' },
    encrypted: { type: 'boolean' },
    scale: { type: 'boolean' },
    'import-rows': { type: 'string' },
    'no-app': { type: 'boolean' },
    cards: { type: 'boolean' },
    count: { type: 'string' },
  });
  if (o.help) return (io.stdout(`${benchHelp}\n`), 0);
  const leads = intOption(o.leads, 'leads', 100, 1_000_000, o.scale ? 1_000_000 : 100_000);
  if (o.cards) {
    const { runCardBenchmark, formatCardReport } = await import('./cards.js');
    const report = await runCardBenchmark({
      cards: intOption(o.count, 'count', 1, 10_000, 104),
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(o.json ? `${JSON.stringify(report)}\n` : `${formatCardReport(report)}\n`);
    return 0;
  }
  if (o.scale) {
    const { runScaleBenchmark, formatScaleReport } = await import('./scale.js');
    const report = await runScaleBenchmark({
      sizes: [10_000, 100_000, 1_000_000].filter((n) => n <= leads),
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(o.json ? `${JSON.stringify(report)}\n` : `${formatScaleReport(report)}\n`);
    return 0;
  }
  if (o.sync) {
    const { runSyncBenchmark, formatSyncReport } = await import('./sync.js');
    const report = await runSyncBenchmark({
      leads,
      laptops: intOption(o.laptops, 'laptops', 1, 200, 50),
      loadSeconds: intOption(o.seconds, 'seconds', 1, 600, 60),
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(o.json ? `${JSON.stringify(report)}\n` : `${formatSyncReport(report)}\n`);
    return 0;
  }
  const { runBenchmark, formatReport } = await import('./run.js');
  const report = await runBenchmark({
    leads,
    log: (line) => io.stderr(`${line}\n`),
    // A fresh random key: every file of the run encrypted, as a desktop workspace is.
    key: o.encrypted ? newDatabaseKey() : null,
    bigImportRows: intOption(o['import-rows'], 'import-rows', 0, 5_000_000, 1_000_000),
    appFigures: !o['no-app'],
  });
  io.stdout(o.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}
