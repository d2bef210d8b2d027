// Importing leads from files: what the API takes and answers.
import { z } from 'zod';
import { leadSources, leadStatuses, type LeadSource, type LeadStatus } from './enums.js';
import type { CustomFieldType } from './entities.js';
import type { ApiErrorShape, ApiIssue } from './errors.js';
import type { DuplicateReason } from './duplicates.js';
import { idSchema } from './fields.js';

/** Lead fields a column of an import can fill. */
export const importFields = [
  'name',
  'given_name',
  'family_name',
  'company',
  'title',
  'email',
  'phone',
  'mobile',
  'wechat',
  'website',
  'industry',
  'city',
  'region',
  'country',
  'address',
  'source',
  'status',
  'notes',
  'tags',
  'budget',
  'authority',
  'need',
  'timeline',
  'next_step',
  'next_step_date',
  'disqualify_reason',
  'other_phones',
  'other_emails',
  'owner_id',
  'source_record_id',
  'outcome',
  'budget_amount',
  'currency',
] as const;
export type ImportField = (typeof importFields)[number];
/** A column's target: a lead field, the notes ("Header: value" lines), a new custom field
 * made from the column ('custom': named after its header, typed by its values), an
 * existing custom field (`cf.<key>`), or nothing. `outcome` is a history's won/lost
 * column (Converted 0/1, yes/no). */
export type ColumnTarget = ImportField | 'note' | 'custom' | `cf.${string}` | null;
export const columnTargetSchema = z.union([
  z.enum(importFields),
  z.literal('note'),
  z.literal('custom'),
  z
    .string()
    .regex(/^cf\.[a-z][a-z0-9_]{0,39}$/, 'must name a custom field')
    .transform((s) => s as `cf.${string}`),
  z.null(),
]);

/** A custom field an import fills: one that exists, or one it makes from a column. */
export interface ImportCustomField {
  header: string;
  key: string;
  label: string;
  type: CustomFieldType;
  /** Made by this import (on a dry run: would be). */
  isNew: boolean;
}

/** What to do with a row that is the same person as a lead (or an earlier row): merge it
 * in (fill empty fields), skip it, or create it anyway. Rows only *alike* (a possible
 * duplicate) are created unless the user chose otherwise for that row. */
export const duplicatePolicies = ['merge', 'skip', 'create'] as const;
export type DuplicatePolicy = (typeof duplicatePolicies)[number];

/** A file travels as base64 (JSON carries no bytes); 64 MiB of file at most. */
export const importInput = z.strictObject({
  fileName: z.string().trim().min(1).max(255),
  content: z.base64().max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 4),
  mapping: z.array(columnTargetSchema).max(200).optional(),
  onDuplicate: z.enum(duplicatePolicies).default('merge'),
  /** Per duplicate row (its number in the file), the user's choice over `onDuplicate`. */
  rowActions: z
    .record(z.string().regex(/^[1-9]\d{0,7}$/, 'must be a row number'), z.enum(duplicatePolicies))
    .optional(),
  /** The user's own reading of status and source values (raw text → Leadbook value, or
   * null for "none"), over the automatic one. */
  values: z
    .strictObject({
      status: z.record(z.string().max(200), z.enum(leadStatuses).nullable()).optional(),
      source: z.record(z.string().max(200), z.enum(leadSources).nullable()).optional(),
    })
    .optional(),
  allOrNothing: z.boolean().default(false),
});

/** A row that cannot be a lead: `reason` in English for logs and the CLI, the rest for
 * a UI to word it in the user's language. */
export interface ImportRejection {
  row: number;
  reason: string;
  kind: 'no_identity' | 'field' | 'cells';
  field?: string;
  issue?: ApiIssue;
  cells?: number;
  columns?: number;
}

/** A value the importer kept but could not read as its field (a phone cell saying "on
 * facebook", an email without @, a date nobody can read, a cell beyond the header, an owner
 * who is not on the team): the row was imported, the value kept in the notes under its
 * column's name, and the user is told. */
export interface ImportWarning {
  row: number;
  /** The column's header (or "Column 9" for a cell beyond the header). */
  column: string;
  value: string;
  kind: 'phone' | 'email' | 'date' | 'field' | 'extra_cells' | 'owner' | 'phone_check';
  /** The field the value was meant for. */
  field?: string;
  /** In English, for logs, the CLI and the problems CSV. */
  reason: string;
}

/** A row of the file the file-wide report points at, with its cells as read: the rows
 * with warnings or rejected, to be handed back as a CSV to fix. */
export interface ImportProblemRow {
  row: number;
  problems: string[];
  cells: string[];
}

export interface ImportReport {
  file: string;
  encoding: string;
  delimiter: string;
  mapping: { header: string; target: ColumnTarget }[];
  /** Headers the mapping did not recognise (their columns go to the notes, or become
   * custom fields). */
  unrecognized: string[];
  /** Columns kept as custom fields. */
  customFields: ImportCustomField[];
  /** Rows of a history marked won (converted) and lost (disqualified) by an outcome
   * column. */
  outcomes: { won: number; lost: number };
  /** Cells that meant "empty" (`null`, `#N/A`, 无 …), by what they said. */
  emptyMarkers: { marker: string; count: number }[];
  rows: number;
  created: number;
  /** Existing leads found by their source record id (a re-import) and brought up to date. */
  updated: number;
  merged: number;
  skipped: number;
  /** Rows created although they look like an existing lead or an earlier row: listed
   * on the Duplicates page for a person to merge or dismiss. */
  possibleDuplicates: number;
  warnings: ImportWarning[];
  rejected: ImportRejection[];
  duplicates: {
    row: number;
    of: { lead: string; name: string } | { row: number };
    reasons: DuplicateReason[];
    /** `same`: the same person (strong identifier, nothing disagrees); `possible`: only
     * alike, created unless the user says otherwise. */
    kind: 'same' | 'possible';
    /** Identifying fields that disagree between the two. */
    differs: ('name' | 'email' | 'phone' | 'company')[];
    action: 'skipped' | 'created' | 'merged' | 'updated';
  }[];
  /** Merged rows whose values differed from the lead's: the lead's were kept. */
  conflicts: { row: number; field: string; kept: unknown; offered: unknown }[];
  /** The warned and rejected rows with their cells (at most `IMPORT_PROBLEM_ROWS`). */
  problems: ImportProblemRow[];
  /** Set when rows were written (not on a dry run or an all-or-nothing refusal). */
  batchId: string | null;
  /** True when all-or-nothing refused the whole file because of rejected rows. */
  aborted: boolean;
  /** A big file (saved a batch at a time) was stopped: rows up to this row number were
   * saved and stay — undoing the import removes them. */
  stoppedAfterRow?: number | null;
}

/** Rows with problems a report carries with their cells. */
export const IMPORT_PROBLEM_ROWS = 20_000;

export interface ValueMappings {
  status?: Record<string, LeadStatus | null>;
  source?: Record<string, LeadSource | null>;
}

/** A dry run plus what the mapping step shows: the first rows as read, and the distinct
 * status and source values of the file with what they will become. */
export interface ImportPreview extends ImportReport {
  sample: string[][];
  /** A big file's preview checks its first rows only: how many, of about how many. */
  sampled?: { checkedRows: number; estimatedRows: number };
  values: {
    status: { raw: string; value: LeadStatus | null }[];
    source: { raw: string; value: LeadSource | null }[];
  };
}

export interface ImportBatchSummary {
  id: string;
  file: string;
  importedAt: number;
  counts: Record<string, number>;
  undoneAt: number | null;
}

/** An import (or its preview) running in the background: started by `imports.start`,
 * followed with `imports.job`, stopped with `imports.cancel`. */
export const importJobPhases = [
  'reading',
  'checking',
  'saving',
  /** A big file: checked and saved a batch at a time; `done` of about `total` rows. */
  'importing',
  'done',
  'failed',
  'cancelled',
] as const;
export type ImportJobPhase = (typeof importJobPhases)[number];

export const importJobInput = importInput
  .extend({
    /** The file whole (up to 64 MiB), or … */
    content: importInput.shape.content.optional(),
    /** … an upload sent in chunks (`imports.upload`): a file of any size up to 2 GiB. */
    upload: idSchema.optional(),
    /** A preview (the mapping step's dry run) instead of the import itself. */
    preview: z.boolean().default(false),
  })
  .refine((v) => (v.content === undefined) !== (v.upload === undefined), {
    message: 'give the file as content or as an upload, not both',
    path: ['content'],
  });

/** A chunk of a big file on its way to an import: at `offset` (the bytes sent so far) of
 * the upload `id` (a new upload without one). */
export const IMPORT_UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
export const importUploadInput = z.strictObject({
  id: idSchema.optional(),
  offset: z.number().int().min(0),
  chunk: z.base64().max(Math.ceil((IMPORT_UPLOAD_CHUNK_BYTES * 4) / 3) + 4),
});

export interface ImportJobState {
  id: string;
  kind: 'preview' | 'run';
  fileName: string;
  phase: ImportJobPhase;
  /** Rows done in the current phase, of `total` (0 while the file is being read). */
  done: number;
  total: number;
  startedAt: number;
  /** Estimated milliseconds left, once enough is done to say. */
  etaMs: number | null;
  preview?: ImportPreview;
  report?: ImportReport;
  error?: ApiErrorShape;
}
