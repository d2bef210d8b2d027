// Starting and stopping a sync server: the database (SQLite file or PostgreSQL), the
// workspace, the live hub (LISTEN across processes on PostgreSQL) and the HTTP app.
import type { AddressInfo } from 'node:net';
import { buildSyncApp } from './app.js';
import { openServerDatabase, type Dialect, type SqliteFileKey } from './database.js';
import { LiveHub } from './live.js';
import { LogStore, NOTIFY_CHANNEL } from './logStore.js';

export interface SyncServerOptions {
  host?: string;
  port?: number;
  /** SQLite file (the default store). Ignored when `databaseUrl` is set. */
  dataFile?: string;
  /** Encrypts the SQLite file (the booth hub's log, with its laptop's workspace key). */
  dataKey?: SqliteFileKey | null;
  /** postgres://… — several server processes may share it. */
  databaseUrl?: string | undefined;
  /** pino logs as JSON lines on stdout (the CLI); off in tests. */
  logger?: boolean | { level: string };
  pingMs?: number;
  now?: () => number;
  /** Serve over TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string } | undefined;
  /** Make a one-time admin code when there is no admin (default true; a booth hub, run by
   * its laptop, invites from the app instead). */
  adminCode?: boolean;
}

export interface RunningSyncServer {
  url: string;
  port: number;
  host: string;
  dialect: Dialect;
  describe: string;
  store: LogStore;
  workspace: { id: string; name: string; epoch: string };
  /** A one-time admin code, made when the workspace has no admin yet (shown once). */
  adminCode: string | null;
  /** Stops taking requests, finishes those in flight, then closes the database. */
  close(): Promise<void>;
}

export const DEFAULT_SYNC_PORT = 7411;

/** Opens the store and its workspace (for the token commands, without serving). */
export async function openLogStore(
  options: Pick<SyncServerOptions, 'dataFile' | 'databaseUrl' | 'dataKey'>,
) {
  const database = await openServerDatabase({
    databaseUrl: options.databaseUrl,
    file: options.dataFile,
    fileKey: options.dataKey ?? null,
  });
  const store = new LogStore(database.db, database.dialect);
  await store.ensureWorkspace();
  return { store, database };
}

export async function startSyncServer(options: SyncServerOptions = {}): Promise<RunningSyncServer> {
  const database = await openServerDatabase({
    databaseUrl: options.databaseUrl,
    file: options.dataFile,
    fileKey: options.dataKey ?? null,
  });
  const store = new LogStore(database.db, database.dialect, options.now);
  const live = new LiveHub();
  let unlisten: (() => Promise<void>) | null = null;
  try {
    const workspace = await store.ensureWorkspace();
    const adminCode = options.adminCode === false ? null : await store.adminCodeIfNeeded();
    if (database.listen)
      unlisten = await database.listen(NOTIFY_CHANNEL, (p) => live.publishPayload(p));
    const app = buildSyncApp({
      store,
      live,
      publishLocally: database.dialect === 'sqlite',
      logger: options.logger ?? false,
      ...(options.pingMs ? { pingMs: options.pingMs } : {}),
      ...(options.tls ? { https: options.tls } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? DEFAULT_SYNC_PORT });
    const port = (app.server.address() as AddressInfo).port;
    const shown =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    let closed: Promise<void> | null = null;
    return {
      url: `${options.tls ? 'https' : 'http'}://${shown}:${port}`,
      port,
      host,
      dialect: database.dialect,
      describe: database.describe,
      store,
      workspace,
      adminCode,
      close: () =>
        (closed ??= (async () => {
          await app.close();
          if (unlisten) await unlisten();
          await database.close();
        })()),
    };
  } catch (err) {
    if (unlisten) await unlisten();
    await database.close();
    throw err;
  }
}
