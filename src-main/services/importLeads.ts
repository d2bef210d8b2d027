// Importing leads from a file — CSV/TSV in any common encoding, an .xlsx workbook, or a
// vCard file (F1 import, F2 dedupe): read it as a table, map its columns, validate every
// row, find duplicates within the file and against the database, then create (or merge)
// the good rows in ONE transaction recorded as an undoable batch. A dry run answers the
// same report without writing.
import { z } from 'zod';
import {
  ApiError,
  columnTargetSchema,
  leadFields,
  parseTags,
  type DuplicatePolicy,
  type ImportBatchSummary,
  type ImportRejection,
  type ImportPreview,
  type ImportReport,
  type LeadSource,
  type LeadStatus,
  type ValueMappings,
} from '../contract/index.js';
import {
  duplicateReasons,
  personKeys,
  phoneKey,
  similarNameKeysOf,
  type DuplicateDraft,
} from '../domain/dedupe.js';
import {
  decodeBytes,
  IMPORT_LIMITS,
  ImportFileError,
  isVCardText,
  parseTable,
  vCardTable,
  type ParsedTable,
} from '../domain/importFile.js';
import { isZip, xlsxTable } from '../domain/importXlsx.js';
import { planMerge } from '../domain/mergePolicy.js';
import {
  autoMapHeaders,
  importFields,
  joinNameParts,
  mapSourceValue,
  mapStatusValue,
  type ColumnTarget,
  type ImportField,
} from '../domain/importMapping.js';
import { newId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { findLeadDuplicatesBatch } from './duplicates.js';
import { AssignmentBatch, readAssignmentConfig } from './assignment.js';
import { createRecordIdIn, getRecord, updateRecordIn } from './records.js';
import { readTeamSettings } from './settings.js';

export interface ImportOptions {
  fileName: string;
  /** One target per column; the automatic mapping when absent. */
  mapping?: ColumnTarget[];
  onDuplicate: DuplicatePolicy;
  /** The user's choice for single duplicate rows (by row number), over `onDuplicate`. */
  rowActions?: Record<string, DuplicatePolicy>;
  /** The user's reading of status/source values, over the automatic one. */
  values?: ValueMappings;
  /** Any rejected row means nothing is imported. */
  allOrNothing: boolean;
  dryRun: boolean;
}

/** What an import is doing: reading the file, checking its rows (validation, duplicates),
 * saving them (the one write transaction). */
export type ImportPhase = 'reading' | 'checking' | 'saving';

/** Told how far an import got, every few hundred rows. It may throw (the user cancelled):
 * thrown while saving, that rolls the whole import back. */
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

/** Thrown by a progress callback when the user cancels; nothing has been written. */
export class ImportCancelledError extends Error {
  constructor() {
    super('the import was cancelled; nothing was imported');
    this.name = 'ImportCancelledError';
  }
}

const PROGRESS_EVERY = 250;
const OPTIMIZE_FROM_ROWS = 5000;
const noProgress: ImportProgress = () => {};

type Draft = Record<string, unknown> & { name: string };
type Rejection = Omit<ImportRejection, 'row'>;

/** Fields with a meaning of their own when imported; every other import field is copied
 * as it is. */
const specialFields = new Set<ImportField>(['name', 'status', 'source', 'notes', 'tags']);
const plainFields = importFields.filter((f) => !specialFields.has(f));

/** Fields an import may fill on an existing lead (never its name, status or owner). */
const mergeableFields: readonly string[] = importFields.filter(
  (f) => f !== 'name' && f !== 'status' && f !== 'disqualify_reason',
);

interface ReadFile {
  encoding: string;
  table: ParsedTable;
}

/** Any supported file → a table: an .xlsx workbook, a vCard file, or CSV/TSV text. A file
 * that cannot be a table becomes a clear BAD_INPUT error, nothing stored. Reading is
 * async (workbooks unzip asynchronously) and happens before the write transaction. */
async function readFile(bytes: Uint8Array, progress: ImportProgress): Promise<ReadFile> {
  progress('reading', 0, 0);
  try {
    if (bytes.length > IMPORT_LIMITS.maxBytes) decodeBytes(bytes); // throws the size error
    if (isZip(bytes)) return { encoding: 'xlsx', table: await xlsxTable(bytes) };
    const decoded = decodeBytes(bytes);
    const table = isVCardText(decoded.text) ? vCardTable(decoded.text) : parseTable(decoded.text);
    return { encoding: decoded.encoding, table };
  } catch (err) {
    if (err instanceof ImportFileError)
      throw new ApiError('BAD_INPUT', `cannot import: ${err.message}`, [
        { path: 'file', message: err.message, code: err.code },
      ]);
    throw err;
  }
}

/** One row of cells → a lead draft, or the reason it cannot be one. */
function rowToDraft(
  header: string[],
  cells: string[],
  mapping: ColumnTarget[],
  region: string,
  values: ValueMappings = {},
): { draft: Draft } | Rejection {
  const v: Partial<Record<ImportField, string>> = {};
  const notes: string[] = [];
  mapping.forEach((target, i) => {
    const cell = (cells[i] ?? '').trim();
    if (!cell || target === null) return;
    if (target === 'note') notes.push(`${header[i]}: ${cell}`);
    else v[target] = v[target] ? `${v[target]} ${cell}` : cell;
  });
  if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim()))
    return {
      reason: `${cells.length} cells in a row of a ${header.length}-column file`,
      kind: 'cells',
      cells: cells.length,
      columns: header.length,
    };
  const name =
    v.name ||
    joinNameParts(v.family_name ?? '', v.given_name ?? '') ||
    v.company ||
    v.email ||
    v.mobile ||
    v.phone;
  if (!name || !(v.name || v.given_name || v.family_name || v.email || v.phone || v.mobile))
    return { reason: 'no identity: no name, email or phone', kind: 'no_identity' };
  const draft: Record<string, unknown> = { name };
  for (const f of plainFields) if (v[f]) draft[f] = v[f];
  if (v.status) {
    const status = statusOf(v.status, values);
    if (status) draft.status = status;
    else notes.push(`Status: ${v.status}`);
    if (status === 'unqualified') draft.disqualify_reason ??= v.status;
  }
  if (v.source) draft.source = sourceOf(v.source, values);
  if (v.tags) draft.tags = splitTags(v.tags);
  const allNotes = [v.notes, ...notes].filter(Boolean).join('\n');
  if (allNotes) draft.notes = allNotes;
  const parsed = leadFields.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'row';
    return {
      reason: `${field}: ${issue.message}`,
      kind: 'field',
      field,
      issue: {
        path: field,
        message: issue.message,
        code: issue.code,
        ...(issue.code === 'too_big' && typeof issue.maximum === 'number'
          ? { limit: issue.maximum }
          : {}),
      },
    };
  }
  for (const f of ['phone', 'mobile'] as const) {
    if (v[f] && !phoneKey(v[f], region))
      return {
        reason: `${f}: not a possible phone number`,
        kind: 'field',
        field: f,
        issue: { path: f, message: 'is not a possible phone number' },
      };
  }
  // Stored as the API would store it: trimmed, emails lower-cased, tags as their list.
  return { draft: parsed.data as Draft };
}

const statusOf = (raw: string, values: ValueMappings): LeadStatus | null =>
  values.status && raw in values.status ? values.status[raw]! : mapStatusValue(raw);
const sourceOf = (raw: string, values: ValueMappings): LeadSource | null =>
  values.source && raw in values.source ? values.source[raw]! : mapSourceValue(raw);

/** Tags as Leadbook exports them (a JSON list) or as people type them (a, b; c). */
function splitTags(text: string): string[] {
  const json = parseTags(text.startsWith('[') ? text : null);
  if (json.length) return json;
  return text
    .split(/[,;，；]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

function plan(
  r: Reader,
  { encoding, table }: ReadFile,
  options: ImportOptions,
  progress: ImportProgress,
) {
  const mapping = options.mapping ?? autoMapHeaders(table.header);
  if (mapping.length !== table.header.length)
    throw new ApiError(
      'BAD_INPUT',
      `the mapping has ${mapping.length} columns, the file ${table.header.length}`,
    );
  const region = readTeamSettings(r).phoneRegion;
  const report: ImportReport = {
    file: options.fileName,
    encoding,
    delimiter: table.delimiter,
    mapping: table.header.map((header, i) => ({ header, target: mapping[i]! })),
    rows: table.rows.length,
    created: 0,
    merged: 0,
    skipped: 0,
    rejected: [],
    duplicates: [],
    conflicts: [],
    batchId: null,
    aborted: false,
  };
  const toCreate: { row: number; draft: Draft; into?: { lead: string } | { row: number } }[] = [];
  const valid: { line: number; draft: Draft }[] = [];
  for (const [i, { line, cells }] of table.rows.entries()) {
    if (i % PROGRESS_EVERY === 0) progress('checking', i, table.rows.length);
    const result = rowToDraft(table.header, cells, mapping, region, options.values);
    if ('reason' in result) report.rejected.push({ row: line, ...result });
    else valid.push({ line, draft: result.draft });
  }
  // Existing leads each row duplicates, looked up in batches rather than row by row.
  progress('checking', table.rows.length, table.rows.length);
  const inDatabase = findLeadDuplicatesBatch(
    r,
    valid.map((v) => v.draft as DuplicateDraft),
  );
  // Rows of this file already seen, by each of their keys (exact, and similar-name blocks).
  const seen = new Map<string, { line: number; draft: DuplicateDraft }>();
  const dbLeadOfRow = new Map<number, string>();
  for (const [i, { line, draft }] of valid.entries()) {
    const person = draft as DuplicateDraft;
    const keys = [...personKeys(person, region), ...similarNameKeysOf(person)];
    const earlierRow = keys
      .map((k) => seen.get(k))
      .find((s) => s !== undefined && duplicateReasons(person, s.draft, region).length > 0);
    const earlier = earlierRow?.line;
    const inDb = earlier === undefined ? inDatabase[i] : undefined;
    const policy = options.rowActions?.[String(line)] ?? options.onDuplicate;
    const action = ({ skip: 'skipped', create: 'created', merge: 'merged' } as const)[policy];
    if (earlier !== undefined) {
      report.duplicates.push({
        row: line,
        of: { row: earlier },
        reasons: duplicateReasons(person, earlierRow!.draft, region),
        action,
      });
    } else if (inDb) {
      report.duplicates.push({
        row: line,
        of: { lead: inDb.id, name: inDb.name },
        reasons: inDb.reasons,
        action,
      });
    }
    for (const k of keys) if (!seen.has(k)) seen.set(k, { line, draft: person });
    if (inDb) dbLeadOfRow.set(line, inDb.id);
    if ((earlier !== undefined || inDb) && policy === 'skip') {
      report.skipped++;
      continue;
    }
    // A row merging into an earlier row of the file merges into whatever that row is: the
    // existing lead it duplicates, or the lead it becomes.
    const earlierLead = earlier !== undefined ? dbLeadOfRow.get(earlier) : undefined;
    const into =
      policy !== 'merge'
        ? undefined
        : earlierLead
          ? { lead: earlierLead }
          : earlier !== undefined
            ? { row: earlier }
            : inDb
              ? { lead: inDb.id }
              : undefined;
    toCreate.push({ row: line, draft, ...(into ? { into } : {}) });
  }
  return { report, toCreate, encoding, delimiter: table.delimiter, mapping };
}

export async function importLeads(
  store: Store,
  bytes: Uint8Array,
  options: ImportOptions,
  progress: ImportProgress = noProgress,
): Promise<ImportReport> {
  const file = await readFile(bytes, progress);
  return importTable(store, file, options, progress);
}

/** Mappings the user chose are remembered per set of headers (on this device), so the
 * next file from the same source maps itself. */
const mappingKey = (header: readonly string[]) =>
  `import.mapping:${JSON.stringify(header.map((h) => h.trim().toLowerCase()))}`;

function rememberedMapping(store: Store, header: readonly string[]): ColumnTarget[] | null {
  const saved = store.getMeta(mappingKey(header));
  if (!saved) return null;
  try {
    const parsed = z.array(columnTargetSchema).safeParse(JSON.parse(saved));
    return parsed.success && parsed.data.length === header.length ? parsed.data : null;
  } catch {
    return null;
  }
}

function importTable(
  store: Store,
  file: ReadFile,
  given: ImportOptions,
  progress: ImportProgress,
): ImportReport {
  const remembered = given.mapping ? null : rememberedMapping(store, file.table.header);
  const options = remembered ? { ...given, mapping: remembered } : given;
  // A big file is checked against the database with thousands of full-text lookups: one
  // merge of the leads index first pays for itself many times over.
  if (file.table.rows.length >= OPTIMIZE_FROM_ROWS) store.optimizeSearchIndex(['leads']);
  // Rows are checked on a read snapshot, outside the write transaction: in WAL mode that
  // blocks nobody, so the write lock is held only while rows are saved. A lead created
  // meanwhile that duplicates a row is found later by the duplicates screen.
  const { report, toCreate, encoding, delimiter, mapping } = store.read((r) =>
    plan(r, file, options, progress),
  );
  if (options.dryRun) {
    const merged = toCreate.filter((c) => c.into).length;
    return { ...report, created: toCreate.length - merged, merged };
  }
  if (options.allOrNothing && report.rejected.length) return { ...report, aborted: true };
  if (!toCreate.length) return report;
  return store.writeBulk((tx) => {
    const batchId = newId();
    tx.insertLocal('import_batches', {
      id: batchId,
      file: options.fileName,
      imported_at: tx.now,
      encoding,
      delimiter,
      mapping: JSON.stringify(mapping),
      counts: '{}',
      undone_at: null,
    });
    // New leads without an owner go where the assignment rules send them, the whole file
    // balanced as one batch (round-robin turns and loads carried from row to row).
    const assignConfig = readAssignmentConfig(tx);
    const assigner =
      assignConfig.onImport && (assignConfig.rules.length || assignConfig.defaultOwnerId)
        ? new AssignmentBatch(tx, assignConfig)
        : null;
    // Row → the lead it became (created, or merged into), for later rows merging into it.
    const leadOfRow = new Map<number, string>();
    let created = 0;
    let merged = 0;
    for (const [i, { row, draft, into }] of toCreate.entries()) {
      if (i % PROGRESS_EVERY === 0) progress('saving', i, toCreate.length);
      const target = into ? ('lead' in into ? into.lead : leadOfRow.get(into.row)) : undefined;
      if (target) {
        const existing = getRecord(tx, 'leads', target) as unknown as Record<string, unknown>;
        if (existing.status === 'converted') {
          // A converted lead is read-only: the row is reported, not forced in.
          report.skipped++;
          continue;
        }
        const { patch, conflicts } = planMerge(existing, draft, mergeableFields);
        for (const c of conflicts) report.conflicts.push({ row, ...c });
        if (Object.keys(patch).length) {
          updateRecordIn(tx, 'leads', target, patch);
          const before = Object.fromEntries(
            Object.keys(patch).map((f) => [f, existing[f] ?? null]),
          );
          tx.insertLocal('import_batch_leads', {
            batch_id: batchId,
            row,
            lead_id: target,
            action: 'merged',
            before: JSON.stringify(before),
            after: JSON.stringify(patch),
          });
        }
        leadOfRow.set(row, target);
        merged++;
        continue;
      }
      if (assigner && draft.owner_id == null) assigner.assign(draft);
      const leadId = createRecordIdIn(tx, 'leads', draft);
      leadOfRow.set(row, leadId);
      created++;
      tx.insertLocal('import_batch_leads', {
        batch_id: batchId,
        row,
        lead_id: leadId,
        action: 'created',
        before: null,
        after: null,
      });
    }
    assigner?.finish();
    progress('saving', toCreate.length, toCreate.length);
    const done = { ...report, created, merged, batchId };
    if (given.mapping) store.setMeta(mappingKey(file.table.header), JSON.stringify(given.mapping));
    tx.updateLocal(
      'import_batches',
      { column: 'id', value: batchId },
      {
        counts: JSON.stringify({
          rows: done.rows,
          created: done.created,
          merged: done.merged,
          skipped: done.skipped,
          rejected: done.rejected.length,
        }),
      },
    );
    return done;
  });
}

/** Undoes a batch: every lead it created that still exists is deleted (soft, so it can
 * come back), and fields it filled by merging are put back. One transaction. */
export function undoImport(store: Store, batchId: string): { deleted: number; restored: number } {
  return store.write((tx) => {
    const batch = tx.first(
      tx.qb.selectFrom('import_batches').selectAll().where('id', '=', batchId),
    );
    if (!batch) throw new ApiError('NOT_FOUND', `import batch ${batchId} not found`);
    if (batch.undone_at !== null) throw new ApiError('CONFLICT', 'this import was already undone');
    const entries = tx.all(
      tx.qb
        .selectFrom('import_batch_leads')
        .selectAll()
        .where('batch_id', '=', batchId)
        .orderBy('row', 'desc'),
    );
    let deleted = 0;
    let restored = 0;
    for (const entry of entries) {
      if (entry.action === 'created') {
        if (softDeleteIfLive(tx, entry.lead_id)) deleted++;
        continue;
      }
      // A merged field goes back only if it still holds what the import put there: an
      // edit made since is the user's, and stays.
      const lead = getRecord(tx, 'leads', entry.lead_id) as unknown as Record<string, unknown>;
      if (lead.deleted_at !== null || lead.status === 'converted') continue;
      const before = JSON.parse(entry.before ?? '{}') as Record<string, unknown>;
      const after = JSON.parse(entry.after ?? '{}') as Record<string, unknown>;
      const back = Object.fromEntries(Object.entries(before).filter(([f]) => lead[f] === after[f]));
      if (Object.keys(back).length && tx.update('leads', entry.lead_id, back)) restored++;
    }
    tx.updateLocal('import_batches', { column: 'id', value: batchId }, { undone_at: tx.now });
    return { deleted, restored };
  });
}

function softDeleteIfLive(tx: WriteTx, leadId: string): boolean {
  const lead = getRecord(tx, 'leads', leadId);
  return lead.deleted_at === null ? tx.softDelete('leads', leadId) : false;
}

export function listImports(r: Reader): ImportBatchSummary[] {
  return r
    .all(r.qb.selectFrom('import_batches').selectAll().orderBy('imported_at', 'desc').limit(200))
    .map((b) => ({
      id: b.id,
      file: b.file,
      importedAt: b.imported_at,
      counts: JSON.parse(b.counts) as Record<string, number>,
      undoneAt: b.undone_at,
    }));
}

/** The mapping step: a dry run with the file's first rows as read. */
export async function previewImport(
  store: Store,
  bytes: Uint8Array,
  options: Omit<ImportOptions, 'dryRun'>,
  progress: ImportProgress = noProgress,
): Promise<ImportPreview> {
  const file = await readFile(bytes, progress);
  const report = importTable(store, file, { ...options, dryRun: true }, progress);
  // The distinct values of the status and source columns (at most 100 of each), so the
  // user can correct how they are read.
  const column = (target: 'status' | 'source') =>
    report.mapping.findIndex((m) => m.target === target);
  const distinct = (i: number) =>
    i < 0
      ? []
      : [...new Set(file.table.rows.map((r) => (r.cells[i] ?? '').trim()).filter(Boolean))].slice(
          0,
          100,
        );
  const values = options.values ?? {};
  return {
    ...report,
    sample: file.table.rows.slice(0, 5).map((r) => r.cells),
    values: {
      status: distinct(column('status')).map((raw) => ({ raw, value: statusOf(raw, values) })),
      source: distinct(column('source')).map((raw) => ({ raw, value: sourceOf(raw, values) })),
    },
  };
}
