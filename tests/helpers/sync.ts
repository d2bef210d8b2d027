// Helpers for the sync tests: a real sync server (SQLite file or PostgreSQL), laptops with
// real store files and the real engine.
import path from 'node:path';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient, type ApiServer } from '../../src-main/api/router.js';
import { formatJoinLink, syncedTables } from '../../src-main/contract/index.js';
import { ensureDefaults } from '../../src-main/services/defaults.js';
import { adoptSyncIdentity } from '../../src-main/services/syncEffects.js';
import { openStore, type OpenOptions } from '../../src-main/store/open.js';
import type { Store } from '../../src-main/store/store.js';
import { syncedColumnsOf } from '../../src-main/store/syncSchema.js';
import { SyncClient } from '../../src-main/sync/client.js';
import { SyncEngine, type SyncEngineOptions } from '../../src-main/sync/engine.js';
import { connectPeer } from '../../src-main/sync/peers.js';
import { startSyncServer, type SyncServerOptions } from '../../src-server/server.js';
import { tempDir } from './store.js';

export async function startTestServer(options: SyncServerOptions = {}) {
  const dir = tempDir('leadbook-sync-');
  const dataFile = options.dataFile ?? path.join(dir, 'server.db');
  const server = await startSyncServer({ host: '127.0.0.1', port: 0, dataFile, ...options });
  return { server, dataFile, dir };
}

export interface Laptop {
  name: string;
  store: Store;
  engine: SyncEngine;
  file: string;
  close(): Promise<void>;
}

/** A laptop: its own store file, the built-in rows, and a sync engine pointed at `url`. */
export async function openLaptop(
  name: string,
  url: string,
  token: string,
  options: { dir?: string; store?: OpenOptions; engine?: SyncEngineOptions } = {},
): Promise<Laptop> {
  const file = path.join(options.dir ?? tempDir('leadbook-laptop-'), `${name}.db`);
  const store = await openStore(file, options.store);
  ensureDefaults(store);
  const peer = connectPeer(store, { url, token, kind: 'server' });
  const engine = new SyncEngine(store, peer.id, {
    live: false,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    onIdentity: (user) => adoptSyncIdentity(store, user),
    ...options.engine,
  });
  return {
    name,
    store,
    engine,
    file,
    async close() {
      await engine.stop();
      store.close();
    },
  };
}

/** A laptop as the app opens it (API, engine started by the API). */
export async function openLaptopApi(file: string): Promise<ApiServer> {
  return openLeadbook(file, {}, { background: true });
}

/** Every synced table's synced columns, sorted: what must be identical on every laptop. */
export function syncedSnapshot(store: Store): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of Object.keys(syncedTables) as (keyof typeof syncedTables)[]) {
    const cols = ['id', ...[...syncedColumnsOf(table)].filter((c) => c !== 'id').sort()];
    out[table] = store.read((r) =>
      r.all(
        r.qb
          .selectFrom(table)
          .select(cols as never[])
          .orderBy('id' as never),
      ),
    );
  }
  return out;
}

/** Every HLC in the server's log (pulled page by page with a token of its own). */
export async function serverHlcs(url: string, token: string): Promise<string[]> {
  const client = new SyncClient(url, token);
  const out: string[] = [];
  let after = 0;
  let afterHlc: string | null = null;
  for (;;) {
    const page = await client.pull(after, afterHlc, 2000);
    out.push(...page.entries.map((e) => e.hlc));
    after = page.next;
    afterHlc = page.nextHlc;
    if (!page.more) return out;
  }
}

/** Waits (bounded) until `fn` gives something truthy. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 5_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A team as a newcomer sets it up: a sync server (SQLite file), an admin laptop that
 * joined with the server's admin code as `adminName`, and `joinAs` for invited laptops —
 * each opened as the app opens it (background sync off: tests run `sync.now`). */
export async function openTeam(cleanup: (() => Promise<unknown>)[], adminName = '陈经理') {
  const dir = tempDir('leadbook-team-');
  const s = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    dataFile: path.join(dir, 'server.db'),
  });
  cleanup.push(() => s.close());
  const open = async (name: string) => {
    const server = await openLeadbook(path.join(dir, `${name}.db`));
    cleanup.push(() => server.close());
    return createInProcessClient(server);
  };
  const admin = await open('admin');
  await admin.call('sync.join', {
    link: formatJoinLink({ server: s.url, code: s.adminCode! }),
    name: adminName,
  });
  const joinAs = async (name: string, role: 'rep' | 'manager') => {
    const l = await open(name);
    await l.call('sync.join', { link: (await admin.call('sync.invite', { name, role })).link });
    return l;
  };
  return { s, admin, joinAs };
}
