// Editing the pipeline's stages (F7): the whole list saved at once, in order, validated
// (at least one open, one won and one lost stage); a stage removed only through
// `removeStage`, which first moves the deals it holds to a stage the user chose — each
// move recorded in the stage history like any other.
import { ApiError, type StageRow, type stagesInputSchema } from '../contract/index.js';
import type { z } from 'zod';
import { rankBetween } from '../domain/rank.js';
import type { Reader } from '../store/readQuery.js';
import type { Store } from '../store/store.js';
import { updateOpportunityIn } from './opportunities.js';

export function liveStages(r: Reader): StageRow[] {
  return r.all(
    r.qb
      .selectFrom('stages')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('id'),
  );
}

export function saveStages(store: Store, input: z.output<typeof stagesInputSchema>): StageRow[] {
  return store.write((tx) => {
    const existing = new Map(liveStages(tx).map((s) => [s.id, s]));
    const listed = new Set(input.stages.map((s) => s.id).filter(Boolean));
    const missing = [...existing.keys()].filter((id) => !listed.has(id));
    if (missing.length)
      throw new ApiError('BAD_INPUT', 'a stage left out must be removed (its deals moved first)', [
        { path: 'stages', message: 'remove stages one by one' },
      ]);
    input.stages.forEach((s, i) => {
      const values = {
        name_zh: s.name_zh,
        name_en: s.name_en,
        probability: s.probability,
        kind: s.kind,
        stale_days: s.stale_days,
        sort_order: (i + 1) * 10,
      };
      const row = s.id ? existing.get(s.id) : undefined;
      if (s.id && !row)
        throw new ApiError('BAD_INPUT', `stage ${s.id} does not exist`, [
          { path: `stages.${i}.id`, message: 'unknown stage' },
        ]);
      if (!row) {
        tx.insert('stages', { ...values, active: 1 });
        return;
      }
      const patch: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) if (row[k as keyof StageRow] !== v) patch[k] = v;
      if (Object.keys(patch).length) tx.update('stages', row.id, patch);
    });
    return liveStages(tx);
  });
}

/** Removes a stage; the deals in it go to `moveTo` (at the end of its column). */
export function removeStage(
  store: Store,
  input: { id: string; moveTo?: string | undefined },
): { moved: number } {
  return store.write((tx) => {
    const stages = liveStages(tx);
    const stage = stages.find((s) => s.id === input.id);
    if (!stage) throw new ApiError('NOT_FOUND', `stage ${input.id} not found`);
    if (!stages.some((s) => s.id !== stage.id && s.kind === stage.kind))
      throw new ApiError('CONFLICT', `the pipeline needs a ${stage.kind} stage`, [
        { path: 'id', message: `last ${stage.kind} stage` },
      ]);
    const deals = tx.all(
      tx.qb
        .selectFrom('opportunities')
        .select('id')
        .where('stage_id', '=', stage.id)
        .where('deleted_at', 'is', null)
        .orderBy('stage_position'),
    );
    if (deals.length) {
      // Deals stay open, won or lost as they were: a lost deal keeps its reason, and an
      // open one is not closed by a settings change.
      const target = stages.find(
        (s) => s.id === input.moveTo && s.id !== stage.id && s.kind === stage.kind,
      );
      if (!target)
        throw new ApiError(
          'CONFLICT',
          `the stage holds ${deals.length} opportunities; choose where to move them`,
          [{ path: 'moveTo', message: `${deals.length} to move` }],
        );
      const last = tx.first(
        tx.qb
          .selectFrom('opportunities')
          .select('stage_position')
          .where('stage_id', '=', target.id)
          .orderBy('stage_position', 'desc')
          .limit(1),
      )?.stage_position;
      let rank: string | null = last ? last.slice(last.indexOf(':') + 1) : null;
      for (const d of deals) {
        rank = rankBetween(rank, null);
        updateOpportunityIn(tx, d.id, { stage_position: `${target.id}:${rank}` });
      }
    }
    tx.softDelete('stages', stage.id);
    return { moved: deals.length };
  });
}
