// Lead scores (F4) as derived columns: computed here from the team's scoring configuration
// (a synced setting), the lead, its activities and the predictive model (learned on this
// device from the team's closed leads, kept in the local meta table), and written with
// `setDerived` — never logged, never synced; every device computes the same.
import {
  defaultScoringConfig,
  scoringConfigSchema,
  type ActivityKind,
  type ModelSummary,
  type ScoreBreakdown,
  type ScoringConfig,
} from '../contract/index.js';
import type { ScorableLead } from '../domain/leadFeatures.js';
import {
  addExample,
  emptyModel,
  hasEnoughHistory,
  predict,
  trainModel,
  type PredictiveModel,
} from '../domain/predictive.js';
import { scoreLead, type ScorableActivity } from '../domain/scoring.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { writeSetting } from './settings.js';

const CONFIG_ID = 'scoring.config';
const MODEL_KEY = 'scoring.model';

/** The team's scoring configuration; the defaults until someone changes it, and the
 * defaults again if a stored one no longer validates (written by another version). */
export function readScoringConfig(r: Reader): ScoringConfig {
  return r.derived('scoringConfig', ['settings'], () => {
    const row = r.first(
      r.qb
        .selectFrom('settings')
        .select('value')
        .where('id', '=', CONFIG_ID)
        .where('deleted_at', 'is', null),
    );
    if (!row?.value) return defaultScoringConfig;
    try {
      const parsed = scoringConfigSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : defaultScoringConfig;
    } catch {
      return defaultScoringConfig;
    }
  });
}

/** Saves a new configuration and rescores every lead with it, in one transaction. */
export function updateScoringConfig(store: Store, config: ScoringConfig): ScoringConfig {
  return store.write((tx) => {
    writeSetting(tx, CONFIG_ID, JSON.stringify(config));
    const saved = readScoringConfig(tx);
    // Other fields to learn from: the model is learned again before anything is rescored.
    const model = loadModel(tx, saved.predictive.fields);
    if (JSON.stringify(model.fields) !== JSON.stringify(saved.predictive.fields))
      saveModel(tx, trainModel(closedLeads(tx), saved.predictive.fields));
    rescoreAllIn(tx, saved);
    return saved;
  });
}

// ---- the predictive model ----

let cachedModel: { json: string; model: PredictiveModel } | null = null;

/** The stored model, parsed once per stored version. */
function loadModel(r: Reader, fields: ScoringConfig['predictive']['fields']): PredictiveModel {
  const json =
    r.first(r.qb.selectFrom('meta').select('value').where('key', '=', MODEL_KEY))?.value ?? '';
  if (cachedModel?.json === json) return cachedModel.model;
  let model: PredictiveModel;
  try {
    model = json ? (JSON.parse(json) as PredictiveModel) : emptyModel(fields);
    if (model.version !== 1) model = emptyModel(fields);
  } catch {
    model = emptyModel(fields);
  }
  cachedModel = { json, model };
  return model;
}

/** A closed lead's outcome: converted is won unless its opportunity was lost since;
 * unqualified is lost; open leads teach nothing yet. */
function closedLeads(r: Reader): { lead: ScorableLead; won: boolean }[] {
  const rows = r.all(
    r.qb
      .selectFrom('leads')
      .leftJoin('opportunities', 'opportunities.id', 'leads.converted_opportunity_id')
      .leftJoin('stages', 'stages.id', 'opportunities.stage_id')
      .selectAll('leads')
      .select('stages.kind as stage_kind')
      .where('leads.deleted_at', 'is', null)
      .where('leads.status', 'in', ['converted', 'unqualified']),
  );
  return rows.map((row) => ({
    lead: row as unknown as ScorableLead,
    won: row.status === 'converted' && row.stage_kind !== 'lost',
  }));
}

/** Learns the model again from every closed lead (on demand, and when the chosen fields
 * change). */
export function rebuildModel(store: Store): PredictiveModel {
  const model = store.read((r) =>
    trainModel(closedLeads(r), readScoringConfig(r).predictive.fields),
  );
  saveModel(store, model);
  return model;
}

function saveModel(to: Pick<Store, 'setMeta'>, model: PredictiveModel): void {
  to.setMeta(MODEL_KEY, JSON.stringify(model));
}

type Outcome = 'won' | 'lost' | null;
const outcomeOf = (lead: Record<string, unknown>, stageKind: unknown): Outcome =>
  lead.deleted_at != null
    ? null
    : lead.status === 'unqualified'
      ? 'lost'
      : lead.status === 'converted'
        ? stageKind === 'lost'
          ? 'lost'
          : 'won'
        : null;

/** Learns from a lead the moment it closes (or forgets it when it reopens): the model
 * stays current between full rebuilds. */
export function learnFromLeadChange(
  tx: WriteTx,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  const was = outcomeOf(before, null);
  const now = outcomeOf(after, null);
  if (was === now) return;
  const config = readScoringConfig(tx);
  const model = structuredClone(loadModel(tx, config.predictive.fields));
  if (was) addExample(model, before as ScorableLead, was === 'won', -1);
  if (now) addExample(model, after as ScorableLead, now === 'won');
  saveModel(tx, model);
}

// ---- scoring ----

export interface ScoringContext {
  config: ScoringConfig;
  model: PredictiveModel;
  now: number;
}

export function scoringContext(r: Reader, now: number): ScoringContext {
  const config = readScoringConfig(r);
  return { config, model: loadModel(r, config.predictive.fields), now };
}

/** The score of one lead in a given context (no writes). */
export function computeScore(
  ctx: ScoringContext,
  lead: ScorableLead,
  activities: readonly ScorableActivity[],
): ScoreBreakdown {
  const prediction = hasEnoughHistory(ctx.model, ctx.config.predictive.minClosed)
    ? predict(ctx.model, lead, ctx.config.predictive.minClosed)
    : null;
  return scoreLead(lead, activities, ctx.config, prediction, ctx.now);
}

function activitiesOf(r: Reader, leadId: string): ScorableActivity[] {
  return r
    .all(
      r.qb
        .selectFrom('activities')
        .select(['kind', 'occurred_at', 'done_at', 'created_at'])
        .where('lead_id', '=', leadId)
        .where('deleted_at', 'is', null),
    )
    .map(asActivity);
}

const asActivity = (a: {
  kind: ActivityKind | null;
  occurred_at: number | null;
  done_at: number | null;
  created_at: number;
}): ScorableActivity => ({
  // A kind from a newer version counts as a note.
  kind: a.kind ?? 'note',
  at: a.occurred_at ?? a.done_at ?? a.created_at,
});

function writeScore(tx: WriteTx, id: string, s: ScoreBreakdown): void {
  tx.setDerived('leads', id, {
    score: s.score,
    grade: s.grade,
    score_breakdown: JSON.stringify(s),
    predicted_probability: s.predictive?.probability ?? null,
    scored_at: tx.now,
  });
}

/** Rescores one lead inside the transaction that changed it or its activities. */
export function rescoreLeadIn(tx: WriteTx, leadId: string): void {
  const lead = tx.first(tx.qb.selectFrom('leads').selectAll().where('id', '=', leadId));
  if (!lead) return;
  const ctx = scoringContext(tx, tx.now);
  writeScore(
    tx,
    leadId,
    computeScore(ctx, lead as unknown as ScorableLead, activitiesOf(tx, leadId)),
  );
}

const RESCORE_PAGE = 5000;

/** Rescores every live lead (the configuration or the model changed). Leads and their
 * activities are read in pages in rowid order; activities are grouped per page with one
 * query, not one per lead. */
export function rescoreAllIn(
  tx: WriteTx,
  config: ScoringConfig = readScoringConfig(tx),
  progress: (done: number) => void = () => {},
): number {
  const ctx: ScoringContext = {
    config,
    model: loadModel(tx, config.predictive.fields),
    now: tx.now,
  };
  let after = '';
  let done = 0;
  for (;;) {
    const leads = tx.all(
      tx.qb
        .selectFrom('leads')
        .selectAll()
        .where('deleted_at', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(RESCORE_PAGE),
    );
    if (!leads.length) break;
    const byLead = new Map<string, ScorableActivity[]>();
    const acts = tx.all(
      tx.qb
        .selectFrom('activities')
        .select(['lead_id', 'kind', 'occurred_at', 'done_at', 'created_at'])
        .where('deleted_at', 'is', null)
        .where('lead_id', '>=', leads[0]!.id)
        .where('lead_id', '<=', leads[leads.length - 1]!.id),
    );
    for (const a of acts) {
      if (!a.lead_id) continue;
      const list = byLead.get(a.lead_id) ?? [];
      list.push(asActivity(a));
      byLead.set(a.lead_id, list);
    }
    for (const lead of leads) {
      writeScore(
        tx,
        lead.id,
        computeScore(ctx, lead as unknown as ScorableLead, byLead.get(lead.id) ?? []),
      );
    }
    done += leads.length;
    progress(done);
    after = leads[leads.length - 1]!.id;
  }
  return done;
}

/** Relearns the model from every closed lead and rescores every lead with it. */
export function rebuildModelAndRescore(store: Store): ModelSummary {
  const model = rebuildModel(store);
  const rescored = store.write((tx) => rescoreAllIn(tx));
  const minClosed = store.read((r) => readScoringConfig(r).predictive.minClosed);
  return {
    won: model.won,
    lost: model.lost,
    enough: hasEnoughHistory(model, minClosed),
    minClosed,
    rescored,
  };
}
