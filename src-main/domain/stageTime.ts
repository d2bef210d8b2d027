// What a deal's stage says about it: the probability it counts with (the stage's default
// unless the rep overrode it) and how long it spent in each stage (from its append-only
// stage history). Pure, so the board, the detail and the reports agree.
import type { StageTime } from '../contract/pipeline.js';

export interface EffectiveProbability {
  /** 0–100. */
  value: number;
  /** True when the rep's override is used instead of the stage's default. */
  overridden: boolean;
}

export function effectiveProbability(
  stageProbability: number | null | undefined,
  override: number | null | undefined,
): EffectiveProbability {
  if (override !== null && override !== undefined) return { value: override, overridden: true };
  return { value: stageProbability ?? 0, overridden: false };
}

export interface StageEntry {
  to_stage_id: string | null;
  changed_at: number;
}

/**
 * Time in each stage, in the order the stages were first entered. Each entry lasts until
 * the next one; the last lasts until `now` — except in a closed stage (won/lost), where
 * time stops counting: a deal lost a year ago did not spend a year "in" 丢单.
 * Entries are ordered by time here (two laptops' moves arrive in any order).
 */
export function timeInStages(
  history: readonly StageEntry[],
  now: number,
  isClosedStage: (stageId: string) => boolean,
): StageTime[] {
  const entries = history
    .filter((h): h is StageEntry & { to_stage_id: string } => h.to_stage_id !== null)
    .slice()
    .sort((a, b) => a.changed_at - b.changed_at);
  const byStage = new Map<string, StageTime>();
  entries.forEach((entry, i) => {
    const next = entries[i + 1];
    const last = next === undefined;
    const end = last
      ? isClosedStage(entry.to_stage_id)
        ? entry.changed_at
        : now
      : next.changed_at;
    const time = byStage.get(entry.to_stage_id) ?? {
      stageId: entry.to_stage_id,
      ms: 0,
      entries: 0,
      current: false,
    };
    time.ms += Math.max(0, end - entry.changed_at);
    time.entries += 1;
    time.current = last;
    byStage.set(entry.to_stage_id, time);
  });
  return [...byStage.values()];
}
