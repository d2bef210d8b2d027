// Runs the `leadbook` CLI from source in a process of its own (spawned with
// `node --import tsx`): the tests that need real separate processes (two sync servers on
// one PostgreSQL, a server killed and restarted) start it through here.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../src-main/cli/index.js';

const entry = import.meta.filename;

export interface CliProcess {
  proc: ChildProcess;
  /** The first JSON line the command printed (with --json). */
  ready: Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnCli(argv: string[], env: Record<string, string> = {}): CliProcess {
  const root = path.resolve(path.dirname(entry), '..', '..');
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...argv], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const json = JSON.parse(line) as Record<string, unknown>;
          if ('url' in json) return resolve(json);
        } catch {
          // a partial line
        }
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) =>
      reject(new Error(`leadbook ${argv[0]} exited ${code}: ${err.slice(-500)}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    proc,
    ready,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}

// When run as a script: the CLI itself.
if (process.argv[1] === entry) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
  if (code >= 0) process.exitCode = code;
}
