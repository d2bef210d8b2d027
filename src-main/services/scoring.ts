// Lead scores (F4) as derived columns: computed here from the team's scoring configuration
// (a synced setting), the lead, its activities and the predictive model (learned on this
// device from the team's closed leads, kept in the local meta table), and written with
// `setDerived` — never logged, never synced; every device computes the same.
import {
  ApiError,
  defaultScoringConfig,
  scoringConfigSchema,
  type ActivityKind,
  type LeadRow,
  type RuleField,
  type ModelReport,
  type CustomFieldRef,
  type ModelSummary,
  type PredictiveField,
  type ScoreBreakdown,
  type ScoringConfig,
} from '../contract/index.js';
import { sql } from 'kysely';
import { customFieldName, isCustomFieldName } from '../domain/customFields.js';
import type { ScorableLead } from '../domain/leadFeatures.js';
import {
  addExample,
  emptyModel,
  hasEnoughHistory,
  predict,
  trainModel,
  type PredictiveModel,
} from '../domain/predictive.js';
import { modelReport, type ClosedExample } from '../domain/modelReport.js';
import { scoreLead, type ScorableActivity } from '../domain/scoring.js';
import { newId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { SqlValue, Store, WriteTx } from '../store/store.js';
import { attachCustomValues, listCustomFields } from './customValues.js';
import { readSettingJson, writeSetting } from './settings.js';

const CONFIG_ID = 'scoring.config';
const MODEL_KEY = 'scoring.model';
const MODEL_REV_KEY = 'scoring.model.rev';
const RESCORED_AT_KEY = 'scoring.rescoredAt';

/** Rescoring every lead off the request (services/rescoreJobs.ts implements it; it calls
 * this module, so this module names only what it needs of it). */
export interface BackgroundRescore {
  /** Whether a full rescore would run in the background here (a big file database). */
  inBackground(): boolean;
  start(): unknown;
}

/** The team's scoring configuration; the defaults until someone changes it, and the
 * defaults again if a stored one no longer validates (written by another version). */
export function readScoringConfig(r: Reader): ScoringConfig {
  return r.derived('scoringConfig', ['settings'], () => {
    const parsed = scoringConfigSchema.safeParse(readSettingJson(r, CONFIG_ID));
    return parsed.success ? parsed.data : defaultScoringConfig;
  });
}

/** Saves a new configuration and rescores every lead with it — in the same transaction,
 * or, on a big database, in the background right after. */
export function updateScoringConfig(
  store: Store,
  config: ScoringConfig,
  rescore?: BackgroundRescore,
): ScoringConfig {
  const background = rescore?.inBackground() ?? false;
  const saved = store.write((tx) => {
    writeSetting(tx, CONFIG_ID, JSON.stringify(config));
    const saved = readScoringConfig(tx);
    // Other fields to learn from: the model is learned again before anything is rescored.
    const fields = modelFields(tx, saved);
    const model = loadModel(tx, fields);
    if (JSON.stringify(model.fields) !== JSON.stringify(fields))
      saveModel(tx, trainModel(closedLeads(tx, saved), fields));
    if (!background) rescoreAllIn(tx, saved);
    return saved;
  });
  if (background) rescore!.start();
  return saved;
}

// ---- the predictive model ----

/** What the model learns from: the chosen built-in fields and every custom field that
 * holds a number, a yes/no or a choice (a history's visits, its lead origin …). */
export function modelFields(r: Reader, config: ScoringConfig): PredictiveField[] {
  const custom = r.derived('scoringCustomFields', ['custom_fields'], () =>
    listCustomFields(r)
      .filter((f) => f.type === 'number' || f.type === 'boolean' || f.type === 'choice')
      .map((f) => customFieldName(f.key) as PredictiveField),
  );
  return [...config.predictive.fields, ...custom];
}

/** Whether a score reads custom values — the model learns from some, or a fit rule tests
 * one — so leads are read with them. */
const readsCustom = (ctx: { config: ScoringConfig; model: PredictiveModel }) =>
  ctx.model.fields.some(isCustomFieldName) ||
  ctx.config.rules.some((r) => r.enabled && isCustomFieldName(r.field));

let cachedModel: { rev: string; model: PredictiveModel } | null = null;

const metaValue = (r: Reader, key: string) =>
  r.first(r.qb.selectFrom('meta').select('value').where('key', '=', key))?.value;

/** The stored model, parsed once per saved revision: every lead written asks for it, and
 * reading and comparing the whole model (hundreds of kilobytes) each time made an import
 * of 100 000 leads twice as slow. */
function loadModel(r: Reader, fields: readonly PredictiveField[]): PredictiveModel {
  const rev = metaValue(r, MODEL_REV_KEY) ?? '';
  if (cachedModel?.rev === rev) return cachedModel.model;
  const json = metaValue(r, MODEL_KEY) ?? '';
  let model: PredictiveModel;
  try {
    model = json ? (JSON.parse(json) as PredictiveModel) : emptyModel(fields);
    if (model.version !== 1) model = emptyModel(fields);
  } catch {
    model = emptyModel(fields);
  }
  cachedModel = { rev, model };
  return model;
}

/** The closed leads to learn from: won = converted (the lead did its job), unless its
 * opportunity was lost since; lost = unqualified, or converted and its opportunity lost.
 * (Counting only opportunities already won as wins was tried: recent conversions have
 * not had time to win, so the newest closed leads were mostly quick losses and the
 * backtest on the demo fell to AUC ~0.6 with the best-rated leads ranked worst.) */
function closedLeads(r: Reader, config: ScoringConfig): ClosedExample[] {
  const rows = r.all(
    r.qb
      .selectFrom('leads')
      .leftJoin('opportunities', 'opportunities.id', 'leads.converted_opportunity_id')
      .leftJoin('stages', 'stages.id', 'opportunities.stage_id')
      .select(scoringColumns(config).map((c) => `leads.${c}` as const))
      .select([
        'stages.kind as stage_kind',
        'opportunities.closed_at as opportunity_closed_at',
        'opportunities.updated_at as opportunity_updated_at',
        'leads.converted_at',
        'leads.updated_at',
      ])
      .where('leads.deleted_at', 'is', null)
      .where('leads.status', 'in', ['converted', 'unqualified']),
  );
  if (modelFields(r, config).some(isCustomFieldName))
    attachCustomValues(r, rows as unknown as ScorableLead[]);
  const out: ClosedExample[] = [];
  for (const row of rows) {
    const outcome = outcomeOf(row, row.stage_kind);
    if (!outcome) continue;
    out.push({
      lead: row as unknown as ScorableLead,
      won: outcome === 'won',
      // A disqualified lead has no closing time of its own: its last change is the nearest.
      closedAt:
        row.stage_kind === 'lost'
          ? (row.opportunity_closed_at ?? row.opportunity_updated_at ?? row.updated_at)
          : (row.converted_at ?? row.updated_at),
    });
  }
  return out;
}

/** Learns the model again from every closed lead (on demand, and when the chosen fields
 * change). */
export function rebuildModel(store: Store): PredictiveModel {
  const model = store.read((r) => {
    const config = readScoringConfig(r);
    return trainModel(closedLeads(r, config), modelFields(r, config));
  });
  saveModel(store, model);
  return model;
}

function saveModel(to: Pick<Store, 'setMeta'>, model: PredictiveModel): void {
  to.setMeta(MODEL_KEY, JSON.stringify(model));
  // A new revision id on every save: another connection (an import worker) or a restart
  // sees that the model changed without reading it.
  to.setMeta(MODEL_REV_KEY, newId());
}

/** The lead columns a score reads under `config`: what its rules and predictive fields
 * test (derived values through their source column), never the wide ones nobody asked
 * for — reading whole rows (notes, the stored breakdown) made rescoring 100 000 leads
 * ten times slower. */
export function scoringColumns(config: ScoringConfig): (keyof LeadRow)[] {
  const source: Partial<Record<RuleField, (keyof LeadRow)[]>> = {
    email_domain_kind: ['email'],
    any_phone: ['phone', 'mobile'],
    title_level: ['title'],
  };
  const columns = new Set<keyof LeadRow>([
    'id',
    'status',
    'deleted_at',
    // The stored score, to skip writing one that did not change.
    'score',
    'grade',
    'predicted_probability',
  ]);
  const fields: (RuleField | CustomFieldRef)[] = [
    ...config.rules.filter((r) => r.enabled).map((r) => r.field),
    ...config.predictive.fields,
    'budget',
    'authority',
    'need',
    'timeline',
  ];
  for (const f of fields)
    if (!isCustomFieldName(f))
      for (const c of source[f as RuleField] ?? [f as keyof LeadRow]) columns.add(c);
  return [...columns];
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

/** The kind (open, won, lost) of the stage a converted lead's opportunity is in. */
function opportunityStageKind(r: Reader, lead: Record<string, unknown>): unknown {
  if (lead.status !== 'converted' || typeof lead.converted_opportunity_id !== 'string') return null;
  return r.first(
    r.qb
      .selectFrom('opportunities')
      .innerJoin('stages', 'stages.id', 'opportunities.stage_id')
      .select('stages.kind')
      .where('opportunities.id', '=', lead.converted_opportunity_id)
      .where('opportunities.deleted_at', 'is', null),
  )?.kind;
}

function learn(tx: WriteTx, before: ScorableLead, was: Outcome, after: ScorableLead, now: Outcome) {
  if (was === now) return;
  const config = readScoringConfig(tx);
  const model = structuredClone(loadModel(tx, modelFields(tx, config)));
  if (was) addExample(model, before, was === 'won', -1);
  if (now) addExample(model, after, now === 'won');
  saveModel(tx, model);
}

/** Learns from a lead the moment it closes (or forgets it when it reopens): the model
 * stays current between full rebuilds. */
export function learnFromLeadChange(
  tx: WriteTx,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  const kind = opportunityStageKind(tx, after);
  learn(tx, before, outcomeOf(before, kind), after, outcomeOf(after, kind));
}

/** Learns from a converted lead when its opportunity is lost (or reopened). */
export function learnFromOpportunityStage(
  tx: WriteTx,
  opportunity: { id: string; lead_id?: unknown },
  fromStageId: string | null,
  toStageId: string,
): void {
  // Found by the opportunity's lead (primary key), and only if that lead's conversion
  // made this opportunity: a card move must not scan the leads.
  if (typeof opportunity.lead_id !== 'string') return;
  const lead = tx.first(
    tx.qb
      .selectFrom('leads')
      .selectAll()
      .where('id', '=', opportunity.lead_id)
      .where('converted_opportunity_id', '=', opportunity.id)
      .where('deleted_at', 'is', null),
  );
  if (!lead) return;
  const kindOf = (id: string | null) =>
    id === null
      ? null
      : tx.first(tx.qb.selectFrom('stages').select('kind').where('id', '=', id))?.kind;
  learn(
    tx,
    lead as unknown as ScorableLead,
    outcomeOf(lead, kindOf(fromStageId)),
    lead as unknown as ScorableLead,
    outcomeOf(lead, kindOf(toStageId)),
  );
}

// ---- scoring ----

export interface ScoringContext {
  config: ScoringConfig;
  model: PredictiveModel;
  now: number;
}

export function scoringContext(r: Reader, now: number): ScoringContext {
  const config = readScoringConfig(r);
  return { config, model: loadModel(r, modelFields(r, config)), now };
}

/** The score of one lead in a given context (no writes). */
export function computeScore(
  ctx: ScoringContext,
  lead: ScorableLead,
  activities: readonly ScorableActivity[],
  withFactors = true,
): ScoreBreakdown {
  const prediction = hasEnoughHistory(ctx.model, ctx.config.predictive.minClosed)
    ? predict(ctx.model, lead, ctx.config.predictive.minClosed, withFactors)
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

/** Only the score, grade and probability are stored (lists sort and filter on them). The
 * breakdown is worked out again when someone asks (`leadScoreBreakdown`): storing ~800
 * bytes of JSON per lead made rescoring 100 000 leads write 80 MB. */
const SCORE_COLUMNS = ['score', 'grade', 'predicted_probability', 'scored_at'] as const;
const scoreValues = (s: ScoreBreakdown, now: number) =>
  [s.score, s.grade, s.predictive?.probability ?? null, now] as const;

function writeScore(tx: WriteTx, id: string, s: ScoreBreakdown): void {
  tx.setDerivedRows('leads', SCORE_COLUMNS, [[id, ...scoreValues(s, tx.now)]]);
}

/** Why a lead has its stored score: computed as of the moment it was scored, so it adds
 * up to the number the list shows (engagement cools with time; the next rescore moves
 * both) — unless the model has learned from other leads closing since, which moves the
 * probability a little until the next full rescore. Null for a lead never scored. */
export function leadScoreBreakdown(r: Reader, leadId: string): ScoreBreakdown | null {
  const lead = r.first(r.qb.selectFrom('leads').selectAll().where('id', '=', leadId));
  if (!lead) throw new ApiError('NOT_FOUND', `lead ${leadId} not found`);
  if (lead.scored_at === null) return null;
  const ctx = scoringContext(r, lead.scored_at);
  if (readsCustom(ctx)) attachCustomValues(r, [lead as unknown as ScorableLead]);
  return computeScore(ctx, lead as unknown as ScorableLead, activitiesOf(r, leadId));
}

/** The score of a lead about to be created, from the values it is created with: nothing
 * to read back, no activities yet, and written with the lead's own insert (an import
 * creates 100 000 of these). */
export function newLeadScore(
  tx: WriteTx,
  values: Record<string, unknown>,
): Record<(typeof SCORE_COLUMNS)[number], SqlValue> {
  const ctx = scoringContext(tx, tx.now);
  const [score, grade, predicted_probability, scored_at] = scoreValues(
    computeScore(ctx, values as ScorableLead, [], false),
    tx.now,
  );
  return { score, grade, predicted_probability, scored_at };
}

/** Rescores one lead inside the transaction that changed it or its activities. */
export function rescoreLeadIn(tx: WriteTx, leadId: string): void {
  const lead = tx.first(tx.qb.selectFrom('leads').selectAll().where('id', '=', leadId));
  if (!lead) return;
  const ctx = scoringContext(tx, tx.now);
  if (readsCustom(ctx)) attachCustomValues(tx, [lead as unknown as ScorableLead]);
  writeScore(
    tx,
    leadId,
    computeScore(ctx, lead as unknown as ScorableLead, activitiesOf(tx, leadId)),
  );
}

const RESCORE_PAGE = 5000;

/** Rescores one page of live leads after `after` (id order). Leads are read with only the
 * columns the configuration needs, and the page's activities with one query by id range,
 * not one per lead. Answers how many were scored and the last id. */
function rescorePageIn(
  tx: WriteTx,
  ctx: ScoringContext,
  columns: (keyof LeadRow)[],
  after: string,
): { count: number; last: string } {
  const leads = tx.all(
    tx.qb
      .selectFrom('leads')
      .select(columns)
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(RESCORE_PAGE),
  );
  if (!leads.length) return { count: 0, last: after };
  if (readsCustom(ctx)) attachCustomValues(tx, leads as unknown as ScorableLead[]);
  const byLead = new Map<string, ScorableActivity[]>();
  // The kind and time a score reads are worked out by SQLite (what asActivity does), so
  // each row read is already a ScorableActivity: no second object per activity.
  const acts = tx.all(
    tx.qb
      .selectFrom('activities')
      .select((eb) => [
        'lead_id',
        eb.fn.coalesce('kind', sql.lit('note')).$castTo<ActivityKind>().as('kind'),
        eb.fn.coalesce('occurred_at', 'done_at', 'created_at').$castTo<number>().as('at'),
      ])
      .where('deleted_at', 'is', null)
      .where('lead_id', '>=', leads[0]!.id)
      .where('lead_id', '<=', leads[leads.length - 1]!.id)
      .orderBy('lead_id'),
  );
  let list: ScorableActivity[] = [];
  let of: string | null = null;
  for (const a of acts) {
    if (!a.lead_id) continue;
    if (a.lead_id !== of) byLead.set((of = a.lead_id), (list = []));
    list.push(a);
  }
  const rows: (readonly SqlValue[])[] = [];
  for (const lead of leads) {
    const activities = byLead.get(lead.id) ?? [];
    const s = computeScore(ctx, lead as unknown as ScorableLead, activities, false);
    const values = scoreValues(s, tx.now);
    // Unchanged, and nothing in it depends on when it was computed (no activities to
    // cool): the stored score and its scored_at still explain each other — skip the write
    // (most of a daily pass).
    const stored = lead as unknown as Record<string, unknown>;
    if (
      !activities.length &&
      stored.score === values[0] &&
      stored.grade === values[1] &&
      stored.predicted_probability === values[2]
    )
      continue;
    rows.push([lead.id, ...values]);
  }
  tx.setDerivedRows('leads', SCORE_COLUMNS, rows);
  return { count: leads.length, last: leads[leads.length - 1]!.id };
}

/** Rescores every live lead inside one transaction (the configuration or the model
 * changed, on a database small enough to do it at once). */
export function rescoreAllIn(
  tx: WriteTx,
  config: ScoringConfig = readScoringConfig(tx),
  progress: (done: number) => void = () => {},
): number {
  const ctx: ScoringContext = {
    config,
    model: loadModel(tx, modelFields(tx, config)),
    now: tx.now,
  };
  const columns = scoringColumns(config);
  let after = '';
  let done = 0;
  for (;;) {
    const page = rescorePageIn(tx, ctx, columns, after);
    if (!page.count) break;
    done += page.count;
    progress(done);
    after = page.last;
  }
  tx.setMeta(RESCORED_AT_KEY, String(tx.now));
  return done;
}

/** Rescores every live lead a page per transaction, as a background job does: other
 * writers (a rep capturing a lead) get the lock between pages, and since scores are
 * derived a run stopped half-way leaves nothing inconsistent — the rest keep their
 * previous score until the next run. `progress` may throw to stop. */
export function rescoreInPages(
  store: Store,
  progress: (done: number, total: number) => void = () => {},
): number {
  const { ctx, columns, total } = store.read((r) => {
    const config = readScoringConfig(r);
    return {
      ctx: { config, model: loadModel(r, modelFields(r, config)), now: Date.now() },
      columns: scoringColumns(config),
      total: r.count(
        r.qb
          .selectFrom('leads')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('deleted_at', 'is', null),
        ['leads'],
      ),
    };
  });
  let after = '';
  let done = 0;
  progress(0, total);
  for (;;) {
    const page = store.write((tx) => rescorePageIn(tx, { ...ctx, now: tx.now }, columns, after));
    if (!page.count) break;
    done += page.count;
    after = page.last;
    progress(done, Math.max(total, done));
  }
  store.setMeta(RESCORED_AT_KEY, String(Date.now()));
  return done;
}

/** When every lead was last rescored (engagement cools day by day: a daily rescore keeps
 * stored scores current). */
export function lastFullRescore(store: Pick<Store, 'getMeta'>): number | null {
  const v = Number(store.getMeta(RESCORED_AT_KEY));
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** Relearns the model from every closed lead and rescores every lead with it (in the
 * background on a big database). */
export function rebuildModelAndRescore(store: Store, rescore?: BackgroundRescore): ModelSummary {
  const model = rebuildModel(store);
  const background = rescore?.inBackground() ?? false;
  const rescored = background ? 0 : store.write((tx) => rescoreAllIn(tx));
  if (background) rescore!.start();
  const minClosed = store.read((r) => readScoringConfig(r).predictive.minClosed);
  return {
    won: model.won,
    lost: model.lost,
    enough: hasEnoughHistory(model, minClosed),
    minClosed,
    rescored,
    inBackground: background,
  };
}

/** The score a sample lead would get under `config` (not saved), with the model as it is:
 * the Settings page's "try it". */
export function tryScoring(r: Reader, config: ScoringConfig, lead: Record<string, unknown>) {
  const ctx: ScoringContext = {
    config,
    model: loadModel(r, modelFields(r, readScoringConfig(r))),
    now: Date.now(),
  };
  return computeScore(ctx, lead, []);
}

/** The backtest of the predictive model on this database's closed leads. */
export function scoringReport(r: Reader): ModelReport {
  const config = readScoringConfig(r);
  return modelReport(closedLeads(r, config), modelFields(r, config));
}
