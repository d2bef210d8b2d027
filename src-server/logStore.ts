// The workspace log: append-only, numbered by server_seq, idempotent by HLC. Every fact
// lives in the database (no process keeps anything that matters in memory), so several
// server processes can share one PostgreSQL behind a load balancer.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  HLC_PATTERN,
  SEED_NODE_ID,
  SYNC_PROTOCOL_VERSION,
  syncLimits,
  type Checkpoint,
  type HelloResponse,
  type PullResponse,
  type PushResponse,
  type ServerEntry,
  type SyncEntry,
  type SyncValue,
} from '../src-main/contract/index.js';
import type { Dialect } from './database.js';
import type { ServerDb } from './schema.js';
import { hashToken, looksLikeToken, newEpoch, newToken } from './tokens.js';

export const memberRoles = ['admin', 'manager', 'rep'] as const;
export type MemberRole = (typeof memberRoles)[number];

export const NOTIFY_CHANNEL = 'leadbook_entries';
export const DEFAULT_WORKSPACE_ID = 'team';

export class SyncRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code:
      | 'BAD_REQUEST'
      | 'UNAUTHORIZED'
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

export interface DeviceInfo {
  id: string;
  member: string;
  role: string;
  label: string | null;
  appVersion: string | null;
  createdAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
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
      let member = await trx
        .selectFrom('members')
        .select(['id'])
        .where('workspace_id', '=', ws.id)
        .where((eb) =>
          input.memberId ? eb('id', '=', input.memberId) : eb('name', '=', input.user),
        )
        .executeTakeFirst();
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
      } else if (input.role) {
        await trx
          .updateTable('members')
          .set({ role: input.role })
          .where('id', '=', member.id)
          .execute();
      }
      const token = newToken();
      const deviceId = randomUUID();
      await trx
        .insertInto('devices')
        .values({
          id: deviceId,
          workspace_id: ws.id,
          member_id: member.id,
          token_hash: hashToken(token),
          label: input.label ?? null,
          node_id: null,
          app_version: null,
          created_at: now,
          last_seen_at: null,
          revoked_at: null,
        })
        .execute();
      return { token, deviceId, memberId: member.id, workspaceId: ws.id };
    });
  }

  /** Stops a device's token at once (every request reads the device row). */
  async revokeDevice(deviceId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('devices')
      .set({ revoked_at: this.now() })
      .where('id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async listDevices(): Promise<DeviceInfo[]> {
    const rows = await this.db
      .selectFrom('devices as d')
      .innerJoin('members as m', 'm.id', 'd.member_id')
      .select([
        'd.id',
        'm.name as member',
        'm.role',
        'd.label',
        'd.app_version',
        'd.created_at',
        'd.last_seen_at',
        'd.revoked_at',
      ])
      .orderBy('d.created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      member: r.member,
      role: r.role,
      label: r.label,
      appVersion: r.app_version,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
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
      throw new SyncRefusal(401, 'UNAUTHORIZED', 'this device was removed from the team');
    return {
      deviceId: row.id,
      workspaceId: row.workspace_id,
      memberId: row.member_id,
      memberName: row.name,
      role: row.role,
    };
  }

  // ---- the protocol ----

  async hello(
    device: AuthedDevice,
    input: { nodeId: string; checkpoints: Checkpoint[]; appVersion: string | null },
    serverVersion: string,
  ): Promise<HelloResponse> {
    const ws = await this.workspace(this.db, device.workspaceId);
    // A node id belongs to the first device that says so: entries carrying it are that
    // device's user's, even when another laptop relays them.
    await this.db
      .updateTable('devices')
      .set({ node_id: input.nodeId, app_version: input.appVersion, last_seen_at: this.now() })
      .where('id', '=', device.deviceId)
      .execute();
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
    const authors = await this.authorsFor(device, entries);
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
      for (const e of entries) {
        if (known.has(e.hlc)) {
          duplicates++;
          continue;
        }
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
    const entries: ServerEntry[] = page.map((r) => ({
      seq: r.seq,
      hlc: r.hlc,
      table: r.tbl,
      rowId: r.row_id,
      fields: JSON.parse(r.fields) as Record<string, SyncValue>,
      author: r.author,
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

  private async workspace(
    db: Kysely<ServerDb> | Transaction<ServerDb>,
    id: string,
    lock = false,
  ): Promise<{ id: string; name: string; epoch: string; head: number }> {
    let q = db
      .selectFrom('workspaces')
      .select(['id', 'name', 'epoch', 'head'])
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
   * pushing device, or the device that registered that node id (a relayed entry) — never
   * what the laptop claims. Built-in rows have none. */
  private async authorsFor(
    device: AuthedDevice,
    entries: SyncEntry[],
  ): Promise<Map<string, string | null>> {
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
    const authors = new Map<string, string | null>();
    for (const e of entries) {
      const node = e.hlc.slice(-16);
      authors.set(e.hlc, node === SEED_NODE_ID ? null : (owners.get(node) ?? device.memberId));
    }
    return authors;
  }
}

type EntryRow = ServerDb['entries'];
