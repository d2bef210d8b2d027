// The API: validates a call against the contract and dispatches it. Every transport
// (in-process, HTTP, Electron IPC) goes through `dispatch`, so validation and error
// shaping happen once.
import {
  ApiError,
  isProcName,
  procedures,
  type AppEvent,
  type SyncedTable,
  type LeadbookApi,
  type ProcName,
} from '../contract/index.js';
import type { Store } from '../store/store.js';
import { toApiError, zodToApiError } from './errors.js';
import { createHandlers, type Handlers } from './handlers.js';
import { SearchIndexJobs } from '../services/searchIndexJobs.js';
import { CardReader } from '../services/cardReader.js';
import { ImportJobs } from '../services/importJobs.js';
import { RescoreJobs, type RescoreOptions } from '../services/rescoreJobs.js';
import { HubController } from './hub.js';
import { SyncController, type SyncControllerOptions } from './sync.js';
import { Backups, type BackupOptions } from '../services/backups.js';
import { storeOnlyWorkspace, type WorkspaceControl } from './workspaceControl.js';

/** How often merges from the sync server are told to listeners, at most. */
export const SYNC_EVENT_MS = 250;

export interface ApiServer {
  /** Validates and runs one call. Rejects with an ApiError, never anything else. */
  dispatch(name: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  readonly dbPath: string;
  /** The open file is encrypted / was opened read-only. */
  readonly encrypted: boolean;
  readonly readOnly: boolean;
  /** Stops background work and closes the file. The app shells make a last backup first
   * (when something changed); a restore or encryption, which makes its own, does not. */
  close(options?: { backup?: boolean }): Promise<void>;
}

export interface ApiOptions {
  /** The app shells (serve, Electron) keep scores current with a daily rescore; one-shot
   * CLI commands do not. */
  background?: boolean;
  rescore?: RescoreOptions;
  /** Team sync: started in the background by the app shells (background: true); the
   * desktop app passes a SecretBox over the OS keychain. */
  sync?: SyncControllerOptions;
  backups?: BackupOptions;
  /** The shell's hold on the workspace file (unlock, encrypt, restore); without one
   * (tests, one-shot CLI commands) those answer that they need the app. */
  workspace?: WorkspaceControl;
}

export function createApi(store: Store, options: ApiOptions = {}): ApiServer {
  const jobs = new ImportJobs(store);
  const rescore = new RescoreJobs(store, options.rescore);
  if (options.background) rescore.scheduleDaily();
  const searchIndex = new SearchIndexJobs(store);
  searchIndex.startIfNeeded();
  const cards = new CardReader();
  const sync = new SyncController(store, rescore, options.background === true, options.sync);
  const hub = new HubController(store, sync, `${store.path}.hub`, options.background === true);
  const backups = new Backups(store, options.backups);
  if (options.background) backups.scheduleDaily();
  const workspace = options.workspace ?? storeOnlyWorkspace(store);
  const handlers: Handlers = createHandlers(
    store,
    jobs,
    rescore,
    sync,
    hub,
    backups,
    workspace,
    searchIndex,
    cards,
  );
  return {
    dbPath: store.path,
    encrypted: store.key !== null,
    readOnly: store.readOnly,
    async dispatch(name, input) {
      if (typeof name !== 'string' || !isProcName(name)) {
        throw new ApiError('UNKNOWN_PROCEDURE', `unknown procedure: ${String(name).slice(0, 100)}`);
      }
      const parsed = procedures[name].input.safeParse(input ?? {});
      if (!parsed.success) throw zodToApiError(parsed.error);
      try {
        const handler = handlers[name] as (input: unknown) => unknown;
        // Awaited here so a failing async use case is shaped like any other error.
        return await handler(parsed.data);
      } catch (err) {
        throw toApiError(err);
      }
    },
    onEvent(listener) {
      // Merges from the sync server come batch after batch (a first pull is hundreds): they
      // are told at most every SYNC_EVENT_MS, tables gathered, so open views refresh a few
      // times a second instead of re-reading after every batch. Local writes go at once.
      let pending: Set<SyncedTable> | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        timer = null;
        const tables = pending;
        pending = null;
        if (tables?.size) listener({ type: 'changed', tables: [...tables], origin: 'sync' });
      };
      const offStore = store.onChange((e) => {
        if (e.origin === 'local')
          return listener({ type: 'changed', tables: e.tables, origin: e.origin });
        pending ??= new Set();
        for (const t of e.tables) pending.add(t);
        timer ??= setTimeout(flush, SYNC_EVENT_MS);
      });
      const offSync = sync.onStatus((status) => listener({ type: 'sync', status }));
      return () => {
        offStore();
        offSync();
        if (timer) clearTimeout(timer);
      };
    },
    async close(closeOptions = {}) {
      if (options.background && closeOptions.backup !== false && !store.readOnly)
        await backups.onQuit();
      backups.close();
      await sync.close();
      await hub.close();
      // A running import is cancelled and rolled back before its database is closed.
      await jobs.close();
      await rescore.close();
      await searchIndex.close();
      await cards.stop();
      store.close();
    },
  };
}

/** A typed client over the API in the same process (tests, CLI). */
export function createInProcessClient(api: ApiServer): LeadbookApi {
  return {
    call: (name: ProcName, input: unknown) => api.dispatch(name, input),
    onEvent: (listener) => api.onEvent(listener),
  } as LeadbookApi;
}
