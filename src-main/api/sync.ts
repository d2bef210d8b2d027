// Team sync as the app drives it: Settings › Team sync joins a team (an invite link or QR
// code), connects with a token, invites people and removes devices (admins), and shows the
// status; "Sync now" and `leadbook sync` run one cycle. One engine runs per active peer —
// the team server and a booth hub at once — and what one brings in wakes the others, so a
// booth's leads travel on to the team server. The engine lives in src-main/sync; this wires
// it to the services (rescoring, the device's user, the rep's read-only team settings).
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  ApiError,
  formatFilePairLink,
  formSnippet,
  type FormKey,
  type FormKeyInput,
  type FormKeyView,
  formatJoinLink,
  parseFilePairLink,
  SYNC_FILE_EXTENSION,
  type ExportedFile,
  type FileSyncStatus,
  type SyncFileImport,
  isTeamConfigWrite,
  mayWriteTeamConfig,
  memberRoles,
  parseJoinLink,
  type HelloResponse,
  type InviteRequest,
  type SyncConnectInput,
  type SyncOutcome,
  type SyncPeerStatus,
  type SyncStatus,
  type TeamDevice,
  type TeamInvite,
} from '../contract/index.js';
import type { RescoreJobs } from '../services/rescoreJobs.js';
import { readDevice } from '../services/device.js';
import {
  adoptSyncIdentity,
  rescoreSyncedLeads,
  RESCORE_ONE_BY_ONE_MAX,
} from '../services/syncEffects.js';
import { readAssignmentConfig } from '../services/assignment.js';
import { reassignLeads } from '../services/leadBulk.js';
import type { Change, Store } from '../store/store.js';
import { SyncClient, SyncHttpError } from '../sync/client.js';
import { emptyOutcome, SyncEngine, type SyncEngineOptions } from '../sync/engine.js';
import {
  activePeer,
  activePeers,
  connectPeer,
  disconnectPeer,
  resumePeer,
  type PeerInput,
  type SyncPeer,
} from '../sync/peers.js';
import { plainSecrets, SecretUnavailableError, type SecretBox } from '../sync/secrets.js';
import { readSyncFile, writeSyncFile, type FileIdentity } from '../sync/fileSync.js';
import { readTeamSettings } from '../services/settings.js';

const FILE_WORKSPACE = 'filesync.workspace';
const FILE_NAME = 'filesync.name';
const FILE_KEY = 'filesync.key';

export interface SyncControllerOptions extends SyncEngineOptions {
  secrets?: SecretBox;
}

export class SyncController {
  private readonly engines = new Map<string, SyncEngine>();
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  /** Leads merged in this cycle, rescored once it ends — or, past RESCORE_ONE_BY_ONE_MAX (a
   * first pull), all leads in the background. Kept across a failed cycle. */
  private toRescore = new Set<string>();
  private bigPull = false;
  private identity: HelloResponse['user'] | null = null;
  /** The lowest role of this device's user on any active peer (cached: the write guard
   * runs for every row written). */
  private role: string | null = null;
  private readonly secrets: SecretBox;

  constructor(
    private readonly store: Store,
    private readonly rescore: RescoreJobs,
    private readonly background: boolean,
    private readonly options: SyncControllerOptions = {},
  ) {
    this.secrets = options.secrets ?? plainSecrets;
    for (const peer of activePeers(store)) this.engineFor(peer.id);
    this.refreshRole();
    // A rep of a synced team may not change team settings: refused here, before it is
    // written, with the reason (the server would refuse it too).
    store.setLocalWriteGuard((table, fields) => {
      if (this.role !== null && !mayWriteTeamConfig(this.role))
        if (isTeamConfigWrite(table, Object.keys(fields)))
          throw new ApiError(
            'FORBIDDEN',
            `only the team's admins and managers can change team settings (${table}); this laptop's user is a ${this.role}`,
          );
    });
    if (background) for (const e of this.engines.values()) e.start();
  }

  private engineFor(peerId: string): SyncEngine {
    let engine = this.engines.get(peerId);
    if (engine) return engine;
    engine = new SyncEngine(this.store, peerId, {
      ...this.options,
      secrets: this.secrets,
      live: this.background && this.options.live !== false,
      onApplied: ({ leadIds, changes }) => {
        // What one peer brought in goes on to the others (booth hub → team server).
        for (const [id, other] of this.engines) if (id !== peerId) other.wake();
        this.noteFormLeads(peerId, changes);
        if (this.bigPull) return;
        for (const id of leadIds) this.toRescore.add(id);
        if (this.toRescore.size > RESCORE_ONE_BY_ONE_MAX) {
          this.bigPull = true;
          this.toRescore.clear();
        }
      },
      onCycleDone: () => {
        // The server wrote this member into the log: now it is here, it becomes "I am".
        if (this.identity) adoptSyncIdentity(this.store, this.identity);
        if (this.bigPull) {
          this.bigPull = false;
          this.rescore.start();
        } else if (this.toRescore.size) {
          const ids = [...this.toRescore];
          this.toRescore.clear();
          rescoreSyncedLeads(this.store, ids);
        }
        // After scoring: a rule may route by grade.
        this.assignFormLeads();
      },
      onIdentity: (user, hello, peer) => {
        // "I am" follows the team server's member (a hub's is the same person).
        if (peer.kind === 'server' || !this.identity) this.identity = user;
        this.refreshRole();
        // The team's file key: the team server's wins; a hub's only when there is none.
        if (hello.fileKey && (peer.kind === 'server' || !this.fileIdentity()))
          this.setFileIdentity({
            workspaceId: hello.workspace.id,
            workspaceName: hello.workspace.name,
            key: hello.fileKey,
          });
      },
    });
    // The engine tells its status only when it changed: kept, so telling the whole picture
    // does not count every peer's waiting entries again on each write.
    engine.onStatus((status) => {
      this.told.set(peerId, status);
      this.announce();
    });
    this.engines.set(peerId, engine);
    return engine;
  }

  /** New leads a website form posted to the server (written by the server's own node). */
  private formLeads = new Set<string>();

  private noteFormLeads(peerId: string, changes: readonly Change[]): void {
    const peer = activePeer(this.store, peerId);
    if (!peer?.server_node || !mayWriteTeamConfig(peer.role)) return;
    for (const c of changes)
      if (c.table === 'leads' && c.hlc.endsWith(peer.server_node) && 'source' in c.fields)
        this.formLeads.add(c.rowId);
  }

  /** The team's assignment rules run once for a form's lead, on the first admin or manager
   * laptop that receives it: a lead that has an owner by then (from a laptop that was
   * quicker) is left alone, and two laptops racing still end with one owner after sync (the
   * newer write wins). */
  private assignFormLeads(): void {
    if (!this.formLeads.size) return;
    const ids = [...this.formLeads];
    this.formLeads.clear();
    // A form's lead is a capture: the team's "apply the rules on capture" switch holds.
    if (!this.store.read((r) => readAssignmentConfig(r).onCapture)) return;
    const waiting = this.store.read((r) =>
      r.all(
        r.qb
          .selectFrom('leads')
          .select('id')
          .where('id', 'in', ids)
          .where('owner_id', 'is', null)
          .where('deleted_at', 'is', null),
      ),
    );
    if (!waiting.length) return;
    const waitingIds = waiting.map((w) => w.id);
    // Scored first (a first pull rescores in the background): a rule may route by grade.
    rescoreSyncedLeads(this.store, waitingIds);
    reassignLeads(this.store, waitingIds);
  }

  private refreshRole(): void {
    const roles = activePeers(this.store)
      .map((p) => p.role)
      .filter((r): r is string => r !== null);
    // The lowest (memberRoles runs from rep up): a rep on the team server stays a rep at
    // the booth hub.
    this.role = memberRoles.find((r) => roles.includes(r)) ?? (roles.length ? 'rep' : null);
  }

  // ---- status ----

  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private lastAnnounced = '';
  private revision = 0;
  /** Each peer's status as its engine last told it. */
  private readonly told = new Map<string, SyncPeerStatus>();
  private announce(): void {
    const s = this.summarise(
      activePeers(this.store).map((p) => this.told.get(p.id) ?? this.engineFor(p.id).status()),
    );
    const key = JSON.stringify({ ...s, revision: 0 });
    if (key === this.lastAnnounced) return;
    this.lastAnnounced = key;
    s.revision = ++this.revision;
    for (const l of [...this.listeners]) l(s);
  }

  status(): SyncStatus {
    return this.summarise(activePeers(this.store).map((p) => this.engineFor(p.id).status()));
  }

  /** The whole picture from each active peer's status (the team server's first). */
  private summarise(statuses: (SyncPeerStatus | null)[]): SyncStatus {
    const peers = statuses.filter((p): p is SyncPeerStatus => p !== null);
    const main = peers[0];
    if (!main)
      return {
        state: 'off',
        server: null,
        workspace: null,
        user: null,
        waiting: 0,
        received: 0,
        sent: 0,
        lastSyncedAt: null,
        problem: null,
        role: null,
        peers: [],
        revision: this.revision,
      };
    // The frame's badge shows the worst state of any peer, and its problem.
    const rank = ['synced', 'off', 'syncing', 'connecting', 'offline', 'error'];
    const worst = peers.reduce((a, b) => (rank.indexOf(b.state) > rank.indexOf(a.state) ? b : a));
    return {
      state: worst.state,
      server: main.server,
      workspace: main.workspace,
      user: main.user,
      waiting: main.waiting,
      received: peers.reduce((n, p) => n + p.received, 0),
      sent: peers.reduce((n, p) => n + p.sent, 0),
      lastSyncedAt: main.lastSyncedAt,
      problem: worst.problem ?? peers.find((p) => p.problem)?.problem ?? null,
      role: this.role,
      peers,
      revision: this.revision,
    };
  }

  // ---- joining and leaving ----

  /** Redeems an invite link (pasted, or read from a QR code): this laptop gets its own
   * token, kept in the keychain where there is one, and starts syncing. */
  async join(link: string, name?: string): Promise<SyncStatus> {
    const pairing = parseFilePairLink(link);
    if (pairing) {
      // Sync by file only: this laptop takes the team's file key; no server is contacted.
      const current = this.fileIdentity();
      if (current && current.workspaceId !== pairing.workspace && activePeers(this.store).length)
        throw new ApiError(
          'BAD_INPUT',
          `this laptop syncs with the team “${current.workspaceName}”; leave it before pairing with “${pairing.name}”`,
        );
      this.setFileIdentity({
        workspaceId: pairing.workspace,
        workspaceName: pairing.name,
        key: pairing.key,
      });
      return this.status();
    }
    const parsed = parseJoinLink(link);
    if (!parsed)
      throw new ApiError('BAD_INPUT', 'this is not a Leadbook invite link', [
        { path: 'link', message: 'not an invite link' },
      ]);
    const me = this.currentUser() ?? (name ? { name } : null);
    const client = new SyncClient(parsed.server, '', {
      timeoutMs: 10_000,
      ...(parsed.fingerprint ? { fingerprint: parsed.fingerprint } : {}),
    });
    let joined;
    try {
      joined = await client.join({
        code: parsed.code,
        nodeId: this.store.nodeId,
        label: os.hostname().slice(0, 80),
        ...(me ? { user: me } : {}),
      });
    } catch (err) {
      // The server's own words say what is wrong with the code (used, expired, mistyped).
      if (err instanceof SyncHttpError && err.code === 'UNAUTHORIZED')
        throw new ApiError('UNAUTHORIZED', err.message);
      throw syncApiError(err);
    }
    return this.attach({
      url: parsed.server,
      token: this.secrets.seal(joined.token),
      kind: parsed.fingerprint ? 'hub' : 'server',
      fingerprint: parsed.fingerprint ?? null,
      role: joined.user.role,
      deviceId: joined.device.id,
      workspace: joined.workspace,
      user: joined.user,
    });
  }

  /** Connects with a token made by `leadbook sync-server token create` (checked first: a
   * wrong one is refused and changes nothing). */
  async connect(input: SyncConnectInput): Promise<SyncStatus> {
    const client = new SyncClient(input.server, input.token, { timeoutMs: 10_000 });
    let hello;
    try {
      hello = await client.hello({ nodeId: this.store.nodeId, checkpoints: [] });
    } catch (err) {
      throw syncApiError(err);
    }
    return this.attach({
      url: input.server,
      token: this.secrets.seal(input.token),
      kind: 'server',
      role: hello.user.role,
      deviceId: hello.device.id,
      workspace: hello.workspace,
      user: hello.user,
    });
  }

  /** Attaches a peer whose token this laptop made itself (its own booth hub). */
  attachPeer(input: Omit<PeerInput, 'token'> & { token: string }): Promise<SyncStatus> {
    return this.attach({ ...input, token: this.secrets.seal(input.token) });
  }

  /** Switches a known peer back on at its current address (the booth hub restarted). */
  async resumePeer(peerId: string, url: string): Promise<boolean> {
    const known = this.store.read((r) =>
      r.first(r.qb.selectFrom('sync_peers').select('kind').where('id', '=', peerId)),
    );
    if (!known) return false;
    for (const peer of activePeers(this.store))
      if (peer.kind === known.kind) await this.stopEngine(peer.id);
    if (!resumePeer(this.store, peerId, url)) return false;
    this.refreshRole();
    const engine = this.engineFor(peerId);
    if (this.background) engine.start();
    this.announce();
    return true;
  }

  private async attach(input: PeerInput): Promise<SyncStatus> {
    // The peer of the same kind it replaces stops first.
    for (const peer of activePeers(this.store))
      if (peer.kind === input.kind) await this.stopEngine(peer.id);
    const peer = connectPeer(this.store, input);
    this.refreshRole();
    const engine = this.engineFor(peer.id);
    if (this.background) engine.start();
    this.announce();
    return this.status();
  }

  private async stopEngine(peerId: string): Promise<void> {
    const engine = this.engines.get(peerId);
    this.engines.delete(peerId);
    this.told.delete(peerId);
    await engine?.stop();
  }

  /** Stops syncing with one peer (or all); this laptop keeps all its data. */
  async disconnect(peerId?: string): Promise<SyncStatus> {
    for (const peer of activePeers(this.store)) {
      if (peerId && peer.id !== peerId) continue;
      await this.stopEngine(peer.id);
      disconnectPeer(this.store, peer.id);
    }
    this.refreshRole();
    this.announce();
    return this.status();
  }

  /** One cycle with every peer, in turn (and the first again when a later one brought
   * something in, so a booth's entries reach the team server in one "Sync now"). */
  async now(): Promise<SyncOutcome> {
    const peers = activePeers(this.store);
    if (!peers.length) throw new ApiError('BAD_INPUT', 'no sync server is configured');
    const total = emptyOutcome();
    // Every peer is tried even when one cannot be reached (the team server, from a booth):
    // the others still sync; the first failure is reported once all were tried.
    let failure: unknown = null;
    const rounds = peers.length > 1 ? 2 : 1;
    for (let round = 0; round < rounds; round++) {
      for (const peer of peers) {
        let o: SyncOutcome;
        try {
          o = await this.engineFor(peer.id).syncOnce();
        } catch (err) {
          failure ??= err;
          continue;
        }
        total.pushed += o.pushed;
        total.pushDuplicates += o.pushDuplicates;
        total.pulled += o.pulled;
        total.applied += o.applied;
        total.duplicates += o.duplicates;
        total.reset ||= o.reset;
        total.head = Math.max(total.head, o.head);
      }
    }
    if (failure) throw syncApiError(failure);
    return total;
  }

  // ---- the admin's side ----

  private peerFor(peerId: string | undefined): SyncPeer {
    const peer = peerId ? activePeer(this.store, peerId) : (activePeers(this.store)[0] ?? null);
    if (!peer) throw new ApiError('BAD_INPUT', 'this laptop is not connected to that team');
    return peer;
  }

  private adminClient(peer: SyncPeer): SyncClient {
    try {
      return new SyncClient(peer.url, this.secrets.open(peer.token), {
        timeoutMs: 10_000,
        ...(peer.fingerprint ? { fingerprint: peer.fingerprint } : {}),
      });
    } catch (err) {
      throw syncApiError(err);
    }
  }

  /** An invite for one person (admins): a link and QR code that work once, for a day. */
  async invite(input: InviteRequest & { peerId?: string | undefined }): Promise<TeamInvite> {
    const peer = this.peerFor(input.peerId);
    const { peerId: _peer, ...body } = input;
    try {
      const made = await this.adminClient(peer).invite(body);
      return {
        ...made,
        link: formatJoinLink({
          server: peer.url,
          code: made.code,
          fingerprint: peer.fingerprint ?? undefined,
        }),
      };
    } catch (err) {
      throw syncApiError(err);
    }
  }

  async devices(peerId?: string): Promise<TeamDevice[]> {
    try {
      return await this.adminClient(this.peerFor(peerId)).devices();
    } catch (err) {
      throw syncApiError(err);
    }
  }

  async revoke(deviceId: string, peerId?: string): Promise<TeamDevice[]> {
    try {
      return await this.adminClient(this.peerFor(peerId)).revoke(deviceId);
    } catch (err) {
      throw syncApiError(err);
    }
  }

  // ---- sync by file ----

  private fileIdentity(): FileIdentity | null {
    const workspaceId = this.store.getMeta(FILE_WORKSPACE);
    const key = this.store.getMeta(FILE_KEY);
    if (!workspaceId || !key) return null;
    return { workspaceId, key, workspaceName: this.store.getMeta(FILE_NAME) || workspaceId };
  }

  private setFileIdentity(id: FileIdentity): void {
    const now = this.fileIdentity();
    if (now?.workspaceId === id.workspaceId && now.key === id.key) return;
    this.store.setMeta(FILE_WORKSPACE, id.workspaceId);
    this.store.setMeta(FILE_NAME, id.workspaceName);
    this.store.setMeta(FILE_KEY, id.key);
  }

  /** This laptop's file identity, made on first use when it is in no team yet. */
  private ensureFileIdentity(): FileIdentity {
    const found = this.fileIdentity();
    if (found) return found;
    const made = {
      workspaceId: `local-${randomUUID()}`,
      workspaceName: readTeamSettings(this.store).teamName || 'Leadbook',
      key: randomBytes(32).toString('base64url'),
    };
    this.setFileIdentity(made);
    return made;
  }

  fileStatus(): FileSyncStatus {
    const identity = this.fileIdentity();
    const peers = this.store.read((r) =>
      r.all(r.qb.selectFrom('file_peers').selectAll().orderBy('last_file_at', 'desc')),
    );
    const since = peers.length ? Math.min(...peers.map((p) => p.confirmed)) : 0;
    return {
      workspace: identity?.workspaceName ?? null,
      peers: peers.map((p) => ({ name: p.name ?? p.node_id, lastFileAt: p.last_file_at })),
      pending: this.store.read(() => this.store.countWaiting(since, '')),
    };
  }

  fileExport(everything: boolean): ExportedFile {
    const identity = this.ensureFileIdentity();
    const written = writeSyncFile(this.store, identity, {
      everything,
      deviceName: os.hostname(),
    });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const safe = (s: string) => s.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 40);
    return {
      fileName: `leadbook-${safe(identity.workspaceName)}-${safe(os.hostname())}-${stamp}${SYNC_FILE_EXTENSION}`,
      mime: 'application/octet-stream',
      content: written.bytes.toString('base64'),
      rows: written.entries,
    };
  }

  fileImport(bytes: Buffer): SyncFileImport {
    const result = readSyncFile(this.store, this.fileIdentity(), bytes);
    // What came in goes on to the team server and hub.
    if (result.applied) for (const e of this.engines.values()) e.wake();
    return result;
  }

  /** A link (and QR code) that pairs another laptop for sync by file with this team. */
  filePairLink(): { link: string } {
    const id = this.ensureFileIdentity();
    return {
      link: formatFilePairLink({ workspace: id.workspaceId, name: id.workspaceName, key: id.key }),
    };
  }

  // ---- website forms (admins and managers) ----

  private formView(peer: SyncPeer, form: FormKey): FormKeyView {
    return {
      ...form,
      action: `${peer.url}/v1/forms/${form.key}`,
      snippet: formSnippet(peer.url, form.key),
    };
  }

  async forms(peerId?: string): Promise<FormKeyView[]> {
    const peer = this.peerFor(peerId);
    try {
      return (await this.adminClient(peer).forms()).map((f) => this.formView(peer, f));
    } catch (err) {
      throw syncApiError(err);
    }
  }

  async createForm(input: FormKeyInput, peerId?: string): Promise<FormKeyView> {
    const peer = this.peerFor(peerId);
    try {
      return this.formView(peer, await this.adminClient(peer).createForm(input));
    } catch (err) {
      throw syncApiError(err);
    }
  }

  async revokeForm(key: string, peerId?: string): Promise<FormKeyView[]> {
    const peer = this.peerFor(peerId);
    try {
      return (await this.adminClient(peer).revokeForm(key)).map((f) => this.formView(peer, f));
    } catch (err) {
      throw syncApiError(err);
    }
  }

  private currentUser(): { id?: string; name: string } | null {
    const id = readDevice(this.store).currentUserId;
    if (!id) return null;
    const row = this.store.read((r) =>
      r.first(r.qb.selectFrom('users').select(['id', 'name']).where('id', '=', id)),
    );
    return row?.name ? { id: row.id, name: row.name } : null;
  }

  async close(): Promise<void> {
    this.store.setLocalWriteGuard(null);
    await Promise.all([...this.engines.values()].map((e) => e.stop()));
  }
}

/** A sync failure as the app says it. */
export function syncApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof SecretUnavailableError) return new ApiError('UNAUTHORIZED', err.message);
  if (err instanceof SyncHttpError) {
    switch (err.code) {
      case 'UNAUTHORIZED':
      case 'REVOKED':
        return new ApiError('UNAUTHORIZED', `the server refused the token: ${err.message}`);
      case 'FORBIDDEN':
        return new ApiError('FORBIDDEN', err.message);
      case 'RATE_LIMITED':
        return new ApiError('BAD_INPUT', err.message);
      case 'NETWORK':
      case 'UNAVAILABLE':
      case 'CERT_MISMATCH':
        return new ApiError('UNREACHABLE', err.message);
      default:
        return new ApiError('BAD_INPUT', err.message);
    }
  }
  return new ApiError('INTERNAL', (err as Error)?.message ?? String(err));
}
