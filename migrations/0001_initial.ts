// The whole data model. Landed migrations are never edited: later changes add new files.
//
// Synced tables carry no NOT NULL (beyond the key) and no foreign-key constraints on
// purpose: changes from other devices arrive field by field and in any order, so a
// contact may arrive before its account, or one field of a row before the rest. Required
// fields and references are checked by the services when a user writes; reads join with
// LEFT JOIN. Local-only tables keep their constraints.
import { sql, type Kysely } from 'kysely';

const system = `id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER, updated_at INTEGER, deleted_at INTEGER`;

const statements = [
  `CREATE TABLE users (${system},
    name TEXT, email TEXT, role TEXT DEFAULT 'rep', active INTEGER DEFAULT 1)`,
  `CREATE TABLE campaigns (${system},
    name TEXT, kind TEXT DEFAULT 'trade_show', location TEXT, start_date TEXT, end_date TEXT,
    cost INTEGER, currency TEXT, owner_id TEXT, notes TEXT)`,
  `CREATE TABLE accounts (${system},
    name TEXT, domain TEXT, industry TEXT, website TEXT, phone TEXT, country TEXT, region TEXT,
    city TEXT, address TEXT, owner_id TEXT, notes TEXT)`,
  `CREATE INDEX accounts_live_created ON accounts(created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX accounts_name ON accounts(name)`,
  `CREATE INDEX accounts_domain ON accounts(domain)`,
  `CREATE TABLE contacts (${system},
    name TEXT, family_name TEXT, given_name TEXT, account_id TEXT, title TEXT, email TEXT,
    phone TEXT, mobile TEXT, wechat TEXT, owner_id TEXT, lead_id TEXT, notes TEXT)`,
  `CREATE INDEX contacts_live_created ON contacts(created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX contacts_account ON contacts(account_id)`,
  `CREATE INDEX contacts_email ON contacts(email)`,
  `CREATE TABLE leads (${system},
    name TEXT, family_name TEXT, given_name TEXT, company TEXT, title TEXT, email TEXT,
    phone TEXT, mobile TEXT, wechat TEXT, website TEXT, industry TEXT, country TEXT,
    region TEXT, city TEXT, address TEXT, source TEXT, campaign_id TEXT,
    status TEXT DEFAULT 'new', owner_id TEXT,
    budget TEXT, authority TEXT, need TEXT, timeline TEXT, budget_amount INTEGER, currency TEXT,
    notes TEXT, next_step TEXT, next_step_date TEXT, disqualify_reason TEXT,
    converted_at INTEGER, converted_opportunity_id TEXT, converted_account_id TEXT,
    converted_contact_id TEXT,
    -- derived, recomputed locally, never synced
    score INTEGER, grade TEXT, score_breakdown TEXT, predicted_probability REAL,
    scored_at INTEGER)`,
  // List indexes are partial (live rows only) and end in id, the sort tie-break, so a page
  // of a 100 000-lead list is read straight off an index and counts stay index-only.
  `CREATE INDEX leads_live_created ON leads(created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_updated ON leads(updated_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_name ON leads(name, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_company ON leads(company, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_status ON leads(status, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_source ON leads(source, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_owner ON leads(owner_id, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_campaign ON leads(campaign_id, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_score ON leads(score, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_live_grade ON leads(grade, score, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX leads_email ON leads(email)`,
  `CREATE INDEX leads_deleted ON leads(deleted_at) WHERE deleted_at IS NOT NULL`,
  `CREATE TABLE stages (${system},
    name_zh TEXT, name_en TEXT, sort_order INTEGER, probability INTEGER, kind TEXT DEFAULT 'open',
    stale_days INTEGER, active INTEGER DEFAULT 1)`,
  // stage_position = "<stage id>:<rank>" is the synced field; stage_id is derived from it
  // by SQLite so queries can filter and index on the stage.
  `CREATE TABLE opportunities (${system},
    name TEXT, account_id TEXT, contact_id TEXT, lead_id TEXT, owner_id TEXT,
    stage_position TEXT,
    stage_id TEXT GENERATED ALWAYS AS
      (CASE WHEN instr(stage_position, ':') > 0
            THEN substr(stage_position, 1, instr(stage_position, ':') - 1) END) VIRTUAL,
    amount INTEGER, currency TEXT, expected_close_date TEXT, probability_override INTEGER,
    forecast_category TEXT, source TEXT, campaign_id TEXT, next_step TEXT, next_step_date TEXT,
    lost_reason TEXT, closed_at INTEGER, description TEXT,
    -- derived
    predicted_probability REAL)`,
  `CREATE INDEX opportunities_stage ON opportunities(stage_id, stage_position)`,
  `CREATE INDEX opportunities_live_created ON opportunities(created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX opportunities_owner ON opportunities(owner_id)`,
  `CREATE INDEX opportunities_account ON opportunities(account_id)`,
  `CREATE INDEX opportunities_lead ON opportunities(lead_id)`,
  `CREATE INDEX opportunities_close ON opportunities(expected_close_date)`,
  `CREATE TABLE stage_history (${system},
    opportunity_id TEXT, from_stage_id TEXT, to_stage_id TEXT, changed_at INTEGER,
    user_id TEXT, amount INTEGER, currency TEXT)`,
  `CREATE INDEX stage_history_opportunity ON stage_history(opportunity_id, changed_at)`,
  `CREATE TABLE activities (${system},
    kind TEXT, subject TEXT, body TEXT, lead_id TEXT, contact_id TEXT, account_id TEXT,
    opportunity_id TEXT, owner_id TEXT, occurred_at INTEGER, due_at INTEGER, done_at INTEGER,
    remind_at INTEGER, outcome TEXT, duration_min INTEGER)`,
  `CREATE INDEX activities_lead ON activities(lead_id)`,
  `CREATE INDEX activities_opportunity ON activities(opportunity_id)`,
  `CREATE INDEX activities_contact ON activities(contact_id)`,
  `CREATE INDEX activities_due ON activities(done_at, due_at)`,
  `CREATE INDEX activities_live_created ON activities(created_at, id) WHERE deleted_at IS NULL`,
  `CREATE TABLE assignment_rules (${system},
    name TEXT, sort_order INTEGER, enabled INTEGER DEFAULT 1, conditions TEXT, strategy TEXT,
    user_id TEXT, pool TEXT, rr_cursor INTEGER)`,
  `CREATE TABLE scoring_rules (${system},
    name TEXT, sort_order INTEGER, enabled INTEGER DEFAULT 1, kind TEXT, field TEXT,
    operator TEXT, value TEXT, points INTEGER)`,
  `CREATE TABLE targets (${system},
    user_id TEXT, period TEXT, amount INTEGER, currency TEXT)`,
  `CREATE TABLE saved_views (${system},
    name TEXT, entity TEXT, owner_id TEXT, filters TEXT, sort TEXT, columns TEXT,
    shared INTEGER DEFAULT 0)`,
  `CREATE TABLE settings (${system}, value TEXT)`,

  // ---- local-only tables (never synced) ----
  `CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID`,
  // One entry per mutation: every changed field of one row, stamped with one HLC. The HLC
  // is unique per mutation, so it keys the entry (the sync server pushes by it).
  `CREATE TABLE change_log (
    hlc TEXT PRIMARY KEY NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('local', 'remote'))
  ) WITHOUT ROWID`,
  // A row's entries, oldest first: the newest HLC of each of its fields is read from here
  // when a change from elsewhere is merged (last writer wins per field).
  `CREATE INDEX change_log_row ON change_log(tbl, row_id, hlc)`,
  // Changes for tables/columns this version does not know yet (a newer device synced
  // first): kept, and applied after the migration that adds them.
  `CREATE TABLE pending_changes (
    hlc TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (hlc, tbl, row_id, col)
  ) WITHOUT ROWID`,
  // Full-text search: one contentless FTS5 table per searchable entity, whose rowid is the
  // entity row's own rowid — a search joins straight to its rows on the integer key. (Rowids
  // of these tables never change: rows are never hard-deleted, and the app never runs
  // VACUUM; a VACUUM would have to be followed by a search rebuild.)
  ...['leads', 'contacts', 'accounts', 'opportunities'].map(
    (t) => `CREATE VIRTUAL TABLE search_${t} USING fts5(
      body, han1, pinyin, content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'
    )`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
