#!/usr/bin/env node
// The `leadbook` command. It runs the compiled CLI (built by `npm install` via the
// `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src-main/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('leadbook: not built yet — run `npm run build` in the Leadbook folder\n');
  process.exit(1);
}
// `leadbook export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { runCli } = await import(entry.href);
const bench = new URL('../dist/bench/cli.js', import.meta.url);
const code = await runCli(
  process.argv.slice(2),
  { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
  {
    // Loaded only when asked for (a packaged app may not ship the benchmark).
    bench: async (argv, io) => (await import(bench.href)).benchCommand(argv, io),
  },
);
// Setting exitCode (not calling exit) lets a large export finish writing to a pipe.
if (code >= 0) process.exitCode = code;
