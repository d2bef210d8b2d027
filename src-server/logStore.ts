// The workspace log: append-only, numbered by server_seq, idempotent by HLC. Every fact
// lives in the database (no process keeps anything that matters in memory), so several
// server processes can share one PostgreSQL behind a load balancer.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  HLC_PATTERN,
  INVITE_TTL_MS,
  isTeamConfigWrite,
  mayWriteTeamConfig,
  memberRoles,
  SEED_NODE_ID,
  SYNC_PROTOCOL_VERSION,
  syncLimits,
  type Checkpoint,
  type HelloResponse,
  type InviteRequest,
  type InviteResponse,
  type JoinRequest,
  type JoinResponse,
  type FormKey,
  type FormKeyInput,
  type MemberRole,
  type TeamDevice,
  type PullResponse,
  type PushResponse,
  type ServerEntry,
  type SyncEntry,
  type SyncValue,
} from '../src-main/contract/index.js';
import type { Dialect } from './database.js';
import type { ServerDb } from './schema.js';
import {
  hashToken,
  looksLikeToken,
  newEpoch,
  newFileKey,
  newFormKey,
  newInviteCode,
  newServerNodeId,
  newToken,
} from './tokens.js';

export { memberRoles, type MemberRole };

export const NOTIFY_CHANNEL = 'leadbook_entries';
export const DEFAULT_WORKSPACE_ID = 'team';

export class SyncRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code:
      | 'BAD_REQUEST'
      | 'UNAUTHORIZED'
      | 'REVOKED'
      | 'FORBIDDEN'
      | 'CLOCK_AHEAD'
      | 'CURSOR_RESET'
      | 'RATE_LIMITED',
    message: string,
    readonly extra: { index?: number; minutesAhead?: number } = {},
  ) {
    super(message);
    this.name = 'SyncRefusal';
  }
}

export interface AuthedDevice {
  deviceId: string;
  workspaceId: string;
  memberId: string;
  memberName: string;
  role: string;
}

export type DeviceInfo = TeamDevice;

/** An entry the server writes itself (a team member made by an invite, a form's lead). */
export interface ServerWrite {
  table: string;
  rowId: string;
  fields: Record<string, SyncValue>;
}

type Db = Kysely<ServerDb> | Transaction<ServerDb>;
interface WorkspaceRow {
  id: string;
  name: string;
  epoch: string;
  head: number;
  node_id: string | null;
  clock: string | null;
  file_key: string | null;
}

export class LogStore {
  constructor(
    private readonly db: Kysely<ServerDb>,
    private readonly dialect: Dialect,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- workspace, members and tokens (the admin side) ----

  /** The workspace of this server, made on first use (part 2 adds more than one). */
  async ensureWorkspace(name = 'Leadbook'): Promise<{ id: string; name: string; epoch: string }> {
    const found = await this.db
      .selectFrom('workspaces')
      .select(['id', 'name', 'epoch'])
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    if (found) return found;
    // A fixed id for the first workspace: two processes starting at once on one PostgreSQL
    // insert the same key, and the loser re-reads the winner's row (and its epoch). The
    // epoch, random per log, is what tells laptops the log was replaced.
    const row = {
      id: DEFAULT_WORKSPACE_ID,
      name,
      epoch: newEpoch(),
      head: 0,
      created_at: this.now(),
      node_id: newServerNodeId(),
      clock: null,
      file_key: newFileKey(),
    };
    await this.db
      .insertInto('workspaces')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
    const again = await this.db
      .selectFrom('workspaces')
      .select(['id', 'name', 'epoch'])
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    return again;
  }

  /** A one-time admin code when the workspace has no admin yet (its first start, or an
   * earlier code expired unused): printed by the server, redeemed in the app. */
  async adminCodeIfNeeded(): Promise<string | null> {
    const ws = await this.ensureWorkspace();
    const admin = await this.db
      .selectFrom('members')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('role', '=', 'admin')
      .limit(1)
      .executeTakeFirst();
    if (admin) return null;
    return (await this.storeInvite(ws.id, null, { name: null, role: 'admin' })).code;
  }

  /** An invite an admin (or the server's operator, from its command line) makes for one
   * person: single use, for a day. */
  async createInvite(by: AuthedDevice | 'operator', input: InviteRequest): Promise<InviteResponse> {
    if (by !== 'operator' && by.role !== 'admin')
      throw new SyncRefusal(403, 'FORBIDDEN', 'only an admin can invite people');
    const workspaceId = by === 'operator' ? (await this.ensureWorkspace()).id : by.workspaceId;
    const createdBy = by === 'operator' ? null : by.memberId;
    const { code, expiresAt } = await this.storeInvite(workspaceId, createdBy, {
      name: input.name,
      role: input.role,
      memberId: input.userId,
    });
    return { code, expiresAt, name: input.name, role: input.role };
  }

  private async storeInvite(
    workspaceId: string,
    createdBy: string | null,
    input: { name: string | null; role: MemberRole; memberId?: string | undefined },
  ): Promise<{ code: string; expiresAt: number }> {
    const code = newInviteCode();
    const now = this.now();
    const expiresAt = now + INVITE_TTL_MS;
    await this.db
      .insertInto('invites')
      .values({
        id: randomUUID(),
        workspace_id: workspaceId,
        code_hash: hashToken(code),
        name: input.name,
        role: input.role,
        member_id: input.memberId ?? null,
        created_by: createdBy,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        device_id: null,
      })
      .execute();
    return { code, expiresAt };
  }

  /** Redeems an invite: the code is used up, the person becomes a member (a team member on
   * every laptop, written into the log by the server), and this laptop gets its own token. */
  async join(input: JoinRequest): Promise<JoinResponse> {
    const now = this.now();
    const hash = hashToken(input.code.trim());
    const refused = () =>
      new SyncRefusal(
        401,
        'UNAUTHORIZED',
        'this invite code is not valid: it was used already, expired (after 24 hours) or mistyped; ask for a new one',
      );
    return this.db.transaction().execute(async (trx) => {
      const invite = await trx
        .selectFrom('invites')
        .selectAll()
        .where('code_hash', '=', hash)
        .executeTakeFirst();
      if (!invite || invite.used_at !== null || invite.expires_at <= now) throw refused();
      const ws = await this.workspace(trx, invite.workspace_id, true);
      // Single use even when two laptops race with one code: only one update succeeds.
      const used = await trx
        .updateTable('invites')
        .set({ used_at: now })
        .where('id', '=', invite.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw refused();
      const role = invite.role as MemberRole;
      // An admin code names nobody: the person using the joining laptop (its team member,
      // or the name typed when joining) becomes the admin.
      const wantedId = invite.member_id ?? (invite.name === null ? input.user?.id : undefined);
      let member = await trx
        .selectFrom('members')
        .select(['id', 'name', 'role'])
        .where('workspace_id', '=', ws.id)
        .where((eb) =>
          wantedId
            ? eb('id', '=', wantedId)
            : eb('name', '=', invite.name ?? input.user?.name ?? 'Admin'),
        )
        .executeTakeFirst();
      let writeUser = false;
      if (!member) {
        member = {
          id: wantedId ?? randomUUID(),
          name: invite.name ?? input.user?.name ?? 'Admin',
          role,
        };
        await trx
          .insertInto('members')
          .values({ ...member, workspace_id: ws.id, created_at: now })
          .execute();
        writeUser = true;
      } else if (member.role !== role) {
        await trx.updateTable('members').set({ role }).where('id', '=', member.id).execute();
        member = { ...member, role };
        writeUser = true;
      }
      const { token, deviceId } = await this.insertDevice(trx, ws.id, member.id, {
        label: input.label ?? null,
        nodeId: input.nodeId,
      });
      await trx
        .updateTable('invites')
        .set({ device_id: deviceId })
        .where('id', '=', invite.id)
        .execute();
      if (writeUser)
        await this.appendEntries(
          trx,
          ws,
          [this.userWrite(member.id, member.name, role, now, wantedId !== undefined)],
          invite.created_by,
          'server',
        );
      return {
        token,
        workspace: { id: ws.id, name: ws.name },
        user: { id: member.id, name: member.name, role },
        device: { id: deviceId },
      };
    });
  }

  /** A device of a member with a fresh token (returned once; only its hash is kept). */
  private async insertDevice(
    trx: Transaction<ServerDb>,
    workspaceId: string,
    memberId: string,
    device: { label: string | null; nodeId: string | null },
  ): Promise<{ token: string; deviceId: string }> {
    const token = newToken();
    const deviceId = randomUUID();
    const now = this.now();
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        workspace_id: workspaceId,
        member_id: memberId,
        token_hash: hashToken(token),
        label: device.label,
        node_id: device.nodeId,
        app_version: null,
        created_at: now,
        // Joining is being seen; a token made on the command line is not yet.
        last_seen_at: device.nodeId ? now : null,
        revoked_at: null,
        waiting: null,
      })
      .execute();
    return { token, deviceId };
  }

  /** The team member a laptop shows for a server member. A person the laptops already know
   * (an invite for an existing team member) keeps when they were added. */
  private userWrite(
    id: string,
    name: string,
    role: string,
    now: number,
    known = false,
  ): ServerWrite {
    return {
      table: 'users',
      rowId: id,
      fields: {
        name,
        role,
        active: 1,
        ...(known ? {} : { created_at: now }),
        updated_at: now,
        deleted_at: null,
      },
    };
  }

  /** Writes entries of the server's own under the workspace lock, stamped by its clock. */
  async writeEntries(
    workspaceId: string,
    writes: ServerWrite[],
    author: string | null,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ws = await this.workspace(trx, workspaceId, true);
      return this.appendEntries(trx, ws, writes, author, 'server');
    });
  }

  private async appendEntries(
    trx: Transaction<ServerDb>,
    ws: WorkspaceRow,
    writes: ServerWrite[],
    author: string | null,
    deviceId: string,
  ): Promise<number> {
    let node = ws.node_id;
    if (!node) {
      node = newServerNodeId();
      await trx.updateTable('workspaces').set({ node_id: node }).where('id', '=', ws.id).execute();
    }
    const now = this.now();
    let [millis, counter] = ws.clock
      ? (() => {
          const m = HLC_PATTERN.exec(ws.clock)!;
          return [Number(m[1]), parseInt(m[2]!, 16)];
        })()
      : [0, 0];
    let head = ws.head;
    const rows: EntryRow[] = [];
    let hlc = '';
    for (const w of writes) {
      if (now > millis) {
        millis = now;
        counter = 0;
      } else if (++counter > 0xffff) {
        millis++;
        counter = 0;
      }
      hlc = `${String(millis).padStart(15, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
      rows.push({
        workspace_id: ws.id,
        seq: ++head,
        hlc,
        tbl: w.table,
        row_id: w.rowId,
        fields: JSON.stringify(w.fields),
        author,
        device_id: deviceId,
        received_at: now,
      });
    }
    if (!rows.length) return ws.head;
    await trx.insertInto('entries').values(rows).execute();
    await trx.updateTable('workspaces').set({ head, clock: hlc }).where('id', '=', ws.id).execute();
    ws.head = head;
    ws.clock = hlc;
    if (this.dialect === 'postgres')
      await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${`${ws.id}:${head}`})`.execute(trx);
    return head;
  }

  /** A token for a device of the member called `user` (made when new). Shown once. */
  async createToken(input: {
    user: string;
    role?: MemberRole;
    label?: string;
    memberId?: string;
  }): Promise<{ token: string; deviceId: string; memberId: string; workspaceId: string }> {
    const ws = await this.ensureWorkspace();
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      // The workspace row is locked first, before any insert that refers to it: taken
      // after (on top of the key-share lock such an insert holds), two of these at once
      // would deadlock on PostgreSQL.
      const locked = await this.workspace(trx, ws.id, true);
      let member = await trx
        .selectFrom('members')
        .select(['id'])
        .where('workspace_id', '=', ws.id)
        .where((eb) =>
          input.memberId ? eb('id', '=', input.memberId) : eb('name', '=', input.user),
        )
        .executeTakeFirst();
      let writeUser = false;
      if (!member) {
        member = { id: input.memberId ?? randomUUID() };
        await trx
          .insertInto('members')
          .values({
            id: member.id,
            workspace_id: ws.id,
            name: input.user,
            role: input.role ?? 'rep',
            created_at: now,
          })
          .execute();
        writeUser = true;
      } else if (input.role) {
        await trx
          .updateTable('members')
          .set({ role: input.role })
          .where('id', '=', member.id)
          .execute();
        writeUser = true;
      }
      if (writeUser) {
        const m = await trx
          .selectFrom('members')
          .select(['name', 'role'])
          .where('id', '=', member.id)
          .executeTakeFirstOrThrow();
        await this.appendEntries(
          trx,
          locked,
          [this.userWrite(member.id, m.name, m.role, now)],
          null,
          'server',
        );
      }
      const { token, deviceId } = await this.insertDevice(trx, ws.id, member.id, {
        label: input.label ?? null,
        nodeId: null,
      });
      return { token, deviceId, memberId: member.id, workspaceId: ws.id };
    });
  }

  /** Stops a device's token at once (every request reads the device row). */
  async revokeDevice(deviceId: string, workspaceId?: string): Promise<boolean> {
    let q = this.db
      .updateTable('devices')
      .set({ revoked_at: this.now() })
      .where('id', '=', deviceId)
      .where('revoked_at', 'is', null);
    if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async listDevices(workspaceId?: string): Promise<DeviceInfo[]> {
    let q = this.db
      .selectFrom('devices as d')
      .innerJoin('members as m', 'm.id', 'd.member_id')
      .select([
        'd.id',
        'm.id as member_id',
        'm.name as member',
        'm.role',
        'd.label',
        'd.app_version',
        'd.created_at',
        'd.last_seen_at',
        'd.waiting',
        'd.revoked_at',
      ])
      .orderBy('d.created_at');
    if (workspaceId) q = q.where('d.workspace_id', '=', workspaceId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      member: r.member,
      role: r.role,
      label: r.label,
      appVersion: r.app_version,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      waiting: r.waiting,
      revokedAt: r.revoked_at,
    }));
  }

  /** The device a bearer token belongs to, or a refusal. */
  async authenticate(token: string | undefined): Promise<AuthedDevice> {
    if (!token) throw new SyncRefusal(401, 'UNAUTHORIZED', 'a device token is required');
    if (!looksLikeToken(token))
      throw new SyncRefusal(401, 'UNAUTHORIZED', 'this token is not valid');
    const row = await this.db
      .selectFrom('devices as d')
      .innerJoin('members as m', 'm.id', 'd.member_id')
      .select(['d.id', 'd.workspace_id', 'd.revoked_at', 'm.id as member_id', 'm.name', 'm.role'])
      .where('d.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) throw new SyncRefusal(401, 'UNAUTHORIZED', 'this token is not valid');
    if (row.revoked_at !== null)
      throw new SyncRefusal(
        401,
        'REVOKED',
        'an admin removed this laptop from the team; its own data stays on it',
      );
    return {
      deviceId: row.id,
      workspaceId: row.workspace_id,
      memberId: row.member_id,
      memberName: row.name,
      role: row.role,
    };
  }

  // ---- website forms ----

  private formKeyOf(r: ServerDb['form_keys']): FormKey {
    return {
      key: r.id,
      name: r.name,
      source: r.source,
      campaignId: r.campaign_id,
      redirectUrl: r.redirect_url,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      received: r.received,
    };
  }

  private assertConfigures(by: AuthedDevice): void {
    if (!mayWriteTeamConfig(by.role))
      throw new SyncRefusal(403, 'FORBIDDEN', 'only admins and managers manage website forms');
  }

  async createFormKey(by: AuthedDevice, input: FormKeyInput): Promise<FormKey> {
    this.assertConfigures(by);
    const row = {
      id: newFormKey(),
      workspace_id: by.workspaceId,
      name: input.name,
      source: input.source ?? 'web_form',
      campaign_id: input.campaignId ?? null,
      redirect_url: input.redirectUrl ?? null,
      created_by: by.memberId,
      created_at: this.now(),
      revoked_at: null,
      received: 0,
    };
    await this.db.insertInto('form_keys').values(row).execute();
    return this.formKeyOf(row);
  }

  async listFormKeys(by: AuthedDevice): Promise<FormKey[]> {
    this.assertConfigures(by);
    const rows = await this.db
      .selectFrom('form_keys')
      .selectAll()
      .where('workspace_id', '=', by.workspaceId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => this.formKeyOf(r));
  }

  async revokeFormKey(by: AuthedDevice, key: string): Promise<FormKey[]> {
    this.assertConfigures(by);
    await this.db
      .updateTable('form_keys')
      .set({ revoked_at: this.now() })
      .where('id', '=', key)
      .where('workspace_id', '=', by.workspaceId)
      .where('revoked_at', 'is', null)
      .execute();
    return this.listFormKeys(by);
  }

  /** A live form key, or null (unknown or revoked: the form answers 404). */
  async formKey(key: string): Promise<(FormKey & { workspaceId: string }) | null> {
    const row = await this.db
      .selectFrom('form_keys')
      .selectAll()
      .where('id', '=', key)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { ...this.formKeyOf(row), workspaceId: row.workspace_id } : null;
  }

  /** A submission becomes a new lead in the log (it reaches every laptop on its next sync),
   * and the form's count moves — one transaction. */
  async writeFormLead(
    form: { key: string; workspaceId: string },
    fields: Record<string, SyncValue>,
  ): Promise<{ leadId: string; head: number }> {
    const leadId = randomUUID();
    return this.db.transaction().execute(async (trx) => {
      const ws = await this.workspace(trx, form.workspaceId, true);
      const head = await this.appendEntries(
        trx,
        ws,
        [{ table: 'leads', rowId: leadId, fields }],
        null,
        'server',
      );
      await trx
        .updateTable('form_keys')
        .set((eb) => ({ received: eb('received', '+', 1) }))
        .where('id', '=', form.key)
        .execute();
      return { leadId, head };
    });
  }

  // ---- the protocol ----

  async hello(
    device: AuthedDevice,
    input: {
      nodeId: string;
      checkpoints: Checkpoint[];
      appVersion: string | null;
      waiting?: number | undefined;
    },
    serverVersion: string,
  ): Promise<HelloResponse> {
    const ws = await this.workspace(this.db, device.workspaceId);
    // A node id belongs to the first device that says so: entries carrying it are that
    // device's user's, even when another laptop relays them.
    await this.db
      .updateTable('devices')
      .set({
        node_id: input.nodeId,
        app_version: input.appVersion,
        last_seen_at: this.now(),
        ...(input.waiting !== undefined ? { waiting: input.waiting } : {}),
      })
      .where('id', '=', device.deviceId)
      .execute();
    let fileKey = ws.file_key;
    if (!fileKey) {
      // A workspace made before file keys existed gets one; the first writer wins.
      await this.db
        .updateTable('workspaces')
        .set({ file_key: newFileKey() })
        .where('id', '=', ws.id)
        .where('file_key', 'is', null)
        .execute();
      fileKey = (await this.workspace(this.db, ws.id)).file_key;
    }
    let valid = true;
    for (const cp of input.checkpoints) {
      if (!(await this.checkpointHolds(this.db, device.workspaceId, ws.head, cp))) valid = false;
    }
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      serverVersion,
      workspace: { id: ws.id, name: ws.name },
      epoch: ws.epoch,
      head: ws.head,
      user: { id: device.memberId, name: device.memberName, role: device.role },
      device: { id: device.deviceId },
      time: this.now(),
      checkpointsValid: valid,
      fileKey,
      serverNode: ws.node_id,
    };
  }

  /** Appends the entries the server does not have yet, in the order given, under the
   * workspace's lock. A retried batch adds nothing. Refuses the whole batch when one entry
   * is from a clock far ahead. */
  async push(
    device: AuthedDevice,
    entries: SyncEntry[],
  ): Promise<PushResponse & { newHead: number | null }> {
    const now = this.now();
    entries.forEach((e, index) => {
      const millis = Number(HLC_PATTERN.exec(e.hlc)![1]);
      const ahead = millis - now;
      if (ahead > syncLimits.maxClockAheadMs) {
        const minutes = Math.round(ahead / 60_000);
        throw new SyncRefusal(
          409,
          'CLOCK_AHEAD',
          `entry ${index} is stamped ${minutes} minutes ahead of the server's clock: check this computer's date and time`,
          { index, minutesAhead: minutes },
        );
      }
    });
    const { authors, vouched } = await this.authorsFor(device, entries);
    // Roles matter only for team settings (rare in a push: read only then).
    const roles = entries.some((e) => isTeamConfigWrite(e.table, Object.keys(e.fields)))
      ? await this.rolesOf(device.workspaceId, [...authors.values(), device.memberId])
      : new Map<string, string>();
    return this.db.transaction().execute(async (trx) => {
      const ws = await this.workspace(trx, device.workspaceId, true);
      const known = new Map<string, number>();
      const hlcs = [...new Set(entries.map((e) => e.hlc))];
      for (let i = 0; i < hlcs.length; i += 500) {
        const rows = await trx
          .selectFrom('entries')
          .select(['hlc', 'seq'])
          .where('workspace_id', '=', ws.id)
          .where('hlc', 'in', hlcs.slice(i, i + 500))
          .execute();
        for (const r of rows) known.set(r.hlc, r.seq);
      }
      let head = ws.head;
      const fresh: EntryRow[] = [];
      let duplicates = 0;
      for (const [index, e] of entries.entries()) {
        if (known.has(e.hlc)) {
          duplicates++;
          continue;
        }
        const author = authors.get(e.hlc) ?? null;
        // A relayed entry from a node nobody here registered has the pusher's rights.
        const writer = vouched.has(e.hlc) ? device.memberId : author;
        if (
          writer !== null &&
          !mayWriteTeamConfig(roles.get(writer)) &&
          isTeamConfigWrite(e.table, Object.keys(e.fields))
        )
          throw new SyncRefusal(
            403,
            'FORBIDDEN',
            `entry ${index} changes team settings (${e.table}), which only admins and managers may change; ${roles.get(writer) === undefined ? 'its writer is not a member' : `its writer is a ${roles.get(writer)}`}`,
            { index },
          );
        head++;
        known.set(e.hlc, head);
        fresh.push({
          workspace_id: ws.id,
          seq: head,
          hlc: e.hlc,
          tbl: e.table,
          row_id: e.rowId,
          fields: JSON.stringify(e.fields),
          author: authors.get(e.hlc) ?? null,
          device_id: device.deviceId,
          received_at: now,
        });
      }
      for (let i = 0; i < fresh.length; i += 500) {
        await trx
          .insertInto('entries')
          .values(fresh.slice(i, i + 500))
          .execute();
      }
      if (fresh.length) {
        await trx.updateTable('workspaces').set({ head }).where('id', '=', ws.id).execute();
        if (this.dialect === 'postgres')
          await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${`${ws.id}:${head}`})`.execute(trx);
      }
      const lastHlc = entries[entries.length - 1]!.hlc;
      return {
        epoch: ws.epoch,
        accepted: fresh.length,
        duplicates,
        head,
        last: { seq: known.get(lastHlc)!, hlc: lastHlc },
        newHead: fresh.length ? head : null,
      };
    });
  }

  /** Entries after the cursor, by server_seq. A cursor the server cannot vouch for (past
   * its end, or at a position holding another entry) is refused with CURSOR_RESET. */
  async pull(
    device: AuthedDevice,
    query: { after: number; afterHlc?: string | undefined; limit: number },
  ): Promise<PullResponse> {
    const ws = await this.workspace(this.db, device.workspaceId);
    if (query.after > 0) {
      const holds =
        query.afterHlc !== undefined &&
        (await this.checkpointHolds(this.db, ws.id, ws.head, {
          seq: query.after,
          hlc: query.afterHlc,
        }));
      if (!holds)
        throw new SyncRefusal(
          409,
          'CURSOR_RESET',
          'the server no longer has the entries this laptop last saw (it was restored from an older backup or replaced): start over',
        );
    }
    const rows = await this.db
      .selectFrom('entries')
      .select(['seq', 'hlc', 'tbl', 'row_id', 'fields', 'author'])
      .where('workspace_id', '=', ws.id)
      .where('seq', '>', query.after)
      .orderBy('seq')
      .limit(query.limit + 1)
      .execute();
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const labels = await this.deviceLabels(
      ws.id,
      page.map((r) => r.hlc.slice(-16)),
    );
    const entries: ServerEntry[] = page.map((r) => ({
      seq: r.seq,
      hlc: r.hlc,
      table: r.tbl,
      rowId: r.row_id,
      fields: JSON.parse(r.fields) as Record<string, SyncValue>,
      author: r.author,
      device: labels.get(r.hlc.slice(-16)) ?? null,
    }));
    const last = entries[entries.length - 1];
    return {
      epoch: ws.epoch,
      entries,
      next: last ? last.seq : query.after,
      nextHlc: last ? last.hlc : (query.afterHlc ?? null),
      more,
      head: ws.head,
    };
  }

  async head(workspaceId: string): Promise<number> {
    return (await this.workspace(this.db, workspaceId)).head;
  }

  /** For readiness: the database answers. */
  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  // ---- helpers ----

  /** Laptop names by workspace and node, kept a minute: they are shown beside a conflict
   * and nothing depends on them, so a pull need not read them every time. */
  private readonly labelCache = new Map<string, { label: string | null; at: number }>();

  /** The names of the laptops behind these HLC node ids (shown beside a conflict). */
  private async deviceLabels(workspaceId: string, nodes: string[]): Promise<Map<string, string>> {
    const now = Date.now();
    const labels = new Map<string, string>();
    const wanted: string[] = [];
    for (const n of new Set(nodes)) {
      if (n === SEED_NODE_ID) continue;
      const hit = this.labelCache.get(`${workspaceId}:${n}`);
      if (hit && now - hit.at < 60_000) {
        if (hit.label) labels.set(n, hit.label);
      } else wanted.push(n);
    }
    for (let i = 0; i < wanted.length; i += 500) {
      const part = wanted.slice(i, i + 500);
      const rows = await this.db
        .selectFrom('devices')
        .select(['node_id', 'label'])
        .where('workspace_id', '=', workspaceId)
        .where('node_id', 'in', part)
        .execute();
      const found = new Map(rows.map((r) => [r.node_id, r.label]));
      for (const n of part) {
        const label = found.get(n) ?? null;
        this.labelCache.set(`${workspaceId}:${n}`, { label, at: now });
        if (label) labels.set(n, label);
      }
    }
    if (this.labelCache.size > 10_000) this.labelCache.clear();
    return labels;
  }

  private async rolesOf(
    workspaceId: string,
    memberIds: Iterable<string | null>,
  ): Promise<Map<string, string>> {
    const ids = [...new Set([...memberIds].filter((m): m is string => m !== null))];
    const roles = new Map<string, string>();
    if (!ids.length) return roles;
    const rows = await this.db
      .selectFrom('members')
      .select(['id', 'role'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) roles.set(r.id, r.role);
    return roles;
  }

  private async workspace(db: Db, id: string, lock = false): Promise<WorkspaceRow> {
    let q = db
      .selectFrom('workspaces')
      .select(['id', 'name', 'epoch', 'head', 'node_id', 'clock', 'file_key'])
      .where('id', '=', id);
    // The row lock serialises pushes to one workspace across server processes: seqs are
    // handed out and committed in order, so a pull never passes over one still in flight.
    if (lock && this.dialect === 'postgres') q = q.forUpdate();
    const ws = await q.executeTakeFirst();
    if (!ws) throw new SyncRefusal(401, 'UNAUTHORIZED', 'this device’s workspace is gone');
    return ws;
  }

  private async checkpointHolds(
    db: Kysely<ServerDb>,
    workspaceId: string,
    head: number,
    cp: Checkpoint,
  ): Promise<boolean> {
    if (cp.seq > head) return false;
    const row = await db
      .selectFrom('entries')
      .select('hlc')
      .where('workspace_id', '=', workspaceId)
      .where('seq', '=', cp.seq)
      .executeTakeFirst();
    return row?.hlc === cp.hlc;
  }

  /** The author of each entry is the user of the device whose clock stamped it — the
   * pushing device, or the device that registered that node id (a relayed entry). An entry
   * from a node this server has never met (captured at a booth hub, relayed by the hub's
   * laptop) keeps the author it claims when that is a member here; otherwise the pusher is
   * its author. Built-in rows have none. `vouched` marks the entries whose author came from
   * a claim: their rights are the pusher's, never more. */
  private async authorsFor(
    device: AuthedDevice,
    entries: SyncEntry[],
  ): Promise<{ authors: Map<string, string | null>; vouched: Set<string> }> {
    const nodes = [...new Set(entries.map((e) => e.hlc.slice(-16)))].filter(
      (n) => n !== SEED_NODE_ID,
    );
    const owners = new Map<string, string>();
    if (nodes.length) {
      const rows = await this.db
        .selectFrom('devices')
        .select(['node_id', 'member_id'])
        .where('workspace_id', '=', device.workspaceId)
        .where('node_id', 'in', nodes)
        .orderBy('created_at')
        .execute();
      for (const r of rows)
        if (r.node_id && !owners.has(r.node_id)) owners.set(r.node_id, r.member_id);
    }
    const claimed = [
      ...new Set(
        entries
          .filter((e) => !owners.has(e.hlc.slice(-16)) && typeof e.author === 'string')
          .map((e) => e.author as string),
      ),
    ];
    const members = new Set<string>();
    if (claimed.length) {
      const rows = await this.db
        .selectFrom('members')
        .select('id')
        .where('workspace_id', '=', device.workspaceId)
        .where('id', 'in', claimed)
        .execute();
      for (const r of rows) members.add(r.id);
    }
    const authors = new Map<string, string | null>();
    const vouched = new Set<string>();
    for (const e of entries) {
      const node = e.hlc.slice(-16);
      if (node === SEED_NODE_ID) authors.set(e.hlc, null);
      else if (owners.has(node)) authors.set(e.hlc, owners.get(node)!);
      else {
        vouched.add(e.hlc);
        authors.set(
          e.hlc,
          typeof e.author === 'string' && members.has(e.author) ? e.author : device.memberId,
        );
      }
    }
    return { authors, vouched };
  }
}

type EntryRow = ServerDb['entries'];
