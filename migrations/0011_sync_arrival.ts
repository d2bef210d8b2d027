// Team sync (issue 17): the change log learns the order entries *arrived in this file*, and
// where each came from, and this device remembers its sync servers.
//
// - `seq` numbers entries by arrival. A laptop pushes its log in this order, never by HLC:
//   an entry received from a peer with an older HLC than the last one pushed must still be
//   forwarded. Entries already here are numbered in HLC order (the best order there is).
// - `via` names the sync peer an entry was received from (null: written here), so an entry
//   is never sent back to the server it came from.
// - `sync_peers` is local to this device (never synced): a server's address, this device's
//   token for it, and the cursors of both directions, each moved in the same transaction
//   as the entries it covers so a crash resumes exactly.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE change_log ADD COLUMN seq INTEGER`,
  `ALTER TABLE change_log ADD COLUMN via TEXT`,
  `UPDATE change_log SET seq = n.rn
     FROM (SELECT hlc, row_number() OVER (ORDER BY hlc) AS rn FROM change_log) AS n
     WHERE n.hlc = change_log.hlc`,
  `CREATE UNIQUE INDEX change_log_seq ON change_log(seq)`,
  `CREATE TABLE sync_peers (
    id TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    token TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    workspace_id TEXT,
    workspace_name TEXT,
    user_id TEXT,
    user_name TEXT,
    epoch TEXT,
    -- the last local seq pushed (or passed over: entries that came from this peer)
    push_seq INTEGER NOT NULL DEFAULT 0,
    -- where the last pushed entry stands on the server, to notice a server that lost it
    pushed_seq INTEGER,
    pushed_hlc TEXT,
    -- the server_seq pulled up to, and the HLC of the entry there
    pull_seq INTEGER NOT NULL DEFAULT 0,
    pull_hlc TEXT,
    sent INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    last_synced_at INTEGER,
    created_at INTEGER NOT NULL
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
