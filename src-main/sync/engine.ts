// The sync engine: runs in the main process (desktop app and web mode), never in the
// renderer. One cycle = hello (is the server still the log we knew?) → push what arrived
// here since the last push, in arrival order → pull after the cursor, each batch applied
// with its cursor in one transaction. Cycles run when something is written here, when the
// live channel says the server moved, and every minute; failures back off with jitter.
import type { Change, LoggedChange, Store } from '../store/store.js';
import { ClockDriftError } from '../domain/hlc.js';
import {
  isTeamConfigWrite,
  mayWriteTeamConfig,
  syncLimits,
  type Checkpoint,
  type HelloResponse,
  type SyncEntry,
  type SyncPeerKind,
  type SyncPeerStatus,
  type SyncProblem,
  type SyncStateName,
  type SyncOutcome,
} from '../contract/index.js';
import { SyncClient, SyncHttpError, type SyncClientOptions } from './client.js';
import {
  activePeer,
  refuseEntries,
  refusedHlcs,
  retryRefused,
  updatePeer,
  type SyncPeer,
} from './peers.js';
import { plainSecrets, SecretUnavailableError, type SecretBox } from './secrets.js';

export interface SyncEngineOptions {
  /** Entries per push request (≤ the server's limit). */
  pushBatch?: number;
  /** Entries per pull request. */
  pullBatch?: number;
  /** Entries applied per transaction: small enough that the UI never waits long. */
  applyBatch?: number;
  /** Poll even without a wake-up (a missed live event, a quiet network). */
  pollMs?: number;
  /** Backoff after a failure: base and cap (ms); jitter is added. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Gathers writes made in quick succession into one cycle. */
  debounceMs?: number;
  /** Listen to the server's live channel (off for one-shot syncs). */
  live?: boolean;
  client?: SyncClientOptions;
  /** Called after a batch from the server was applied: the leads it touched (rescoring). */
  onApplied?: (info: { leadIds: Set<string>; entries: number; changes: Change[] }) => void;
  /** Called when a cycle has finished (a big pull asks for one full rescore then). */
  onCycleDone?: (outcome: SyncOutcome) => void;
  /** Called once the server said who this device's user is. */
  onIdentity?: (user: HelloResponse['user'], hello: HelloResponse, peer: SyncPeer) => void;
  /** Where the token is kept (the OS keychain in the desktop app). */
  secrets?: SecretBox;
  random?: () => number;
}

const LEAD_LINKS = new Set(['activities']);

/** A change-log entry as it travels (to a server, a hub or a file). */
export function toSyncEntry(e: LoggedChange): SyncEntry {
  return { hlc: e.hlc, table: e.table, rowId: e.rowId, fields: e.fields, author: e.author ?? null };
}

/** A cycle that moved nothing yet. */
export function emptyOutcome(): SyncOutcome {
  return {
    pushed: 0,
    pushDuplicates: 0,
    pulled: 0,
    applied: 0,
    duplicates: 0,
    reset: false,
    head: 0,
  };
}

export class SyncEngine {
  private state: SyncStateName = 'off';
  private problem: SyncProblem | null = null;
  private running = false;
  private cycle: Promise<SyncOutcome> | null = null;
  private again = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private wakeSleep: (() => void) | null = null;
  private liveAbort: AbortController | null = null;
  /** Aborts the requests of a running cycle when the engine stops (the app is closing). */
  private stopping = new AbortController();
  private failures = 0;
  /** Moves at every start: the loops of an earlier start (still asleep) end themselves. */
  private generation = 0;
  private readonly listeners = new Set<(s: SyncPeerStatus) => void>();
  private offStore: (() => void) | null = null;
  private lastStatus = '';
  private readonly o: Required<
    Omit<SyncEngineOptions, 'onApplied' | 'onIdentity' | 'onCycleDone' | 'client'>
  > &
    Pick<SyncEngineOptions, 'onApplied' | 'onIdentity' | 'onCycleDone' | 'client'>;
  /** Why the peer refused an entry in this cycle (shown beside "synced"). */
  private refusedThisCycle: string | null = null;

  constructor(
    private readonly store: Store,
    readonly peerId: string,
    options: SyncEngineOptions = {},
  ) {
    this.o = {
      pushBatch: 500,
      pullBatch: 2000,
      applyBatch: 1000,
      pollMs: 60_000,
      backoffBaseMs: 500,
      backoffMaxMs: 60_000,
      debounceMs: 25,
      live: true,
      random: Math.random,
      secrets: plainSecrets,
      ...options,
    };
    this.o.pushBatch = Math.min(this.o.pushBatch, syncLimits.maxPushEntries);
    this.o.pullBatch = Math.min(this.o.pullBatch, syncLimits.maxPullEntries);
  }

  // ---- status ----

  onStatus(listener: (s: SyncPeerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private peer(): SyncPeer | null {
    return activePeer(this.store, this.peerId);
  }

  /** This peer's status; null once it was disconnected. */
  status(): SyncPeerStatus | null {
    const peer = this.peer();
    if (!peer) return null;
    return {
      id: peer.id,
      kind: peer.kind as SyncPeerKind,
      state: this.state === 'off' ? (this.running ? 'connecting' : 'off') : this.state,
      server: peer.url,
      fingerprint: peer.fingerprint,
      workspace: peer.workspace_name,
      user: peer.user_name,
      role: peer.role,
      waiting: this.store.read(() => this.store.countWaiting(peer.push_seq, peer.id)),
      received: peer.received,
      sent: peer.sent,
      refused: refusedHlcs(this.store, peer.id).size,
      lastSyncedAt: peer.last_synced_at,
      problem: this.problem,
    };
  }

  private setState(state: SyncStateName, problem: SyncProblem | null = this.problem): void {
    this.state = state;
    this.problem = problem;
    this.announce();
  }

  private announce(): void {
    if (!this.listeners.size) return;
    const s = this.status();
    if (!s) return;
    const key = JSON.stringify(s);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch (err) {
        console.error('leadbook: sync status listener failed', err);
      }
    }
  }

  // ---- running in the background ----

  /** Starts syncing in the background (no-op without a configured server). */
  start(): void {
    if (this.running || !this.peer()) return;
    this.running = true;
    const generation = ++this.generation;
    this.stopping = new AbortController();
    this.failures = 0;
    this.setState('connecting', null);
    this.offStore = this.store.onChange((e) => {
      if (e.origin === 'local') {
        this.announce();
        this.wake();
      }
    });
    void this.loop(generation);
    if (this.o.live) void this.liveLoop(generation);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offStore?.();
    this.offStore = null;
    this.liveAbort?.abort();
    this.stopping.abort();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeNow();
    await this.cycle?.catch(() => undefined);
    this.setState('off', null);
  }

  /** Asks for a cycle soon (writes made together share one). */
  wake(): void {
    if (!this.running) return;
    if (this.cycle) {
      this.again = true;
      return;
    }
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeNow();
    }, this.o.debounceMs);
  }

  private wakeNow(): void {
    const w = this.wakeSleep;
    this.wakeSleep = null;
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeSleep = resolve;
      this.sleepTimer = setTimeout(() => {
        this.wakeSleep = null;
        resolve();
      }, ms);
    });
  }

  private backoff(): number {
    const cap = Math.min(
      this.o.backoffMaxMs,
      this.o.backoffBaseMs * 2 ** Math.min(this.failures, 16),
    );
    // "Equal jitter": never less than half the step, so a flapping server is not hammered,
    // and laptops that failed together do not retry together.
    return cap / 2 + this.o.random() * (cap / 2);
  }

  private current(generation: number): boolean {
    return this.running && generation === this.generation;
  }

  private async loop(generation: number): Promise<void> {
    while (this.current(generation)) {
      let delay = this.o.pollMs;
      try {
        this.again = false;
        await this.syncOnce();
        this.failures = 0;
        if (this.again) continue;
      } catch (err) {
        this.failures++;
        delay = this.backoff();
        // A refusal a person has to fix (token, clock, app version) is retried slowly.
        if (!(err instanceof SyncHttpError && err.transient) && !(err instanceof ClockDriftError))
          delay = Math.max(delay, Math.min(this.o.backoffMaxMs, 30_000));
      }
      if (!this.current(generation)) break;
      await this.sleep(delay);
    }
  }

  private async liveLoop(generation: number): Promise<void> {
    let failures = 0;
    while (this.current(generation)) {
      const peer = this.peer();
      if (!peer) return;
      const abort = new AbortController();
      this.liveAbort = abort;
      let client: SyncClient;
      try {
        client = this.clientFor(peer, undefined);
      } catch {
        return;
      }
      let connected = false;
      try {
        await client.live((head) => {
          if (!connected) {
            connected = true;
            failures = 0;
            // Back after a break: sync at once (what was captured meanwhile goes up).
            if (this.state === 'offline' || this.state === 'error') this.failures = 0;
            this.wake();
            return;
          }
          const current = this.peer();
          if (current && head > current.pull_seq) this.wake();
        }, abort.signal);
      } catch {
        // Shown by the sync loop, which meets the same failure; here we only retry.
      }
      if (!this.current(generation)) return;
      // The stream ended or failed: the sync loop finds out why now (and shows "offline"),
      // rather than at its next poll.
      if (connected) this.wake();
      failures = connected ? 0 : failures + 1;
      const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** Math.min(failures, 16));
      await new Promise((r) => setTimeout(r, cap / 2 + this.o.random() * (cap / 2)));
    }
  }

  // ---- one cycle ----

  /** Runs one full cycle now (or joins the one running). Rejects with the failure, which
   * the status also shows in plain words. */
  syncOnce(): Promise<SyncOutcome> {
    if (this.cycle) {
      this.again = true;
      return this.cycle;
    }
    this.cycle = this.runCycle().finally(() => {
      this.cycle = null;
    });
    return this.cycle;
  }

  private clientFor(peer: SyncPeer, signal: AbortSignal | undefined): SyncClient {
    return new SyncClient(peer.url, this.o.secrets.open(peer.token), {
      ...this.o.client,
      ...(signal ? { signal } : {}),
      ...(peer.fingerprint ? { fingerprint: peer.fingerprint } : {}),
    });
  }

  private async runCycle(): Promise<SyncOutcome> {
    const peer = this.peer();
    if (!peer) throw new Error('no sync server is configured');
    const outcome = emptyOutcome();
    // A one-shot cycle after a stop (the CLI, "Sync now" with background sync off).
    if (!this.running && this.stopping.signal.aborted) this.stopping = new AbortController();
    this.setState(
      this.state === 'synced' ? 'syncing' : this.state === 'off' ? 'connecting' : this.state,
    );
    this.refusedThisCycle = null;
    try {
      const client = this.clientFor(peer, this.stopping.signal);
      const hello = await this.hello(client, peer, outcome);
      this.setState('syncing');
      this.o.onIdentity?.(hello.user, hello, peer);
      await this.push(client, peer.id, outcome);
      await this.pull(client, peer.id, outcome);
      updatePeer(this.store, peer.id, { last_synced_at: Date.now() });
      this.setState(
        'synced',
        this.refusedThisCycle
          ? { kind: 'role_refused', detail: this.refusedThisCycle, at: Date.now() }
          : null,
      );
      this.o.onCycleDone?.(outcome);
      return outcome;
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  private async hello(
    client: SyncClient,
    peer: SyncPeer,
    outcome: SyncOutcome,
  ): Promise<HelloResponse> {
    const checkpoints: Checkpoint[] = [];
    if (peer.pull_seq > 0 && peer.pull_hlc)
      checkpoints.push({ seq: peer.pull_seq, hlc: peer.pull_hlc });
    if (peer.pushed_seq && peer.pushed_hlc)
      checkpoints.push({ seq: peer.pushed_seq, hlc: peer.pushed_hlc });
    const waiting = this.store.read(() => this.store.countWaiting(peer.push_seq, peer.id));
    const hello = await client.hello({ nodeId: this.store.nodeId, checkpoints, waiting });
    const changedServer =
      (peer.epoch !== null && peer.epoch !== hello.epoch) ||
      (peer.workspace_id !== null && peer.workspace_id !== hello.workspace.id) ||
      !hello.checkpointsValid;
    if (changedServer) {
      this.startOver(peer.id);
      outcome.reset = true;
    }
    // Promoted (now admin or manager): what was refused as a rep's is offered again.
    if (mayWriteTeamConfig(hello.user.role) && peer.role !== null && !mayWriteTeamConfig(peer.role))
      retryRefused(this.store, peer.id);
    updatePeer(this.store, peer.id, {
      epoch: hello.epoch,
      workspace_id: hello.workspace.id,
      workspace_name: hello.workspace.name,
      user_id: hello.user.id,
      user_name: hello.user.name,
      role: hello.user.role,
      device_id: hello.device.id,
      server_node: hello.serverNode ?? null,
    });
    outcome.head = hello.head;
    return hello;
  }

  /** The server lost entries (restored from an older backup, or replaced): forget both
   * cursors and push everything again, including what came from it — it may no longer
   * have them. Entries are idempotent by HLC, so nothing is doubled. */
  private startOver(peerId: string): void {
    this.store.forgetVia(peerId);
    updatePeer(this.store, peerId, {
      push_seq: 0,
      pushed_seq: null,
      pushed_hlc: null,
      pull_seq: 0,
      pull_hlc: null,
    });
  }

  private async push(client: SyncClient, peerId: string, outcome: SyncOutcome): Promise<void> {
    for (;;) {
      const peer = activePeer(this.store, peerId);
      if (!peer || peer.id !== peerId) return;
      const batch = this.store.read(() => this.store.logSince(peer.push_seq, this.o.pushBatch));
      if (!batch.length) return;
      const scannedTo = batch[batch.length - 1]!.seq;
      const refused = refusedHlcs(this.store, peerId);
      // Team settings typed here by a rep are kept here: the server would refuse them.
      const mayConfigure = peer.role === null || mayWriteTeamConfig(peer.role);
      const heldBack: string[] = [];
      // Never sent back to the server it came from, nor offered again once refused.
      const entries: SyncEntry[] = [];
      for (const e of batch) {
        if (e.via === peerId || refused.has(e.hlc)) continue;
        if (
          !mayConfigure &&
          e.hlc.endsWith(this.store.nodeId) &&
          isTeamConfigWrite(e.table, Object.keys(e.fields))
        ) {
          heldBack.push(e.hlc);
          continue;
        }
        entries.push(toSyncEntry(e));
      }
      refuseEntries(this.store, peerId, heldBack, 'role');
      if (!entries.length) {
        updatePeer(this.store, peerId, { push_seq: scannedTo });
        continue;
      }
      let res;
      try {
        res = await client.push(entries);
      } catch (err) {
        // One entry the server will never take (team settings, by a rep): set it aside with
        // its reason, shown in Settings, and go on with the rest.
        if (
          err instanceof SyncHttpError &&
          err.code === 'FORBIDDEN' &&
          typeof err.details?.index === 'number' &&
          entries[err.details.index]
        ) {
          refuseEntries(this.store, peerId, [entries[err.details.index]!.hlc], err.message);
          this.refusedThisCycle = err.message;
          continue;
        }
        throw err;
      }
      outcome.pushed += res.accepted;
      outcome.pushDuplicates += res.duplicates;
      const at = Date.now();
      this.store.write((tx) => {
        tx.updateLocal(
          'sync_peers',
          { column: 'id', value: peerId },
          {
            push_seq: scannedTo,
            sent: peer.sent + res.accepted,
            ...(res.last ? { pushed_seq: res.last.seq, pushed_hlc: res.last.hlc } : {}),
          },
        );
        // From now on others may have seen these values (conflict detection).
        tx.insertLocal('sync_pushes', { peer_id: peerId, seq: scannedTo, at });
      });
      this.announce();
    }
  }

  private async pull(client: SyncClient, peerId: string, outcome: SyncOutcome): Promise<void> {
    for (;;) {
      const peer = activePeer(this.store, peerId);
      if (!peer || peer.id !== peerId) return;
      let res;
      try {
        res = await client.pull(peer.pull_seq, peer.pull_hlc, this.o.pullBatch);
      } catch (err) {
        if (err instanceof SyncHttpError && err.code === 'CURSOR_RESET' && !outcome.reset) {
          // Lost entries found mid-cycle: start over once, pushing first.
          this.startOver(peerId);
          outcome.reset = true;
          await this.push(client, peerId, outcome);
          continue;
        }
        throw err;
      }
      if (res.epoch !== peer.epoch) {
        if (outcome.reset)
          throw new SyncHttpError(409, 'CURSOR_RESET', 'the server keeps changing its log');
        this.startOver(peerId);
        updatePeer(this.store, peerId, { epoch: res.epoch });
        outcome.reset = true;
        await this.push(client, peerId, outcome);
        continue;
      }
      outcome.head = res.head;
      outcome.pulled += res.entries.length;
      let received = peer.received;
      for (let i = 0; i < res.entries.length; i += this.o.applyBatch) {
        const part = res.entries.slice(i, i + this.o.applyBatch);
        const last = part[part.length - 1]!;
        const changes: Change[] = part.map((e) => ({
          hlc: e.hlc,
          table: e.table,
          rowId: e.rowId,
          fields: e.fields,
          author: e.author,
          device: e.device ?? null,
        }));
        const applied = this.store.applyChanges(changes, {
          via: peerId,
          alsoSetLocal: {
            table: 'sync_peers',
            where: { column: 'id', value: peerId },
            values: { pull_seq: last.seq, pull_hlc: last.hlc, received: received + part.length },
          },
        });
        received += part.length;
        outcome.applied += applied.applied;
        outcome.duplicates += applied.duplicates;
        if (applied.applied && this.o.onApplied) {
          const leadIds = new Set<string>();
          for (const c of changes) {
            if (c.table === 'leads') leadIds.add(c.rowId);
            else if (LEAD_LINKS.has(c.table) && typeof c.fields.lead_id === 'string')
              leadIds.add(c.fields.lead_id);
          }
          this.o.onApplied({ leadIds, entries: applied.applied, changes });
        }
        this.announce();
        // Let the app answer between batches (a first pull of a whole workspace).
        await new Promise((r) => setImmediate(r));
      }
      if (!res.more) {
        if (!res.entries.length && res.next !== peer.pull_seq)
          updatePeer(this.store, peerId, { pull_seq: res.next, pull_hlc: res.nextHlc });
        return;
      }
    }
  }

  private fail(err: unknown): void {
    const at = Date.now();
    if (err instanceof ClockDriftError) {
      return this.setState('error', {
        kind: 'clock_wrong',
        detail: err.message,
        minutes: -Math.round(err.driftMs / 60_000),
        at,
      });
    }
    if (err instanceof SecretUnavailableError)
      return this.setState('error', { kind: 'token_refused', detail: err.message, at });
    if (!(err instanceof SyncHttpError)) {
      return this.setState('error', {
        kind: 'server_error',
        detail: (err as Error)?.message ?? String(err),
        at,
      });
    }
    const d = err.details;
    switch (err.code) {
      case 'NETWORK':
      case 'UNAVAILABLE':
        return this.setState('offline', { kind: 'unreachable', detail: err.message, at });
      case 'UNAUTHORIZED':
        return this.setState('error', { kind: 'token_refused', detail: err.message, at });
      case 'REVOKED':
        return this.setState('error', { kind: 'revoked', detail: err.message, at });
      case 'CERT_MISMATCH':
        return this.setState('error', { kind: 'wrong_certificate', detail: err.message, at });
      case 'CLOCK_AHEAD':
        return this.setState('error', {
          kind: 'clock_wrong',
          detail: err.message,
          ...(d?.minutesAhead !== undefined ? { minutes: d.minutesAhead } : {}),
          at,
        });
      case 'CLIENT_TOO_OLD':
        return this.setState('error', { kind: 'app_too_old', detail: err.message, at });
      case 'BAD_REQUEST':
      case 'PAYLOAD_TOO_LARGE':
        return this.setState('error', { kind: 'refused_entries', detail: err.message, at });
      default:
        if (err.transient)
          return this.setState('offline', { kind: 'unreachable', detail: err.message, at });
        return this.setState('error', { kind: 'server_error', detail: err.message, at });
    }
  }
}
