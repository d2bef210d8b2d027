// How a new record's values join an existing one (import "merge", later the merge screen):
// empty fields are filled, a non-empty value is never overwritten — the difference is
// reported instead — notes are appended, tags combined.
import { parseTags } from '../contract/fields.js';

export interface MergeConflict {
  field: string;
  kept: unknown;
  offered: unknown;
}

export interface MergePlan {
  /** Fields to set on the existing record. */
  patch: Record<string, unknown>;
  /** Fields where both had a different value: the existing one was kept. */
  conflicts: MergeConflict[];
}

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** Both sides hold stored-form values (tags as a JSON list, as the schema outputs); so
 * does the patch. */
export function planMerge(
  existing: Readonly<Record<string, unknown>>,
  incoming: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): MergePlan {
  const patch: Record<string, unknown> = {};
  const conflicts: MergeConflict[] = [];
  for (const field of fields) {
    const offered = incoming[field];
    if (empty(offered)) continue;
    const kept = existing[field];
    if (field === 'notes') {
      const have = typeof kept === 'string' ? kept : '';
      if (!have.includes(String(offered)))
        patch.notes = have ? `${have}\n${String(offered)}` : offered;
    } else if (field === 'tags') {
      const have = parseTags(kept as string | null);
      const all = [...new Set([...have, ...parseTags(offered as string)])];
      if (all.length !== have.length) patch.tags = JSON.stringify(all);
    } else if (empty(kept)) {
      patch[field] = offered;
    } else if (String(kept).toLowerCase() !== String(offered).toLowerCase()) {
      conflicts.push({ field, kept, offered });
    }
  }
  return { patch, conflicts };
}
