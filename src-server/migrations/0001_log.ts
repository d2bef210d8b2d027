// The sync server's schema, one migration list for SQLite and PostgreSQL (kysely's schema
// builder speaks both). Forward-only, like the laptop's: a landed migration is never edited.
//
// The log is the only thing that matters: entries are never changed or deleted, and a
// workspace's `head` is the newest server_seq, moved in the same transaction as the
// entries it numbers (under a row lock on PostgreSQL, so several server processes hand
// out seqs without gaps or reordering).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('epoch', 'text', (c) => c.notNull())
    .addColumn('head', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    // SHA-256 of the token: tokens are 256 random bits, so a fast hash is enough, and a
    // stolen copy of this table gives no working token.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('node_id', 'text')
    .addColumn('app_version', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('devices_node')
    .on('devices')
    .columns(['workspace_id', 'node_id'])
    .execute();
  await db.schema
    .createTable('entries')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('entries_pk', ['workspace_id', 'seq'])
    .addUniqueConstraint('entries_hlc', ['workspace_id', 'hlc'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Leadbook server migrations are forward-only; restore a backup instead.');
}
