// Pairing, roles and web forms.
// - `invites`: one-time codes (stored as SHA-256 hashes), each naming the person and role it
//   makes; used once, expiring after a day. The first start of a server makes an admin one.
// - `workspaces.node_id` / `clock`: the server writes a few entries itself (the team member
//   a redeemed invite makes, a lead from a web form), stamped by its own HLC node so they
//   merge like any laptop's.
// - `workspaces.file_key`: the key that signs `.leadbook-sync` files between its members'
//   laptops (sync by file, with no network), handed to members in hello.
// - `devices.waiting`: what the laptop said was waiting to go up (the admin's device list).
// - `form_keys`: the public keys of website forms and the source/event their leads get.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('node_id', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('clock', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('file_key', 'text').execute();
  await db.schema.alterTable('devices').addColumn('waiting', 'bigint').execute();
  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('device_id', 'text')
    .execute();
  await db.schema
    .createTable('form_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('redirect_url', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('received', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Leadbook server migrations are forward-only; restore a backup instead.');
}
