// Which tables and columns the change log carries, derived from the contract's entity
// schemas so a synced column is declared in exactly one place.
import { syncedTables, systemColumns, type SyncedTable } from '../contract/index.js';

const columnsByTable = new Map<string, ReadonlySet<string>>(
  Object.entries(syncedTables).map(([table, fields]) => [
    table,
    new Set<string>([...systemColumns, ...Object.keys(fields.shape)]),
  ]),
);

export function isSyncedTable(table: string): table is SyncedTable {
  return columnsByTable.has(table);
}

export function syncedColumnsOf(table: SyncedTable): ReadonlySet<string> {
  return columnsByTable.get(table)!;
}

export function isSyncedColumn(table: string, column: string): boolean {
  return columnsByTable.get(table)?.has(column) ?? false;
}

export const syncedTableNames = [...columnsByTable.keys()] as SyncedTable[];
