// Built-in rows every new database starts with. Their ids are derived from fixed names so
// two laptops that each start fresh end up with the same stages after a sync, not two sets.
import type { StageKind } from '../contract/index.js';
import { derivedId } from '../store/ids.js';
import type { Store } from '../store/store.js';

export interface DefaultStage {
  key: string;
  name_zh: string;
  name_en: string;
  probability: number;
  kind: StageKind;
  stale_days: number | null;
}

/** PRODUCT.md F7: 初步接触 10%, 需求分析 25%, 报价 50%, 谈判 75%, 成交 100%, 丢单 0%. */
export const defaultStages: DefaultStage[] = [
  {
    key: 'initial',
    name_zh: '初步接触',
    name_en: 'Initial contact',
    probability: 10,
    kind: 'open',
    stale_days: 14,
  },
  {
    key: 'needs',
    name_zh: '需求分析',
    name_en: 'Needs analysis',
    probability: 25,
    kind: 'open',
    stale_days: 21,
  },
  {
    key: 'quote',
    name_zh: '报价',
    name_en: 'Quote',
    probability: 50,
    kind: 'open',
    stale_days: 21,
  },
  {
    key: 'negotiation',
    name_zh: '谈判',
    name_en: 'Negotiation',
    probability: 75,
    kind: 'open',
    stale_days: 30,
  },
  { key: 'won', name_zh: '成交', name_en: 'Won', probability: 100, kind: 'won', stale_days: null },
  { key: 'lost', name_zh: '丢单', name_en: 'Lost', probability: 0, kind: 'lost', stale_days: null },
];

export const defaultStageId = (key: string) => derivedId('leadbook.default-stage', key);

/** Seeds what is missing; safe to call on every start. */
export function ensureDefaults(store: Store): void {
  store.write((tx) => {
    defaultStages.forEach((s, i) => {
      tx.seed(
        'stages',
        defaultStageId(s.key),
        {
          name_zh: s.name_zh,
          name_en: s.name_en,
          sort_order: (i + 1) * 10,
          probability: s.probability,
          kind: s.kind,
          stale_days: s.stale_days,
          active: 1,
        },
        i,
      );
    });
  });
}
