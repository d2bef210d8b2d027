// Team sync, part 2 (all local to this device, never synced):
// - `sync_peers` learns its kind (the team server or a booth hub), the hub certificate's
//   pinned fingerprint, this device's role there and its device id (the admin's list).
//   Several peers may be active at once: one team server and one hub.
// - `sync_refused`: entries a peer refused (team settings written here by a rep). They stay
//   in this laptop's log and are not offered to that peer again.
// - `sync_pushes`: when each push reached a peer, to tell a concurrent edit from a later one.
// - `file_peers`: laptops met through `.leadbook-sync` files, and the cursors both ways.
// - `sync_conflicts`: a value written here and not yet seen by the other side that met a
//   concurrent write of the same field from elsewhere — both values, both writers, both
//   clocks, and which won — so the record's timeline can show it and "keep mine" can write
//   it again. Nothing is lost either way: every value also stays in change_log.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE sync_peers ADD COLUMN kind TEXT NOT NULL DEFAULT 'server'`,
  `ALTER TABLE sync_peers ADD COLUMN fingerprint TEXT`,
  `ALTER TABLE sync_peers ADD COLUMN role TEXT`,
  `ALTER TABLE sync_peers ADD COLUMN device_id TEXT`,
  // The HLC node of entries the server writes itself (a website form's new lead).
  `ALTER TABLE sync_peers ADD COLUMN server_node TEXT`,
  `CREATE TABLE sync_refused (
    peer_id TEXT NOT NULL,
    hlc TEXT NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (peer_id, hlc)
  ) WITHOUT ROWID`,
  // When each push reached a peer (the last local seq it covered): a value typed here was
  // "seen" by others only from the moment it reached some server or hub.
  `CREATE TABLE sync_pushes (
    peer_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (peer_id, seq)
  ) WITHOUT ROWID`,
  `CREATE INDEX sync_pushes_seq ON sync_pushes(seq, at)`,
  // Laptops this one exchanges `.leadbook-sync` files with (no network at all), by HLC
  // node id: how far of their log we hold without a gap (sent back to them as an ack), and
  // how far of ours they confirmed (the next file starts there).
  `CREATE TABLE file_peers (
    node_id TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    received INTEGER NOT NULL DEFAULT 0,
    confirmed INTEGER NOT NULL DEFAULT 0,
    last_file_at INTEGER
  ) WITHOUT ROWID`,
  `CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    mine_value TEXT,
    mine_hlc TEXT NOT NULL,
    mine_author TEXT,
    theirs_value TEXT,
    theirs_hlc TEXT NOT NULL,
    theirs_author TEXT,
    theirs_device TEXT,
    winner TEXT NOT NULL CHECK (winner IN ('mine', 'theirs')),
    at INTEGER NOT NULL,
    resolved_at INTEGER,
    UNIQUE (mine_hlc, theirs_hlc, col)
  )`,
  `CREATE INDEX sync_conflicts_row ON sync_conflicts(tbl, row_id)`,
  `CREATE INDEX sync_conflicts_at ON sync_conflicts(at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
