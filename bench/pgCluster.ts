// A throwaway PostgreSQL cluster for the sync tests and the sync benchmark: initdb into a temp folder, started on
// a spare loopback port, removed afterwards. Uses Debian's packages (.ci/run installs
// them); as root the server runs as the `postgres` user, as PostgreSQL requires.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  url: (database?: string) => string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function findBin(name: string): string {
  const roots = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  for (const dir of [...roots, ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL's ${name} was not found: apt-get install -y postgresql`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startPostgres(options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const initdb = findBin('initdb');
  const postgres = findBin('postgres');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const)
      : ([cmd, args] as const);
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const [c1, a1] = run(initdb, [
    '-D',
    data,
    '-U',
    'leadbook',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(c1, a1, { stdio: 'pipe' });
  const port = await freePort();
  const [c2, a2] = run(postgres, [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    // Tests need no durability; the benchmark keeps PostgreSQL's (as the SQLite store keeps
    // synchronous=FULL), so the two are compared fairly.
    '-c',
    `fsync=${options.fsync ? 'on' : 'off'}`,
    '-c',
    'max_connections=200',
  ]);
  const proc: ChildProcess = spawn(c2, a2, { stdio: 'pipe' });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = (db = 'postgres') => `postgres://leadbook@127.0.0.1:${port}/${db}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({ connectionString: url() });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => undefined);
      if (proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`PostgreSQL did not start: ${log.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return url(name);
    },
    async stop() {
      // The postmaster itself (runuser does not pass signals on): fast shutdown.
      try {
        const pid = Number(
          fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0],
        );
        process.kill(pid, 'SIGINT');
      } catch {
        proc.kill('SIGINT');
      }
      await new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
