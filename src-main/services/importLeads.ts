// Importing leads from a file — CSV/TSV in any common encoding, an .xlsx workbook, or a
// vCard file (F1 import, F2 dedupe): read it as a table, map its columns (unknown ones of
// few values become custom fields), read every row keeping whatever does not fit as a
// warning (domain/importRow.ts), find who each row may be — the same record, the same
// person, or only someone alike (domain/samePerson.ts) — then create, update or merge the
// rows in ONE transaction recorded as an undoable batch. A dry run answers the same report
// without writing.
import { z } from 'zod';
import {
  ApiError,
  columnTargetSchema,
  IMPORT_PROBLEM_ROWS,
  mayWriteTeamConfig,
  type CustomFieldType,
  type DuplicatePolicy,
  type ImportCustomField,
  type ImportBatchSummary,
  type ImportPreview,
  type ImportProblemRow,
  type ImportReport,
  type UserRole,
  type ValueMappings,
} from '../contract/index.js';
import { personKeys, similarNameKeysOf, type DuplicateDraft } from '../domain/dedupe.js';
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
  choicesOf,
  customFieldName,
  inferCustomType,
  isCustomFieldName,
  keyFromLabel,
  suitsCustomField,
} from '../domain/customFields.js';
import { normalizeHeader } from '../domain/importHeaders.js';
import { readCell } from '../domain/importValues.js';
import { importFields, mapHeaders, type ColumnTarget } from '../domain/importMapping.js';
import {
  rowToDraft,
  sourceOf,
  statusOf,
  type Draft,
  type RowContext,
} from '../domain/importRow.js';
import { likeness, type Likeness } from '../domain/samePerson.js';
import { toCsv } from '../domain/csv.js';
import fs from 'node:fs/promises';
import { isStreamableTable, openCsvFile, type StreamedTable } from './importSource.js';
import { newId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { findLeadDuplicatesBatch } from './duplicates.js';
import type { JobPhase } from './jobSlot.js';
import { saveCustomFieldIn, setCustomValuesIn } from './customFields.js';
import { customValuesOf, listCustomFields, type CustomField } from './customValues.js';
import { rebuildModelAndRescore, rescoreLeadIn } from './scoring.js';
import { AssignmentBatch, readAssignmentConfig } from './assignment.js';
import { createLeadIn, updateLeadIn } from './leads.js';
import { getRecord } from './recordRows.js';
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
  /** When a file on disk is read in pieces, and how many rows per batch (tests make a
   * small file take the path a 100 MB one takes). */
  pieces?: { fromBytes: number; batchRows: number };
}

/** What an import is doing: reading the file, checking its rows (validation, duplicates),
 * saving them (the one write transaction). */
export type ImportPhase = JobPhase;

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

/** Fields an import may fill on an existing lead (never its name, status or owner). */
const mergeableFields: readonly string[] = [
  ...importFields.filter((f) => f !== 'name' && f !== 'status' && f !== 'disqualify_reason'),
  'source_system',
];

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
    throw asBadInput(err);
  }
}

/** Team members by name and email (lower case), for an owner column. */
function ownersByName(r: Reader): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of r.all(
    r.qb.selectFrom('users').select(['id', 'name', 'email']).where('deleted_at', 'is', null),
  )) {
    for (const key of [u.name, u.email, u.id]) if (key) out.set(key.trim().toLowerCase(), u.id);
  }
  return out;
}

/** What a row holds besides the lead's own fields. */
interface RowExtra {
  custom: Record<string, string>;
  outcome?: 'won' | 'lost';
}

/** A row of the file and the lead it becomes. */
interface PlannedRow {
  row: number;
  draft: Draft;
  extra: RowExtra;
  /** Merge into an existing lead, or into whatever an earlier row became. */
  into?: { lead: string; update: boolean } | { row: number };
}

/** A lead or earlier row a row may duplicate, and how alike they are. */
interface Match {
  of: { lead: string; name: string } | { row: number };
  likeness: Likeness;
}

/** Strongest first: the same source record, then the same person, then only alike. */
const matchRank = (m: Match) =>
  m.likeness.kind === 'same' ? (m.likeness.reasons.includes('source_record') ? 0 : 1) : 2;

/** Whether this laptop may define team settings (custom fields): not when its user is a
 * rep of a synced team — their new fields would be refused by the team server. */
function mayDefineFields(r: Reader): boolean {
  return r
    .all(r.qb.selectFrom('sync_peers').select('role').where('active', '=', 1))
    .every((p) => p.role === null || mayWriteTeamConfig(p.role as UserRole));
}

interface CustomPlan {
  /** The mapping as reported (a new custom field stays 'custom'). */
  mapping: ColumnTarget[];
  /** The mapping rows are read with (every custom column as its `cf.<key>`). */
  readAs: ColumnTarget[];
  byTarget: Map<string, { key: string; type: CustomFieldType; options: string[] }>;
  newFields: { key: string; label: string; type: CustomFieldType; options: string[] }[];
  report: ImportCustomField[];
}

/** Which columns become custom fields. Chosen by the user (`custom`, `cf.<key>`), or, in
 * the automatic mapping, a column no header synonym knew whose values are numbers, dates,
 * yes/no or a few distinct values (free text stays in the notes) — a field of the same
 * key already defined is reused. A new field is named after its header and typed by its
 * values. */
function planCustomFields(
  r: Reader,
  table: ParsedTable,
  given: readonly ColumnTarget[],
  unrecognized: readonly string[],
  automatic: boolean,
): CustomPlan {
  const existing = new Map(listCustomFields(r).map((f) => [f.key, f]));
  const may = mayDefineFields(r);
  const valuesOf = (i: number) =>
    table.rows.map((row) => readCell(row.cells[i] ?? '').value).filter(Boolean);
  const mapping = given.map((target, i): ColumnTarget => {
    const header = table.header[i] ?? '';
    if (!automatic || target !== 'note' || !unrecognized.includes(header)) return target;
    // Leadbook's own export names its custom columns `cf.<key>`.
    const own = /^cf\.([a-z][a-z0-9_]{0,39})$/.exec(header.trim());
    if (own && existing.has(own[1]!)) return header.trim() as ColumnTarget;
    const key = keyFromLabel(header);
    if (existing.has(key)) return customFieldName(key) as ColumnTarget;
    return may && suitsCustomField(inferCustomType(valuesOf(i))) ? 'custom' : target;
  });
  if (!may && mapping.includes('custom'))
    throw new ApiError(
      'FORBIDDEN',
      "only the team's admins and managers can add custom fields; map the column to the notes",
      [{ path: 'mapping', message: 'a rep cannot add custom fields' }],
    );
  const byTarget: CustomPlan['byTarget'] = new Map();
  const newFields: CustomPlan['newFields'] = [];
  const report: ImportCustomField[] = [];
  const taken = new Set(existing.keys());
  const readAs = mapping.map((target, i): ColumnTarget => {
    const header = table.header[i] ?? '';
    const base =
      target === 'custom'
        ? (/^cf\.([a-z][a-z0-9_]{0,39})$/.exec(header.trim())?.[1] ?? keyFromLabel(header))
        : '';
    // The column's field was made by an earlier import (a remembered mapping says
    // "custom" again): its values go to that field, not to a second one.
    const made = target === 'custom' ? existing.get(base) : undefined;
    if (made) {
      byTarget.set(customFieldName(made.key), made);
      report.push({ header, key: made.key, label: made.label, type: made.type, isNew: false });
      return customFieldName(made.key) as ColumnTarget;
    }
    if (target === 'custom') {
      const values = valuesOf(i);
      const type = inferCustomType(values) ?? 'text';
      let key = base;
      for (let n = 2; taken.has(key); n++) key = `${base.slice(0, 36)}_${n}`;
      taken.add(key);
      const field = {
        key,
        label: header.trim().slice(0, 80) || key,
        type,
        options: type === 'choice' ? choicesOf(values) : [],
      };
      newFields.push(field);
      byTarget.set(customFieldName(key), field);
      report.push({ header, key, label: field.label, type, isNew: true });
      return customFieldName(key) as ColumnTarget;
    }
    if (typeof target === 'string' && isCustomFieldName(target)) {
      const field = existing.get(target.slice(3));
      if (!field)
        throw new ApiError('BAD_INPUT', `no custom field "${target.slice(3)}"`, [
          { path: `mapping.${i}`, message: 'is not a custom field' },
        ]);
      byTarget.set(target, field);
      report.push({ header, key: field.key, label: field.label, type: field.type, isNew: false });
    }
    return target;
  });
  return { mapping, readAs, byTarget, newFields, report };
}

/** A row that only repeats what a lead with the same name and company already holds (the
 * same file imported again, with no email or phone to tell) adds nothing: it is that
 * lead, and merging it changes nothing. */
function addsNothing(draft: Draft, existing: Record<string, unknown>): boolean {
  return Object.entries(draft).every(([f, value]) => {
    if (value === null || value === undefined || value === '') return true;
    const have = existing[f];
    if (f === 'notes') return typeof have === 'string' && have.includes(String(value));
    return (
      typeof have === typeof value && String(have).toLowerCase() === String(value).toLowerCase()
    );
  });
}

/** What every batch of a file is checked with: the row reader's context (mapping, custom
 * fields, owners), and the report the batches add to. Custom fields are typed from
 * `sample` (the whole file, or the first batch of one read in pieces). */
interface ImportSetup {
  region: string;
  ctx: RowContext;
  report: ImportReport;
  markers: Map<string, number>;
  problems: Map<number, { cells: string[]; problems: string[] }>;
  mapping: ColumnTarget[];
  newFields: CustomPlan['newFields'];
}

function setupImport(
  r: Reader,
  file: { encoding: string; table: ParsedTable },
  options: ImportOptions,
): ImportSetup {
  const { encoding, table } = file;
  const auto = mapHeaders(table.header);
  const mapping = options.mapping ?? auto.mapping;
  if (mapping.length !== table.header.length)
    throw new ApiError(
      'BAD_INPUT',
      `the mapping has ${mapping.length} columns, the file ${table.header.length}`,
    );
  const region = readTeamSettings(r).phoneRegion;
  const idColumn = mapping.indexOf('source_record_id');
  const custom = planCustomFields(r, table, mapping, auto.unrecognized, !options.mapping);
  const ctx: RowContext = {
    header: table.header,
    mapping: custom.readAs,
    region,
    ...(options.values ? { values: options.values } : {}),
    owners: ownersByName(r),
    sourceSystem: idColumn >= 0 ? normalizeHeader(table.header[idColumn]!) || 'id' : null,
    customFields: custom.byTarget,
  };
  const report: ImportReport = {
    file: options.fileName,
    encoding,
    delimiter: table.delimiter,
    mapping: table.header.map((header, i) => ({ header, target: custom.mapping[i]! })),
    unrecognized: auto.unrecognized,
    customFields: custom.report,
    outcomes: { won: 0, lost: 0 },
    emptyMarkers: [],
    rows: table.rows.length,
    created: 0,
    updated: 0,
    merged: 0,
    skipped: 0,
    possibleDuplicates: 0,
    warnings: [],
    rejected: [],
    duplicates: [],
    conflicts: [],
    problems: [],
    batchId: null,
    aborted: false,
  };
  return {
    region,
    ctx,
    report,
    markers: new Map(),
    problems: new Map(),
    mapping: custom.mapping,
    newFields: custom.newFields,
  };
}

/** Checks a batch of rows: each read as a draft (or rejected, or warned about), then
 * matched against the database and the batch's earlier rows. Adds to the setup's report;
 * answers the rows to write. */
function planRows(
  r: Reader,
  setup: ImportSetup,
  rows: readonly { line: number; cells: string[] }[],
  options: ImportOptions,
  progress: ImportProgress,
): PlannedRow[] {
  const { ctx, region, report, markers, problems } = setup;
  const problem = (line: number, cells: string[], text: string) => {
    const p = problems.get(line);
    if (p) p.problems.push(text);
    // Only the rows the report carries are kept with their cells: a file of a million
    // rows with a warning on each must not hold them all.
    else if (problems.size < IMPORT_PROBLEM_ROWS) problems.set(line, { cells, problems: [text] });
  };
  const toCreate: PlannedRow[] = [];
  const valid: { line: number; draft: Draft; extra: RowExtra }[] = [];
  for (const [i, { line, cells }] of rows.entries()) {
    if (i % PROGRESS_EVERY === 0) progress('checking', i, rows.length);
    const result = rowToDraft(ctx, cells);
    if ('reason' in result) {
      report.rejected.push({ row: line, ...result });
      problem(line, cells, `rejected: ${result.reason}`);
      continue;
    }
    for (const m of result.markers) markers.set(m, (markers.get(m) ?? 0) + 1);
    for (const w of result.warnings) {
      report.warnings.push({ row: line, ...w });
      problem(line, cells, `${w.column}: ${w.reason} (${w.value})`);
    }
    if (result.outcome) report.outcomes[result.outcome]++;
    valid.push({
      line,
      draft: result.draft,
      extra: { custom: result.custom, ...(result.outcome ? { outcome: result.outcome } : {}) },
    });
  }
  finishReport(setup);
  // Existing leads each row may duplicate, looked up in batches rather than row by row.
  progress('checking', rows.length, rows.length);
  const inDatabase = findLeadDuplicatesBatch(
    r,
    valid.map((v) => v.draft as DuplicateDraft),
  );
  // Rows of this file already seen, by each of their keys (exact, and similar-name blocks).
  const seen = new Map<string, { line: number; draft: Draft }[]>();
  const dbLeadOfRow = new Map<number, string>();
  const fullLead = (id: string) =>
    r.first(r.qb.selectFrom('leads').selectAll().where('id', '=', id)) as
      Record<string, unknown> | undefined;
  for (const [i, { line, draft, extra }] of valid.entries()) {
    const person = draft as DuplicateDraft;
    const keys = [...personKeys(person, region), ...similarNameKeysOf(person)];
    const matches: Match[] = [];
    const earlierSeen = new Set<number>();
    for (const k of keys)
      for (const earlier of seen.get(k) ?? []) {
        if (earlierSeen.has(earlier.line)) continue;
        earlierSeen.add(earlier.line);
        const l = likeness(person, earlier.draft as DuplicateDraft, region);
        if (!l) continue;
        if (l.kind === 'possible' && !l.differs.length && addsNothing(draft, earlier.draft))
          l.kind = 'same';
        matches.push({ of: { row: earlier.line }, likeness: l });
      }
    for (const c of inDatabase[i] ?? []) {
      const l = likeness(person, c, region);
      if (!l) continue;
      if (l.kind === 'possible' && !l.differs.length) {
        const lead = fullLead(c.id);
        if (lead && addsNothing(draft, lead)) l.kind = 'same';
      }
      matches.push({ of: { lead: c.id, name: c.name }, likeness: l });
    }
    for (const k of keys) {
      const list = seen.get(k);
      if (!list) seen.set(k, [{ line, draft }]);
      else if (list.length < 5) list.push({ line, draft });
    }
    const best = matches.sort((a, b) => matchRank(a) - matchRank(b))[0];
    if (!best) {
      toCreate.push({ row: line, draft, extra });
      continue;
    }
    const same = best.likeness.kind === 'same';
    const chosen = options.rowActions?.[String(line)];
    // The file-wide choice is for the same person; a row only alike is created (and
    // listed for review) unless the user chose otherwise for that very row.
    const policy: DuplicatePolicy = chosen ?? (same ? options.onDuplicate : 'create');
    const dbLead = 'lead' in best.of ? best.of.lead : undefined;
    const earlierRow = 'row' in best.of ? best.of.row : undefined;
    if (dbLead) dbLeadOfRow.set(line, dbLead);
    const update = same && best.likeness.reasons.includes('source_record') && !!dbLead;
    const action =
      policy === 'skip'
        ? 'skipped'
        : policy === 'create'
          ? 'created'
          : update
            ? 'updated'
            : 'merged';
    report.duplicates.push({
      row: line,
      of: best.of,
      reasons: best.likeness.reasons,
      kind: best.likeness.kind,
      differs: best.likeness.differs,
      action,
    });
    if (policy === 'skip') {
      report.skipped++;
      continue;
    }
    if (policy === 'create') {
      if (!same) report.possibleDuplicates++;
      toCreate.push({ row: line, draft, extra });
      continue;
    }
    // A row merging into an earlier row of the file merges into whatever that row is: the
    // existing lead it duplicates, or the lead it becomes.
    const earlierLead = earlierRow !== undefined ? dbLeadOfRow.get(earlierRow) : undefined;
    const into = earlierLead
      ? { lead: earlierLead, update: false }
      : earlierRow !== undefined
        ? { row: earlierRow }
        : { lead: dbLead!, update };
    toCreate.push({ row: line, draft, extra, into });
  }
  return toCreate;
}

/** The report's summaries of what the batches so far met. */
function finishReport({ report, markers, problems }: ImportSetup): void {
  report.emptyMarkers = [...markers]
    .map(([marker, count]) => ({ marker, count }))
    .sort((a, b) => b.count - a.count);
  report.problems = [...problems].map(([row, p]) => ({
    row,
    problems: p.problems,
    cells: p.cells,
  }));
}

/** The whole file checked at once: its setup and the rows to write. */
function plan(
  r: Reader,
  file: { encoding: string; table: ParsedTable },
  options: ImportOptions,
  progress: ImportProgress,
) {
  const setup = setupImport(r, file, options);
  return { setup, toCreate: planRows(r, setup, file.table.rows, options, progress) };
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

/** Files bigger than this (CSV/TSV text) are read in pieces and saved a batch at a time
 * (issue 21): holding a file whole costs ten times its size in memory. Smaller files keep
 * the one-transaction import (a cancel leaves the database as it was). */
export const STREAM_FROM_BYTES = 32 * 1024 * 1024;
/** Rows checked and saved per transaction of a file read in pieces: each write holds the
 * lock for well under a second, so a lead typed meanwhile waits at most that long. */
const STREAM_BATCH_ROWS = 5_000;
/** Rows written between merges of the leads' full-text index during such an import. */
const MERGE_INDEX_EVERY_ROWS = 100_000;

/** Imports a file on disk: a big CSV/TSV file in pieces, anything else read whole. */
export async function importLeadsFromFile(
  store: Store,
  file: string,
  options: ImportOptions,
  progress: ImportProgress = noProgress,
): Promise<ImportReport> {
  if (!(await readsInPieces(file, options)))
    return importLeads(store, await readWhole(file), options, progress);
  return importStreamed(store, file, options, progress);
}

/** The mapping step for a file on disk: a big file's first batch is checked as a sample
 * (a full dry run of a million rows would take as long as the import). */
export async function previewImportFromFile(
  store: Store,
  file: string,
  options: Omit<ImportOptions, 'dryRun'>,
  progress: ImportProgress = noProgress,
): Promise<ImportPreview> {
  if (!(await readsInPieces(file, options)))
    return previewImport(store, await readWhole(file), options, progress);
  progress('reading', 0, 0);
  const table = await openStreamed(file, options);
  const first = await table.batches.next();
  await table.batches.return(undefined);
  const rows = first.done ? [] : first.value.rows;
  const bytesRead = first.done ? table.bytes : first.value.bytesRead;
  const rowsRead = first.done ? rows.length : first.value.rowsRead;
  const preview = previewOf(
    store,
    { encoding: table.encoding, table: { delimiter: table.delimiter, header: table.header, rows } },
    options,
    progress,
  );
  return {
    ...preview,
    sampled: {
      checkedRows: rows.length,
      estimatedRows: Math.round((rowsRead * table.bytes) / Math.max(1, bytesRead)),
    },
  };
}

async function readsInPieces(
  file: string,
  options: Pick<ImportOptions, 'pieces'>,
): Promise<boolean> {
  const { size } = await fs.stat(file);
  return size > (options.pieces?.fromBytes ?? STREAM_FROM_BYTES) && (await isStreamableTable(file));
}

/** A file read whole (a workbook, a vCard file, a small CSV): refused as too large before
 * it is read, by the same rule decodeBytes applies. */
async function readWhole(file: string): Promise<Uint8Array> {
  const { size } = await fs.stat(file);
  if (size > IMPORT_LIMITS.maxBytes)
    throw asBadInput(
      new ImportFileError(
        'too_large',
        `the file is over ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB; save it as CSV or split it`,
      ),
    );
  return fs.readFile(file);
}

async function openStreamed(
  file: string,
  options: Pick<ImportOptions, 'pieces'>,
): Promise<StreamedTable> {
  try {
    const { size } = await fs.stat(file);
    if (size > IMPORT_LIMITS.maxStreamedBytes)
      throw new ImportFileError(
        'too_large',
        `the file is over ${IMPORT_LIMITS.maxStreamedBytes / 1024 / 1024} MB; split it`,
      );
    return await openCsvFile(file, { batchRows: options.pieces?.batchRows ?? STREAM_BATCH_ROWS });
  } catch (err) {
    throw asBadInput(err);
  }
}

function asBadInput(err: unknown): unknown {
  return err instanceof ImportFileError
    ? new ApiError('BAD_INPUT', `cannot import: ${err.message}`, [
        { path: 'file', message: err.message, code: err.code },
      ])
    : err;
}

/** A big file, a batch at a time: each batch is checked on a read snapshot (against the
 * database, where earlier batches already are) and saved in its own transaction, with the
 * import's history row brought up to date — so the app's own writes get the lock between
 * batches, memory holds one batch, and a stop keeps what was saved (the report says after
 * which row; undo removes it all). */
async function importStreamed(
  store: Store,
  file: string,
  given: ImportOptions,
  progress: ImportProgress,
): Promise<ImportReport> {
  let table = await openStreamed(file, given);
  const remembered = given.mapping ? null : rememberedMapping(store, table.header);
  const options = remembered ? { ...given, mapping: remembered } : given;
  const fileInfo = (rows: { line: number; cells: string[] }[]) => ({
    encoding: table.encoding,
    table: { delimiter: table.delimiter, header: table.header, rows },
  });
  if (options.allOrNothing && !options.dryRun) {
    // Every row is read once first: one rejected row means nothing is written.
    const rejected = await rejectedRows(store, table, fileInfo, options, progress);
    if (rejected) return rejected;
    table = await openStreamed(file, given);
  }
  store.optimizeSearchIndex(['leads']);
  let setup: ImportSetup | null = null;
  let batchId: string | null = null;
  let rowsSeen = 0;
  let savedThrough: number | null = null;
  let learn = false;
  let unmerged = 0;
  let committed: ReportMark | null = null;
  const counts = { created: 0, merged: 0, updated: 0 };
  const dry = { created: 0, merged: 0, updated: 0 };
  try {
    for await (const { rows, bytesRead, rowsRead } of table.batches) {
      const estimate = Math.max(
        rowsSeen + rows.length,
        Math.round((rowsRead * table.bytes) / Math.max(1, bytesRead)),
      );
      const inBatch: ImportProgress = (phase, done) =>
        progress('importing', rowsSeen + (phase === 'saving' ? done : 0), estimate);
      inBatch('checking', 0, rows.length);
      if (!setup) {
        setup = store.read((r) => setupImport(r, fileInfo(rows), options));
        setup.report.rows = 0;
      }
      const s = setup;
      // What the report held before this batch: a stop during it leaves the report (and
      // the history) saying what was saved, nothing of the batch rolled back.
      committed = reportMark(s.report);
      s.report.rows += rows.length;
      const toCreate = store.read((r) => planRows(r, s, rows, options, inBatch));
      if (options.dryRun) {
        const d = dryRunCounts(toCreate);
        dry.created += d.created;
        dry.merged += d.merged;
        dry.updated += d.updated;
      } else if (toCreate.length || batchId) {
        const inThis = { created: 0, merged: 0, updated: 0 };
        batchId = store.writeBulk((tx) => {
          const id = batchId ?? startBatch(tx, options.fileName, fileInfo([]), s);
          if (!batchId && given.mapping)
            store.setMeta(mappingKey(table.header), JSON.stringify(given.mapping));
          saveRows(tx, s, id, toCreate, inThis, inBatch);
          recordCounts(
            tx,
            id,
            {
              ...s.report,
              created: counts.created + inThis.created,
              merged: counts.merged + inThis.merged,
              updated: counts.updated + inThis.updated,
            },
            table.header,
          );
          return id;
        });
        counts.created += inThis.created;
        counts.merged += inThis.merged;
        counts.updated += inThis.updated;
        learn ||= withCustomOrOutcome(toCreate);
        // Every batch leaves the full-text index a few segments more, and every duplicate
        // lookup of the next batches searches each: merged again now and then, the
        // lookups stay two to four times faster (measured at 1 000 000 leads).
        if ((unmerged += toCreate.length) >= MERGE_INDEX_EVERY_ROWS) {
          store.optimizeSearchIndex(['leads']);
          unmerged = 0;
        }
      }
      rowsSeen += rows.length;
      savedThrough = rows[rows.length - 1]?.line ?? savedThrough;
      committed = null;
    }
  } catch (err) {
    // Stopped after some batches were saved: they stay (undo removes them), and the
    // report says so. Stopped before any: nothing was written — a plain cancel.
    if (!(err instanceof ImportCancelledError) || !batchId || !setup) throw asBadInput(err);
    if (committed) rollBackReport(setup.report, committed);
    for (const line of [...setup.problems.keys()])
      if (savedThrough === null || line > savedThrough) setup.problems.delete(line);
    finishReport(setup);
    return { ...setup.report, ...counts, batchId, stoppedAfterRow: savedThrough };
  } finally {
    await table.batches.return(undefined);
  }
  if (!setup) throw new ApiError('BAD_INPUT', 'cannot import: the file has a header but no rows');
  progress('importing', rowsSeen, rowsSeen);
  if (options.dryRun) return { ...setup.report, ...dry };
  if (batchId && (learn || setup.newFields.length)) rebuildModelAndRescore(store);
  return { ...setup.report, ...counts, batchId };
}

/** How far a report's counts and lists had got (before a batch). */
type ReportMark = ReturnType<typeof reportMark>;
function reportMark(r: ImportReport) {
  return {
    rows: r.rows,
    skipped: r.skipped,
    possibleDuplicates: r.possibleDuplicates,
    outcomes: { ...r.outcomes },
    warnings: r.warnings.length,
    rejected: r.rejected.length,
    duplicates: r.duplicates.length,
    conflicts: r.conflicts.length,
  };
}
function rollBackReport(r: ImportReport, m: ReportMark): void {
  r.rows = m.rows;
  r.skipped = m.skipped;
  r.possibleDuplicates = m.possibleDuplicates;
  r.outcomes = m.outcomes;
  r.warnings.length = m.warnings;
  r.rejected.length = m.rejected;
  r.duplicates.length = m.duplicates;
  r.conflicts.length = m.conflicts;
}

/** The all-or-nothing check of a file read in pieces: every row read as a draft; the
 * report with `aborted` when any is rejected, else null. */
async function rejectedRows(
  store: Store,
  table: StreamedTable,
  fileInfo: (rows: { line: number; cells: string[] }[]) => {
    encoding: string;
    table: ParsedTable;
  },
  options: ImportOptions,
  progress: ImportProgress,
): Promise<ImportReport | null> {
  let setup: ImportSetup | null = null;
  let seen = 0;
  try {
    for await (const { rows } of table.batches) {
      setup ??= store.read((r) => {
        const s = setupImport(r, fileInfo(rows), options);
        s.report.rows = 0;
        return s;
      });
      setup.report.rows += rows.length;
      for (const { line, cells } of rows) {
        if (++seen % PROGRESS_EVERY === 0) progress('reading', seen, 0);
        const result = rowToDraft(setup.ctx, cells);
        if ('reason' in result) setup.report.rejected.push({ row: line, ...result });
      }
    }
  } catch (err) {
    throw asBadInput(err);
  } finally {
    await table.batches.return(undefined);
  }
  return setup?.report.rejected.length ? { ...setup.report, aborted: true } : null;
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
  const { setup, toCreate } = store.read((r) => plan(r, file, options, progress));
  const { report } = setup;
  if (options.dryRun) return { ...report, ...dryRunCounts(toCreate) };
  if (options.allOrNothing && report.rejected.length) return { ...report, aborted: true };
  if (!toCreate.length) return report;
  const result = store.writeBulk((tx) => {
    const batchId = startBatch(tx, options.fileName, file, setup);
    const counts = { created: 0, merged: 0, updated: 0 };
    saveRows(tx, setup, batchId, toCreate, counts, progress);
    progress('saving', toCreate.length, toCreate.length);
    const done = { ...report, ...counts, batchId };
    if (given.mapping) store.setMeta(mappingKey(file.table.header), JSON.stringify(given.mapping));
    recordCounts(tx, batchId, done, file.table.header);
    return done;
  });
  // What a history brings (custom values, outcomes) is learned from at once: the model is
  // rebuilt and every lead rescored with it.
  if (result.batchId && (withCustomOrOutcome(toCreate) || setup.newFields.length))
    rebuildModelAndRescore(store);
  return result;
}

/** What a dry run would have done with the rows it planned. */
function dryRunCounts(toCreate: readonly PlannedRow[]) {
  const updated = toCreate.filter((c) => c.into && 'update' in c.into && c.into.update).length;
  const merged = toCreate.filter((c) => c.into).length - updated;
  return { created: toCreate.length - merged - updated, merged, updated };
}

/** Records the import in the history (undoable as one batch) and makes the custom fields
 * the file brings; answers the batch id. */
function startBatch(
  tx: WriteTx,
  fileName: string,
  file: { encoding: string; table: { delimiter: string; header: string[] } },
  setup: ImportSetup,
): string {
  const batchId = newId();
  tx.insertLocal('import_batches', {
    id: batchId,
    file: fileName,
    imported_at: tx.now,
    encoding: file.encoding,
    delimiter: file.table.delimiter,
    mapping: JSON.stringify(setup.mapping),
    counts: '{}',
    undone_at: null,
    problems: null,
  });
  for (const field of setup.newFields) saveCustomFieldIn(tx, field);
  return batchId;
}

/** The batch's counts and problem rows as they stand (after each batch of a file read in
 * pieces, so a stopped import's history is right). */
function recordCounts(
  tx: WriteTx,
  batchId: string,
  done: ImportReport,
  header?: readonly string[],
): void {
  tx.updateLocal(
    'import_batches',
    { column: 'id', value: batchId },
    {
      counts: JSON.stringify({
        rows: done.rows,
        created: done.created,
        updated: done.updated,
        merged: done.merged,
        skipped: done.skipped,
        possibleDuplicates: done.possibleDuplicates,
        warnings: done.warnings.length,
        rejected: done.rejected.length,
      }),
      problems: done.problems.length
        ? JSON.stringify({
            header: header ?? done.mapping.map((m) => m.header),
            rows: done.problems,
          })
        : null,
    },
  );
}

/** Writes planned rows: each created, or merged into (or updating) the lead it is. */
function saveRows(
  tx: WriteTx,
  setup: ImportSetup,
  batchId: string,
  toCreate: readonly PlannedRow[],
  counts: { created: number; merged: number; updated: number },
  progress: ImportProgress,
): void {
  const { report } = setup;
  // New leads without an owner go where the assignment rules send them, the whole batch
  // balanced as one (round-robin turns and loads carried from row to row).
  const assignConfig = readAssignmentConfig(tx);
  const assigner =
    assignConfig.onImport && (assignConfig.rules.length || assignConfig.defaultOwnerId)
      ? new AssignmentBatch(tx, assignConfig)
      : null;
  // Row → the lead it became (created, or merged into), for later rows merging into it.
  const leadOfRow = new Map<number, string>();
  const fields = listCustomFields(tx);
  for (const [i, { row, draft, into, extra }] of toCreate.entries()) {
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
      if (Object.keys(patch).length) updateLeadIn(tx, target, patch);
      const filled = fillCustomValues(tx, target, extra.custom, fields, (c) =>
        report.conflicts.push({ row, ...c }),
      );
      // What the merge changed, so undo can put back what nobody has edited since
      // (custom values as `cf.<key>`: they were empty before).
      const changed = { ...patch, ...filled };
      if (Object.keys(changed).length)
        tx.insertLocal('import_batch_leads', {
          batch_id: batchId,
          row,
          lead_id: target,
          action: 'merged',
          before: JSON.stringify(
            Object.fromEntries(Object.keys(changed).map((f) => [f, existing[f] ?? null])),
          ),
          after: JSON.stringify(changed),
        });
      const isUpdate = !!into && 'update' in into && into.update;
      // A newer history says the lead was won since: it is recorded as converted.
      if (isUpdate && extra.outcome === 'won') markConverted(tx, target);
      leadOfRow.set(row, target);
      if (isUpdate) counts.updated++;
      else counts.merged++;
      continue;
    }
    if (assigner && draft.owner_id == null) assignWithCustom(assigner, draft, extra.custom, fields);
    const leadId = createLeadIn(tx, draft);
    if (Object.keys(extra.custom).length) setCustomValuesIn(tx, leadId, extra.custom, fields);
    if (extra.outcome === 'won') markConverted(tx, leadId);
    leadOfRow.set(row, leadId);
    counts.created++;
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
}

/** Assigns a new lead as the rules say, a condition on a custom field reading the row's
 * value (the lead's values are written right after it is created). */
function assignWithCustom(
  assigner: AssignmentBatch,
  draft: Draft,
  custom: Record<string, string>,
  fields: readonly CustomField[],
): void {
  if (!Object.keys(custom).length) return void assigner.assign(draft);
  const probe: Record<string, unknown> = { ...draft };
  for (const f of fields)
    if (custom[f.key] !== undefined)
      probe[customFieldName(f.key)] = f.type === 'number' ? Number(custom[f.key]) : custom[f.key];
  if (!assigner.assign(probe)) return;
  for (const k of ['owner_id', 'assigned_rule_id', 'assigned_at'])
    if (k in probe) draft[k] = probe[k];
}

const withCustomOrOutcome = (rows: readonly PlannedRow[]) =>
  rows.some((c) => c.extra.outcome || Object.keys(c.extra.custom).length);

/** A history's won lead: recorded as converted when it was imported (it became a customer
 * before Leadbook; no opportunity of its own). */
function markConverted(tx: WriteTx, leadId: string): void {
  const lead = getRecord(tx, 'leads', leadId);
  if (lead.status === 'converted') return;
  tx.update('leads', leadId, {
    status: 'converted',
    converted_at: tx.now,
    disqualify_reason: null,
  });
}

/** Custom values of a row merged into a lead: those the lead lacks are filled, a
 * different value is reported and the lead's kept. Answers what was filled, as
 * `cf.<key>` → value. */
function fillCustomValues(
  tx: WriteTx,
  leadId: string,
  values: Record<string, string>,
  fields: readonly CustomField[],
  conflict: (c: { field: string; kept: unknown; offered: unknown }) => void,
): Record<string, string> {
  if (!Object.keys(values).length) return {};
  const have = customValuesOf(tx, [leadId]).get(leadId) ?? {};
  const fill: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (have[key] === undefined) fill[key] = value;
    else if (have[key] !== value)
      conflict({ field: customFieldName(key), kept: have[key], offered: value });
  }
  if (Object.keys(fill).length) setCustomValuesIn(tx, leadId, fill, fields);
  return Object.fromEntries(Object.entries(fill).map(([k, v]) => [customFieldName(k), v]));
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
      const own = Object.entries(before).filter(([f]) => !isCustomFieldName(f));
      const back = Object.fromEntries(own.filter(([f]) => lead[f] === after[f]));
      let put = Object.keys(back).length > 0 && tx.update('leads', entry.lead_id, back);
      // Custom values the merge filled are cleared again, unless edited since.
      const values = customValuesOf(tx, [entry.lead_id]).get(entry.lead_id) ?? {};
      const clear = Object.fromEntries(
        Object.keys(before)
          .filter((f) => isCustomFieldName(f) && values[f.slice(3)] === after[f])
          .map((f) => [f.slice(3), null]),
      );
      if (Object.keys(clear).length && setCustomValuesIn(tx, entry.lead_id, clear)) {
        rescoreLeadIn(tx, entry.lead_id);
        put = true;
      }
      if (put) restored++;
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
  return previewOf(store, await readFile(bytes, progress), options, progress);
}

function previewOf(
  store: Store,
  file: ReadFile,
  options: Omit<ImportOptions, 'dryRun'>,
  progress: ImportProgress,
): ImportPreview {
  const report = importTable(store, file, { ...options, dryRun: true }, progress);
  // The distinct values of the status and source columns (at most 100 of each), so the
  // user can correct how they are read.
  const column = (target: 'status' | 'source') =>
    report.mapping.findIndex((m) => m.target === target);
  const distinct = (i: number) =>
    i < 0
      ? []
      : [
          ...new Set(file.table.rows.map((r) => readCell(r.cells[i] ?? '').value).filter(Boolean)),
        ].slice(0, 100);
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

/** The warned and rejected rows of an import as a CSV to fix and import again: the file's
 * own columns, then "Leadbook row" and "Leadbook problem" (which the importer ignores
 * when the fixed file comes back). */
export function problemsCsv(header: readonly string[], rows: readonly ImportProblemRow[]): string {
  const width = Math.max(header.length, ...rows.map((r) => r.cells.length));
  const columns = [
    ...Array.from({ length: width }, (_, i) => header[i] ?? `Column ${i + 1}`),
    'Leadbook row',
    'Leadbook problem',
  ];
  return toCsv(
    columns,
    rows.map((r) =>
      Object.fromEntries([
        ...columns.slice(0, width).map((c, i) => [c, r.cells[i] ?? ''] as const),
        ['Leadbook row', r.row] as const,
        ['Leadbook problem', r.problems.join('; ')] as const,
      ]),
    ),
  );
}

/** The problems CSV of an import in the history. */
export function importProblems(r: Reader, batchId: string): { fileName: string; text: string } {
  const batch = r.first(r.qb.selectFrom('import_batches').selectAll().where('id', '=', batchId));
  if (!batch) throw new ApiError('NOT_FOUND', `import batch ${batchId} not found`);
  const saved = batch.problems
    ? (JSON.parse(batch.problems) as { header: string[]; rows: ImportProblemRow[] })
    : { header: [], rows: [] };
  const base = batch.file.replace(/\.[^.]+$/, '');
  return { fileName: `${base}-problems.csv`, text: problemsCsv(saved.header, saved.rows) };
}
