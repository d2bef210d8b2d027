// Backtest of the predictive model (F4): learn from the older 80% of closed leads, predict
// the newest 20%, and measure — ranking (AUC), probability quality (log-loss beside the
// "always the base rate" baseline), calibration by decile, and the values that weigh most.
// Split by time, not at random: the question is whether the past predicts the future.
import type { ModelReport, PredictiveField } from '../contract/index.js';
import type { ScorableLead } from './leadFeatures.js';
import { trainLogistic } from './logistic.js';
import { predict, trainModel, valueWeight } from './predictive.js';

export interface ClosedExample {
  lead: ScorableLead;
  won: boolean;
  /** When it closed (converted or disqualified). */
  closedAt: number;
}

const EPS = 1e-6;
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** Area under the ROC curve by ranks (Mann–Whitney U), ties counted half. */
export function auc(scored: readonly { p: number; won: boolean }[]): number | null {
  const pos = scored.filter((s) => s.won).length;
  const neg = scored.length - pos;
  if (!pos || !neg) return null;
  const sorted = [...scored].sort((a, b) => a.p - b.p);
  let rankSumPos = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.p === sorted[i]!.p) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1 … j share their mean
    for (let k = i; k < j; k++) if (sorted[k]!.won) rankSumPos += midRank;
    i = j;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function logLoss(scored: readonly { p: number; won: boolean }[]): number | null {
  if (!scored.length) return null;
  let sum = 0;
  for (const { p, won } of scored) {
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    sum -= Math.log(won ? q : 1 - q);
  }
  return sum / scored.length;
}

export function calibration(scored: readonly { p: number; won: boolean }[]) {
  const sorted = [...scored].sort((a, b) => a.p - b.p);
  const out: ModelReport['calibration'] = [];
  for (let d = 0; d < 10; d++) {
    const part = sorted.slice(
      Math.floor((d * sorted.length) / 10),
      Math.floor(((d + 1) * sorted.length) / 10),
    );
    if (!part.length) continue;
    out.push({
      decile: d + 1,
      count: part.length,
      predicted: round(part.reduce((s, x) => s + x.p, 0) / part.length),
      actual: round(part.filter((x) => x.won).length / part.length),
    });
  }
  return out;
}

const span = (xs: readonly ClosedExample[]) => ({
  won: xs.filter((x) => x.won).length,
  lost: xs.filter((x) => !x.won).length,
  from: xs.length ? xs[0]!.closedAt : null,
  to: xs.length ? xs[xs.length - 1]!.closedAt : null,
});

/** Values seen at least this often are ranked as factors (rarer ones are mostly noise). */
const MIN_FACTOR_SUPPORT = 5;

export function modelReport(
  examples: readonly ClosedExample[],
  fields: readonly PredictiveField[],
): ModelReport {
  const sorted = [...examples].sort(
    (a, b) => a.closedAt - b.closedAt || String(a.lead.id).localeCompare(String(b.lead.id)),
  );
  const cut = Math.floor(sorted.length * 0.8);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const model = trainModel(train, fields);
  const scored =
    model.won && model.lost
      ? test.map((x) => ({ p: predict(model, x.lead, 0)!.probability, won: x.won }))
      : [];
  const baseRate = train.length ? model.won / train.length : 0;
  const factors: ModelReport['topFactors'] = [];
  for (const field of model.fields)
    for (const [value, [won, lost]] of Object.entries(model.counts[field] ?? {}))
      if (won + lost >= MIN_FACTOR_SUPPORT)
        factors.push({ field, value, won, lost, weight: round(valueWeight(model, field, value)) });
  factors.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.field.localeCompare(b.field));
  const a = auc(scored);
  const ll = logLoss(scored);
  const base = scored.length ? logLoss(scored.map((s) => ({ p: baseRate, won: s.won }))) : null;
  return {
    fields: [...fields],
    closed: sorted.length,
    holdout: holdoutTest(sorted, fields),
    train: span(train),
    test: span(test),
    auc: a === null ? null : round(a),
    logLoss: ll === null ? null : round(ll),
    baselineLogLoss: base === null ? null : round(base),
    calibration: calibration(scored),
    topFactors: factors.slice(0, 10),
  };
}

/** FNV-1a of a lead's id: the same random-looking split on every run and every laptop. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Closed leads of each outcome needed for a held-out test to mean anything. */
const MIN_HOLDOUT = 10;

function holdoutTest(
  examples: readonly ClosedExample[],
  fields: readonly PredictiveField[],
): ModelReport['holdout'] {
  const isTest = (x: ClosedExample) => idHash(String(x.lead.id ?? '')) % 10 < 3;
  const train = examples.filter((x) => !isTest(x));
  const test = examples.filter(isTest);
  const wins = (xs: readonly ClosedExample[]) => xs.filter((x) => x.won).length;
  if (
    Math.min(wins(train), train.length - wins(train)) < MIN_HOLDOUT ||
    Math.min(wins(test), test.length - wins(test)) < MIN_HOLDOUT
  )
    return null;
  const model = trainModel(train, fields);
  const learned = auc(test.map((x) => ({ p: predict(model, x.lead, 0)!.probability, won: x.won })));
  const logistic = trainLogistic(train, fields);
  const yardstick = auc(test.map((x) => ({ p: logistic.predict(x.lead), won: x.won })));
  return {
    train: train.length,
    test: test.length,
    auc: learned === null ? null : round(learned),
    logisticAuc: yardstick === null ? null : round(yardstick),
  };
}
