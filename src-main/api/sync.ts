// Team sync as the app drives it: Settings › Team sync connects and disconnects, the frame
// shows the status, "Sync now" and `leadbook sync` run one cycle. The engine itself lives
// in src-main/sync; this wires it to the services (rescoring, the device's user).
import {
  ApiError,
  type SyncConnectInput,
  type SyncOutcome,
  type SyncStatus,
} from '../contract/index.js';
import type { RescoreJobs } from '../services/rescoreJobs.js';
import {
  adoptSyncIdentity,
  rescoreSyncedLeads,
  RESCORE_ONE_BY_ONE_MAX,
} from '../services/syncEffects.js';
import type { Store } from '../store/store.js';
import { SyncClient, SyncHttpError } from '../sync/client.js';
import { SyncEngine, type SyncEngineOptions } from '../sync/engine.js';
import { activePeer, connectPeer, disconnectPeer } from '../sync/peers.js';

export class SyncController {
  readonly engine: SyncEngine;
  /** Leads merged in this cycle, rescored once it ends — or, past RESCORE_ONE_BY_ONE_MAX (a
   * first pull), all leads in the background. Kept across a failed cycle. */
  private toRescore = new Set<string>();
  private bigPull = false;

  constructor(
    private readonly store: Store,
    rescore: RescoreJobs,
    private readonly background: boolean,
    options: SyncEngineOptions = {},
  ) {
    this.engine = new SyncEngine(store, {
      ...options,
      live: background && options.live !== false,
      onApplied: ({ leadIds }) => {
        if (this.bigPull) return;
        for (const id of leadIds) this.toRescore.add(id);
        if (this.toRescore.size > RESCORE_ONE_BY_ONE_MAX) {
          this.bigPull = true;
          this.toRescore.clear();
        }
      },
      onCycleDone: () => {
        if (this.bigPull) {
          this.bigPull = false;
          rescore.start();
        } else if (this.toRescore.size) {
          const ids = [...this.toRescore];
          this.toRescore.clear();
          rescoreSyncedLeads(store, ids);
        }
      },
      onIdentity: (user) => adoptSyncIdentity(store, user),
    });
    if (background) this.engine.start();
  }

  status(): SyncStatus {
    return this.engine.status();
  }

  /** Checks the address and token with the server first: a wrong one is refused and
   * changes nothing. */
  async connect(input: SyncConnectInput): Promise<SyncStatus> {
    const client = new SyncClient(input.server, input.token, { timeoutMs: 10_000 });
    try {
      await client.hello({ nodeId: this.store.nodeId, checkpoints: [] });
    } catch (err) {
      throw connectError(err);
    }
    await this.engine.stop();
    connectPeer(this.store, input.server, input.token);
    if (this.background) this.engine.start();
    return this.status();
  }

  async disconnect(): Promise<SyncStatus> {
    await this.engine.stop();
    disconnectPeer(this.store);
    return this.status();
  }

  async now(): Promise<SyncOutcome> {
    if (!activePeer(this.store)) throw new ApiError('BAD_INPUT', 'no sync server is configured');
    try {
      return await this.engine.syncOnce();
    } catch (err) {
      throw connectError(err);
    }
  }

  close(): Promise<void> {
    return this.engine.stop();
  }
}

function connectError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof SyncHttpError) {
    if (err.code === 'UNAUTHORIZED')
      return new ApiError('UNAUTHORIZED', `the server refused the token: ${err.message}`);
    if (err.code === 'NETWORK' || err.code === 'UNAVAILABLE')
      return new ApiError('UNREACHABLE', err.message);
    return new ApiError('BAD_INPUT', err.message);
  }
  return new ApiError('INTERNAL', (err as Error)?.message ?? String(err));
}
