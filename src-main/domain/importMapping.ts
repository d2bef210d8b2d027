// Which column of an export is which lead field, and what its status and source values
// mean in Leadbook. Covers the common exports (Salesforce, HubSpot, Zoho, badge scanners)
// with English, Chinese and German headers; unknown columns can go to the notes.
import {
  importFields,
  type ColumnTarget,
  type ImportField,
  type LeadSource,
  type LeadStatus,
} from '../contract/index.js';
import { fallbackField, headerField, normalizeHeader, secondPlace } from './importHeaders.js';

export { importFields, type ColumnTarget, type ImportField };

/** The automatic mapping: each header to the field it names. When several columns name
 * one field, the strongest synonym (then the leftmost column) takes it and the others go
 * to the field's second place (another phone, another email) or to the notes. Unknown
 * headers go to the notes; label columns ("Phone 1 - Type") are left out. */
export function autoMapHeaders(headers: readonly string[]): ColumnTarget[] {
  return mapHeaders(headers).mapping;
}

export interface HeaderMapping {
  mapping: ColumnTarget[];
  /** Headers no synonym matched (their columns go to the notes unless changed). */
  unrecognized: string[];
}

export function mapHeaders(headers: readonly string[]): HeaderMapping {
  const matches = headers.map((h) => headerField(h));
  const mapping: ColumnTarget[] = matches.map((m) => (m === 'ignore' ? null : 'note'));
  const byStrength = matches
    .map((m, i) => ({ m, i }))
    .filter(
      (x): x is { m: { field: ImportField; rank: number }; i: number } =>
        typeof x.m === 'object' && x.m !== null,
    )
    .sort((a, b) => a.m.rank - b.m.rank || a.i - b.i);
  const used = new Set<ImportField>();
  for (const { m, i } of byStrength) {
    const second = secondPlace[m.field];
    if (!used.has(m.field)) {
      used.add(m.field);
      mapping[i] = m.field;
    } else if (second) mapping[i] = second;
  }
  for (const { i } of byStrength) {
    const alt = fallbackField[normalizeHeader(headers[i]!)];
    if (mapping[i] === 'note' && alt && !used.has(alt)) {
      used.add(alt);
      mapping[i] = alt;
    }
  }
  return {
    mapping,
    unrecognized: headers.filter((h, i) => matches[i] === null && h.trim() !== ''),
  };
}

const norm = (v: string) =>
  v
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-–—]+/g, ' ')
    .trim();

const statusValues: [LeadStatus, string[]][] = [
  [
    'new',
    [
      'new',
      'open',
      'open not contacted',
      'not contacted',
      'unread',
      '新',
      '新线索',
      '未联系',
      '未跟进',
      '待跟进',
      'neu',
    ],
  ],
  [
    'contacted',
    [
      'contacted',
      'working',
      'working contacted',
      'attempted to contact',
      'in progress',
      'connected',
      'open deal',
      '已联系',
      '跟进中',
      '联系中',
      'kontaktiert',
    ],
  ],
  [
    'qualified',
    [
      'qualified',
      'sales qualified',
      'sql',
      'mql',
      'marketing qualified',
      'converted',
      'closed converted',
      '已确认',
      '合格',
      '有效',
      '已转化',
      'qualifiziert',
    ],
  ],
  [
    'unqualified',
    [
      'unqualified',
      'disqualified',
      'closed not converted',
      'lost',
      'closed lost',
      '丢单',
      '输单',
      '未成交',
      'bad timing',
      'junk',
      'not interested',
      '无效',
      '不合格',
      '已关闭',
      '无意向',
      'disqualifiziert',
    ],
  ],
];
const sourceValues: [LeadSource, string[]][] = [
  [
    'web_form',
    [
      'web',
      'website',
      'web form',
      'webform',
      'organic search',
      'paid search',
      'direct traffic',
      'form',
      '网站',
      '官网',
      '网页表单',
      '在线表单',
      'webseite',
    ],
  ],
  [
    'event',
    [
      'event',
      'trade show',
      'tradeshow',
      'seminar',
      'conference',
      'expo',
      'booth',
      'badge scan',
      'messe',
      '展会',
      '会议',
      '活动',
      '展会/市场活动',
    ],
  ],
  ['phone', ['phone', 'phone inquiry', 'cold call', 'inbound call', '电话', '电话咨询', '来电']],
  [
    'social',
    [
      'social',
      'social media',
      'linkedin',
      'wechat',
      'weibo',
      'organic social',
      'paid social',
      '社交媒体',
      '微信',
      '微博',
    ],
  ],
  [
    'referral',
    [
      'referral',
      'referrals',
      'partner',
      'partner referral',
      'employee referral',
      'word of mouth',
      '推荐',
      '转介绍',
      '合作伙伴',
    ],
  ],
  [
    'third_party',
    [
      'purchased list',
      'list',
      'third party',
      'data provider',
      'offline sources',
      '第三方',
      '第三方数据',
      '名单',
    ],
  ],
  ['existing_customer', ['existing customer', 'customer', 'upsell', '老客户', '现有客户']],
  ['other', ['other', 'others', '其他', 'sonstige']],
];
const statusIndex = new Map(
  statusValues.flatMap(([s, vs]) => vs.map((v) => [norm(v), s] as const)),
);
const sourceIndex = new Map(
  sourceValues.flatMap(([s, vs]) => vs.map((v) => [norm(v), s] as const)),
);

/** A status value of another CRM as a Leadbook status; null when unknown. "Converted"
 * becomes qualified: only Leadbook's own conversion makes a lead converted. */
export function mapStatusValue(value: string): LeadStatus | null {
  return value.trim() ? (statusIndex.get(norm(value)) ?? null) : null;
}

/** A source value as a Leadbook source: unknown non-empty values are "other". */
export function mapSourceValue(value: string): LeadSource | null {
  if (!value.trim()) return null;
  return sourceIndex.get(norm(value)) ?? 'other';
}

/** "张" + "三" → 张三; "Smith" + "John" → John Smith. */
export function joinNameParts(family: string, given: string): string {
  if (!family || !given) return family || given;
  return /[\u3400-\u9fff]/.test(family + given) ? `${family}${given}` : `${given} ${family}`;
}
