// Search documents get a column for pinyin from the middle of company names (字节 in
// 北京字节跳动), which only queries of three letters or more search: two-letter initials
// like "zs" then mean names from their start (张三), not 圳市 inside 深圳市腾讯. FTS5 tables
// cannot gain a column, so they are recreated empty; the store re-indexes every row on
// open because the documents' version (meta) no longer matches.
import { sql, type Kysely } from 'kysely';

const tables = ['leads', 'contacts', 'accounts', 'opportunities'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of tables) {
    await sql.raw(`DROP TABLE search_${t}`).execute(db);
    await sql
      .raw(
        `CREATE VIRTUAL TABLE search_${t} USING fts5(
          body, han1, pinyin, pinyin_mid, content = '', contentless_delete = 1,
          tokenize = 'unicode61 remove_diacritics 2'
        )`,
      )
      .execute(db);
  }
  await sql.raw(`DELETE FROM meta WHERE key = 'search_doc_version'`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
