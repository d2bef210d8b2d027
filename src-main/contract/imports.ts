// Importing leads from files: what the API takes and answers.
import { z } from 'zod';
import { leadSources, leadStatuses, type LeadSource, type LeadStatus } from './enums.js';
import type { ApiErrorShape, ApiIssue } from './errors.js';
import type { DuplicateReason } from './procedures.js';

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
] as const;
export type ImportField = (typeof importFields)[number];
/** A column's target: a lead field, the notes ("Header: value" lines), or nothing. */
export type ColumnTarget = ImportField | 'note' | null;
export const columnTargetSchema = z.union([z.enum(importFields), z.literal('note'), z.null()]);

export const duplicatePolicies = ['skip', 'create', 'merge'] as const;
export type DuplicatePolicy = (typeof duplicatePolicies)[number];

/** A file travels as base64 (JSON carries no bytes); 64 MiB of file at most. */
export const importInput = z.strictObject({
  fileName: z.string().trim().min(1).max(255),
  content: z.base64().max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 4),
  mapping: z.array(columnTargetSchema).max(200).optional(),
  onDuplicate: z.enum(duplicatePolicies).default('skip'),
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

export interface ImportReport {
  file: string;
  encoding: string;
  delimiter: string;
  mapping: { header: string; target: ColumnTarget }[];
  rows: number;
  created: number;
  merged: number;
  skipped: number;
  rejected: ImportRejection[];
  duplicates: {
    row: number;
    of: { lead: string; name: string } | { row: number };
    reasons: DuplicateReason[];
    action: 'skipped' | 'created' | 'merged';
  }[];
  /** Merged rows whose values differed from the lead's: the lead's were kept. */
  conflicts: { row: number; field: string; kept: unknown; offered: unknown }[];
  /** Set when rows were written (not on a dry run or an all-or-nothing refusal). */
  batchId: string | null;
  /** True when all-or-nothing refused the whole file because of rejected rows. */
  aborted: boolean;
}

export interface ValueMappings {
  status?: Record<string, LeadStatus | null>;
  source?: Record<string, LeadSource | null>;
}

/** A dry run plus what the mapping step shows: the first rows as read, and the distinct
 * status and source values of the file with what they will become. */
export interface ImportPreview extends ImportReport {
  sample: string[][];
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
  'done',
  'failed',
  'cancelled',
] as const;
export type ImportJobPhase = (typeof importJobPhases)[number];

export const importJobInput = importInput.extend({
  /** A preview (the mapping step's dry run) instead of the import itself. */
  preview: z.boolean().default(false),
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
