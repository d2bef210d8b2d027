// A plain L2-regularised logistic regression, the yardstick the scoring report holds the
// learned model against: the same columns, categories one-hot, numbers standardised (with
// a "missing" flag), fitted by full-batch gradient descent. Not what scores leads — it is
// there so the report can say whether the learned score gives away anything a textbook
// model would have found.
import type { PredictiveField } from '../contract/index.js';
import type { ScorableLead } from './leadFeatures.js';
import { featureValue } from './predictive.js';

export interface LogisticModel {
  predict(lead: ScorableLead): number;
}

interface Encoder {
  width: number;
  encode(lead: ScorableLead): { idx: number[]; val: number[] };
}

/** Columns → feature indices, learned from the training leads. */
function encoder(train: readonly ScorableLead[], fields: readonly PredictiveField[]): Encoder {
  let width = 0;
  const numeric = new Map<
    PredictiveField,
    { index: number; missing: number; mean: number; sd: number }
  >();
  const categories = new Map<PredictiveField, Map<string, number>>();
  for (const field of fields) {
    const values = train
      .map((l) => l[field])
      .filter((v) => v !== null && v !== undefined && v !== '');
    if (values.length && values.every((v) => typeof v === 'number')) {
      const xs = values as number[];
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
      numeric.set(field, { index: width, missing: width + 1, mean, sd });
      width += 2;
      continue;
    }
    const byValue = new Map<string, number>();
    for (const lead of train) {
      const v = featureValue(lead, field);
      if (!byValue.has(v)) byValue.set(v, width++);
    }
    categories.set(field, byValue);
  }
  return {
    width,
    encode(lead) {
      const idx: number[] = [];
      const val: number[] = [];
      for (const [field, n] of numeric) {
        const v = lead[field];
        if (typeof v === 'number' && Number.isFinite(v)) {
          idx.push(n.index);
          val.push((v - n.mean) / n.sd);
        } else {
          idx.push(n.missing);
          val.push(1);
        }
      }
      for (const [field, byValue] of categories) {
        const i = byValue.get(featureValue(lead, field));
        if (i !== undefined) {
          idx.push(i);
          val.push(1);
        }
      }
      return { idx, val };
    },
  };
}

/** Fits the regression on `examples` (L2 strength `lambda` per example). */
export function trainLogistic(
  examples: readonly { lead: ScorableLead; won: boolean }[],
  fields: readonly PredictiveField[],
  { lambda = 1e-3, iterations = 300, rate = 0.5 } = {},
): LogisticModel {
  const enc = encoder(
    examples.map((x) => x.lead),
    fields,
  );
  const rows = examples.map((x) => ({ ...enc.encode(x.lead), y: x.won ? 1 : 0 }));
  const w = new Float64Array(enc.width);
  let bias = 0;
  const n = Math.max(1, rows.length);
  // Adam keeps one learning rate good for one-hot and standardised columns alike.
  const m = new Float64Array(enc.width + 1);
  const v = new Float64Array(enc.width + 1);
  const grad = new Float64Array(enc.width + 1);
  for (let t = 1; t <= iterations; t++) {
    grad.fill(0);
    for (const r of rows) {
      let z = bias;
      for (let k = 0; k < r.idx.length; k++) z += w[r.idx[k]!]! * r.val[k]!;
      const err = 1 / (1 + Math.exp(-z)) - r.y;
      for (let k = 0; k < r.idx.length; k++) grad[r.idx[k]!]! += err * r.val[k]!;
      grad[enc.width]! += err;
    }
    for (let j = 0; j <= enc.width; j++) {
      const g = grad[j]! / n + (j < enc.width ? lambda * w[j]! : 0);
      m[j] = 0.9 * m[j]! + 0.1 * g;
      v[j] = 0.999 * v[j]! + 0.001 * g * g;
      const step = (rate * (m[j]! / (1 - 0.9 ** t))) / (Math.sqrt(v[j]! / (1 - 0.999 ** t)) + 1e-8);
      if (j < enc.width) w[j] = w[j]! - step * 0.1;
      else bias -= step * 0.1;
    }
  }
  return {
    predict(lead) {
      const { idx, val } = enc.encode(lead);
      let z = bias;
      for (let k = 0; k < idx.length; k++) z += w[idx[k]!]! * val[k]!;
      return 1 / (1 + Math.exp(-z));
    },
  };
}
