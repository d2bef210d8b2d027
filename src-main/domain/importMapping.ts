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

export { importFields, type ColumnTarget, type ImportField };

const headerSynonyms: Record<ImportField, string[]> = {
  name: [
    'name',
    'full name',
    'fullname',
    'lead name',
    'contact name',
    'contact',
    '姓名',
    '名字',
    '联系人',
    '客户姓名',
    '联系人姓名',
  ],
  given_name: ['first name', 'firstname', 'given name', 'forename', 'vorname', '名'],
  family_name: ['last name', 'lastname', 'surname', 'family name', 'nachname', '姓'],
  company: [
    'company',
    'company name',
    'account',
    'account name',
    'organization',
    'organisation',
    'firma',
    'unternehmen',
    '公司',
    '公司名称',
    '单位',
    '企业',
    '企业名称',
    '客户名称',
  ],
  title: [
    'title',
    'job title',
    'position',
    'role',
    'jobtitle',
    'funktion',
    'position (de)',
    '职位',
    '职务',
    '头衔',
  ],
  email: [
    'email',
    'e-mail',
    'email address',
    'e-mail address',
    'mail',
    'e-mail-adresse',
    '电子邮件',
    '邮箱',
    '电子邮箱',
    '邮件',
  ],
  phone: [
    'phone',
    'phone number',
    'telephone',
    'business phone',
    'work phone',
    'tel',
    'telefon',
    '电话',
    '联系电话',
    '座机',
    '电话号码',
  ],
  mobile: [
    'mobile',
    'mobile phone',
    'mobile phone number',
    'cell',
    'cell phone',
    'handy',
    'mobil',
    'mobiltelefon',
    '手机',
    '手机号',
    '手机号码',
    '移动电话',
  ],
  wechat: ['wechat', 'wechat id', 'weixin', '微信', '微信号'],
  website: ['website', 'web site', 'url', 'web', 'webseite', '网站', '网址', '官网'],
  industry: ['industry', 'branche', '行业', '所属行业'],
  city: ['city', 'town', 'stadt', 'ort', '城市', '市'],
  region: [
    'state',
    'province',
    'state/province',
    'region',
    'bundesland',
    '省份',
    '省',
    '地区',
    '省/市',
  ],
  country: ['country', 'country/region', 'land', '国家', '国家/地区'],
  address: [
    'address',
    'street',
    'street address',
    'mailing address',
    'adresse',
    'straße',
    'strasse',
    '地址',
    '详细地址',
    '通讯地址',
  ],
  source: [
    'lead source',
    'source',
    'original source',
    'hs_analytics_source',
    'leadquelle',
    'quelle',
    '线索来源',
    '来源',
    '渠道',
  ],
  status: ['lead status', 'status', 'hs_lead_status', 'leadstatus', '线索状态', '状态'],
  notes: [
    'notes',
    'note',
    'description',
    'comments',
    'comment',
    'bemerkung',
    'notizen',
    '备注',
    '说明',
    '描述',
  ],
  tags: ['tags', 'tag', 'labels', '标签'],
  budget: ['budget', '预算'],
  authority: ['authority', '决策权'],
  need: ['need', '需求'],
  timeline: ['timeline', '时间', '采购时间'],
  next_step: ['next step', '下一步'],
  next_step_date: ['next step date', '下一步日期'],
  disqualify_reason: ['disqualify reason', 'disqualified reason', 'reason unqualified', '无效原因'],
};

const normalizeHeader = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_*:：]+/g, ' ')
    .trim();

const headerIndex = new Map<string, ImportField>(
  Object.entries(headerSynonyms).flatMap(([field, names]) =>
    names.map((n) => [normalizeHeader(n), field as ImportField] as const),
  ),
);

/** The automatic mapping: each header to the field it names, each field used once (the
 * first matching column wins); unknown headers go to the notes. */
export function autoMapHeaders(headers: readonly string[]): ColumnTarget[] {
  const used = new Set<ImportField>();
  return headers.map((h) => {
    if (!h.trim()) return null;
    const field = headerIndex.get(normalizeHeader(h));
    if (!field || used.has(field)) return 'note';
    used.add(field);
    return field;
  });
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
