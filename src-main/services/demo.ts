// Realistic demo data: reps, events, leads with BANT values, activities, and opportunities
// moved through the stages over the past 12 months, with won/lost outcomes. It carries real
// signal for the scoring, forecast and report features to find: trade-show and referral
// leads with a confirmed budget and a decision maker convert and win far more often.
import { fakerEN, fakerZH_CN, type Faker } from '@faker-js/faker';
import type {
  AuthorityLevel,
  BudgetLevel,
  DemoResult,
  LeadSource,
  Locale,
  NeedLevel,
  TimelineLevel,
} from '../contract/index.js';
import { rankBetween } from '../domain/rank.js';
import type { Store, WriteTx } from '../store/store.js';
import { defaultStageId, defaultStages, ensureDefaults } from './defaults.js';

export interface DemoOptions {
  leads: number;
  locale: Locale;
  seed: number;
  /** "Today" for the generated history (tests pin it). */
  now?: number;
  /** Called every 1 000 leads. */
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;
const DEMO_BATCH = 5000;

const text = {
  'zh-CN': {
    titles: [
      '总经理',
      '采购经理',
      '技术总监',
      'IT经理',
      '销售总监',
      '运营主管',
      '工程师',
      '财务经理',
      '副总裁',
      '项目经理',
      '市场专员',
      '行政助理',
    ],
    industries: [
      '制造业',
      '零售',
      '金融',
      '医疗',
      '教育',
      '物流',
      '互联网',
      '能源',
      '汽车',
      '建筑',
    ],
    events: [
      '上海国际工业博览会',
      '广州进出口商品交易会',
      '深圳高交会',
      '北京智慧城市展',
      '成都糖酒会',
      '杭州云栖大会',
    ],
    webinars: ['数字化转型线上研讨会', '新品发布直播'],
    ads: ['百度搜索推广', '微信朋友圈广告'],
    subjects: {
      call: ['电话沟通需求', '回访电话', '初次电话联系'],
      email: ['发送产品资料', '发送报价单', '跟进邮件'],
      meeting: ['上门拜访', '产品演示会议', '方案评审会'],
      note: ['展会现场交流记录', '客户背景备注'],
      task: ['准备报价', '安排演示', '发送合同草案', '跟进采购流程'],
    },
    need: ['产线自动化', '库存管理系统', 'CRM 升级', '数据分析平台', '设备采购'],
    lost: ['价格太高', '选择了竞争对手', '预算取消', '项目延期'],
  },
  en: {
    titles: [
      'CEO',
      'Purchasing Manager',
      'CTO',
      'IT Manager',
      'VP Sales',
      'Operations Lead',
      'Engineer',
      'CFO',
      'Director of Engineering',
      'Project Manager',
      'Marketing Specialist',
      'Office Assistant',
    ],
    industries: [
      'Manufacturing',
      'Retail',
      'Finance',
      'Healthcare',
      'Education',
      'Logistics',
      'Software',
      'Energy',
      'Automotive',
      'Construction',
    ],
    events: [
      'Hannover Messe',
      'CES Las Vegas',
      'Web Summit',
      'SaaStr Annual',
      'MWC Barcelona',
      'Automate Detroit',
    ],
    webinars: ['Digital transformation webinar', 'Product launch livestream'],
    ads: ['Search ads', 'LinkedIn campaign'],
    subjects: {
      call: ['Discovery call', 'Follow-up call', 'First call'],
      email: ['Sent product brochure', 'Sent quote', 'Follow-up email'],
      meeting: ['On-site visit', 'Product demo', 'Solution review'],
      note: ['Booth conversation notes', 'Account background'],
      task: ['Prepare quote', 'Schedule demo', 'Send draft contract', 'Chase purchase order'],
    },
    need: [
      'line automation',
      'inventory system',
      'CRM upgrade',
      'analytics platform',
      'equipment purchase',
    ],
    lost: ['Price too high', 'Chose a competitor', 'Budget cancelled', 'Project postponed'],
  },
} as const;

function weighted<T>(f: Faker, items: readonly (readonly [T, number])[]): T {
  return f.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface LeadTraits {
  source: LeadSource;
  budget: BudgetLevel;
  authority: AuthorityLevel;
  need: NeedLevel;
  timeline: TimelineLevel;
}

/** The hidden "truth" behind the demo: how likely a lead is to become a deal. */
function conversionOdds(t: LeadTraits): number {
  let x = -2.4;
  x += { confirmed: 1.6, estimated: 0.7, unknown: 0, none: -1.2 }[t.budget];
  x += { decision_maker: 1.2, influencer: 0.5, user: -0.2, unknown: -0.3 }[t.authority];
  x += { clear: 1.0, vague: 0.1, none: -1.5 }[t.need];
  x += { lt_3m: 0.8, m3_6: 0.4, m6_12: 0, none: -0.8 }[t.timeline];
  x += {
    event: 0.6,
    referral: 0.9,
    existing_customer: 1.0,
    web_form: 0.1,
    phone: 0.2,
    social: -0.3,
    third_party: -1.0,
    other: -0.5,
  }[t.source];
  return sigmoid(x);
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function generateDemo(store: Store, options: DemoOptions): DemoResult {
  ensureDefaults(store);
  const f = options.locale === 'zh-CN' ? fakerZH_CN : fakerEN;
  f.seed(options.seed);
  const t = text[options.locale];
  const now = options.now ?? Date.now();
  const currency = options.locale === 'zh-CN' ? 'CNY' : 'USD';
  const result: DemoResult = {
    users: 0,
    campaigns: 0,
    leads: 0,
    accounts: 0,
    contacts: 0,
    opportunities: 0,
    activities: 0,
  };

  let tx!: WriteTx;
  // Written in batches of DEMO_BATCH leads, one transaction each: the WAL stays small and
  // checkpoints run between batches (a 100 000-lead demo would otherwise be one
  // multi-gigabyte transaction).
  const batch = (fn: () => void) =>
    store.write((t) => {
      tx = t;
      fn();
    });
  {
    const personName = () => ({ family: f.person.lastName(), given: f.person.firstName() });
    const fullName = (p: { family: string; given: string }) =>
      options.locale === 'zh-CN' ? `${p.family}${p.given}` : `${p.given} ${p.family}`;

    const reps: string[] = [];
    const campaigns: { id: string; kind: string; start: number }[] = [];
    batch(() => {
      // Reps and a manager.
      for (let i = 0; i < 7; i++) {
        const p = personName();
        const id = tx.insert('users', {
          name: fullName(p),
          email: `${f.internet
            .username()
            .toLowerCase()
            .replace(/[^a-z0-9._-]/g, '')}${i}@example.com`,
          role: i === 0 ? 'manager' : 'rep',
          active: 1,
          created_at: now - 400 * DAY,
        });
        if (i > 0) reps.push(id);
        result.users++;
      }

      // Campaigns: trade shows (costly, productive), webinars, ads.
      const addCampaign = (
        name: string,
        kind: string,
        daysAgo: number,
        cost: number,
        location: string | null,
      ) => {
        const start = now - daysAgo * DAY;
        const id = tx.insert('campaigns', {
          name,
          kind,
          location,
          start_date: dateOnly(start),
          end_date: dateOnly(start + (kind === 'trade_show' ? 3 : 0) * DAY),
          cost,
          currency,
          owner_id: f.helpers.arrayElement(reps),
          created_at: start - 30 * DAY,
        });
        campaigns.push({ id, kind, start });
        result.campaigns++;
      };
      t.events.forEach((name, i) =>
        addCampaign(
          name,
          'trade_show',
          340 - i * 58,
          f.number.int({ min: 8, max: 40 }) * 1_000_000,
          f.location.city(),
        ),
      );
      t.webinars.forEach((name, i) =>
        addCampaign(
          name,
          'webinar',
          200 - i * 90,
          f.number.int({ min: 1, max: 5 }) * 100_000,
          null,
        ),
      );
      t.ads.forEach((name, i) =>
        addCampaign(name, 'ad', 300 - i * 120, f.number.int({ min: 5, max: 20 }) * 1_000_000, null),
      );
    });
    const events = campaigns.filter((c) => c.kind === 'trade_show');
    const online = campaigns.filter((c) => c.kind !== 'trade_show');

    const stageIds = Object.fromEntries(
      defaultStages.map((s) => [s.key, defaultStageId(s.key)]),
    ) as Record<string, string>;
    const openStages = ['initial', 'needs', 'quote', 'negotiation'];
    const lastRank = new Map<string, string | null>();
    const place = (stageKey: string) => {
      const sid = stageIds[stageKey]!;
      const rank = rankBetween(lastRank.get(sid) ?? null, null);
      lastRank.set(sid, rank);
      return `${sid}:${rank}`;
    };

    const accountsByCompany = new Map<string, string>();

    const addActivity = (values: Record<string, unknown>) => {
      tx.insert('activities', values);
      result.activities++;
    };

    for (let start = 0; start < options.leads; start += DEMO_BATCH)
      batch(() => {
        for (let n = start; n < Math.min(options.leads, start + DEMO_BATCH); n++) {
          if (n > 0 && n % 1000 === 0) options.onProgress?.(n, options.leads);
          // More recent months are busier.
          const age = Math.floor(365 * Math.pow(f.number.float({ min: 0, max: 1 }), 1.4));
          const source = weighted<LeadSource>(f, [
            ['event', 35],
            ['web_form', 20],
            ['third_party', 12],
            ['social', 10],
            ['referral', 10],
            ['phone', 8],
            ['existing_customer', 5],
          ]);
          let createdAt = now - age * DAY - f.number.int({ min: 0, max: DAY - 1 });
          let campaignId: string | null = null;
          if (source === 'event') {
            const past = events.filter((e) => e.start <= now);
            const ev = f.helpers.arrayElement(past);
            campaignId = ev.id;
            createdAt = ev.start + f.number.int({ min: 0, max: 3 * DAY - 1 });
          } else if ((source === 'web_form' || source === 'social') && f.datatype.boolean(0.4)) {
            const c = f.helpers.arrayElement(online);
            campaignId = c.id;
            createdAt = Math.max(createdAt, c.start);
          }
          createdAt = Math.min(createdAt, now - 60_000);
          const atBooth = source === 'event';
          const traits: LeadTraits = {
            source,
            budget: weighted<BudgetLevel>(
              f,
              atBooth
                ? [
                    ['confirmed', 30],
                    ['estimated', 30],
                    ['unknown', 30],
                    ['none', 10],
                  ]
                : [
                    ['confirmed', 12],
                    ['estimated', 25],
                    ['unknown', 45],
                    ['none', 18],
                  ],
            ),
            authority: weighted<AuthorityLevel>(
              f,
              atBooth
                ? [
                    ['decision_maker', 35],
                    ['influencer', 35],
                    ['user', 20],
                    ['unknown', 10],
                  ]
                : [
                    ['decision_maker', 15],
                    ['influencer', 30],
                    ['user', 30],
                    ['unknown', 25],
                  ],
            ),
            need: weighted<NeedLevel>(f, [
              ['clear', 30],
              ['vague', 45],
              ['none', 25],
            ]),
            timeline: weighted<TimelineLevel>(f, [
              ['lt_3m', 20],
              ['m3_6', 30],
              ['m6_12', 25],
              ['none', 25],
            ]),
          };
          const p = personName();
          const company = f.company.name();
          const owner = f.helpers.arrayElement(reps);
          const odds = conversionOdds(traits);
          const ageDays = (now - createdAt) / DAY;
          // Young leads have not been worked yet; older ones have an outcome.
          const worked = Math.min(1, ageDays / 21);
          const r = f.number.float({ min: 0, max: 1 });
          const status =
            r < odds * worked
              ? 'converted'
              : r < odds * worked + (1 - odds) * 0.55 * worked
                ? 'unqualified'
                : ageDays < 3
                  ? 'new'
                  : f.helpers.arrayElement(['new', 'contacted', 'contacted', 'qualified']);
          const budgetAmount =
            traits.budget === 'confirmed' || traits.budget === 'estimated'
              ? f.number.int({ min: 2, max: 200 }) * 1_000_000
              : null;
          const email = f.datatype.boolean(0.85)
            ? f.internet.email({ firstName: p.given, lastName: p.family }).toLowerCase()
            : null;
          const phone = f.datatype.boolean(0.8) ? f.phone.number() : null;
          const leadId = tx.insert('leads', {
            name: fullName(p),
            family_name: p.family,
            given_name: p.given,
            company,
            title: f.helpers.arrayElement(t.titles),
            email,
            phone: phone && phone.length <= 40 ? phone : null,
            wechat:
              options.locale === 'zh-CN' && f.datatype.boolean(0.5)
                ? `wx_${f.string.alphanumeric(8)}`
                : null,
            industry: f.helpers.arrayElement(t.industries),
            region: f.location.state(),
            city: f.location.city(),
            country: options.locale === 'zh-CN' ? '中国' : f.location.country(),
            source,
            campaign_id: campaignId,
            status,
            owner_id: owner,
            budget: traits.budget,
            authority: traits.authority,
            need: traits.need,
            timeline: traits.timeline,
            budget_amount: budgetAmount,
            currency: budgetAmount ? currency : null,
            disqualify_reason: status === 'unqualified' ? f.helpers.arrayElement(t.lost) : null,
            created_at: createdAt,
            // A disqualified lead was last touched when it was disqualified, days after it
            // came in (not at generation time): reports and the scoring backtest order
            // closed leads by it. Derived without the random source, so the rest of the
            // generated data stays as it was for a seed.
            ...(status === 'unqualified'
              ? { updated_at: Math.min(now - 60_000, createdAt + (2 + (result.leads % 19)) * DAY) }
              : {}),
          });
          result.leads++;

          // Activities: worked leads have a history; some open tasks are overdue.
          const touches =
            status === 'new' ? 0 : f.number.int({ min: 1, max: status === 'converted' ? 5 : 3 });
          for (let a = 0; a < touches; a++) {
            const kind = f.helpers.arrayElement(['call', 'email', 'meeting', 'note'] as const);
            const at = Math.min(
              now,
              createdAt + f.number.int({ min: 1, max: 20 }) * DAY * (a + 1) * 0.5,
            );
            addActivity({
              kind,
              subject: f.helpers.arrayElement(t.subjects[kind]),
              lead_id: leadId,
              owner_id: owner,
              occurred_at: Math.floor(at),
              created_at: Math.floor(at),
            });
          }
          if ((status === 'contacted' || status === 'qualified') && f.datatype.boolean(0.6)) {
            const due = now + f.number.int({ min: -10, max: 14 }) * DAY;
            addActivity({
              kind: 'task',
              subject: f.helpers.arrayElement(t.subjects.task),
              lead_id: leadId,
              owner_id: owner,
              due_at: due,
              created_at: Math.min(now, createdAt + DAY),
            });
          }

          if (status !== 'converted') continue;

          // Conversion: account (shared by company), contact, opportunity with a stage history.
          const convertedAt = Math.min(
            now - DAY,
            createdAt + f.number.int({ min: 3, max: 30 }) * DAY,
          );
          let accountId = accountsByCompany.get(company);
          if (!accountId) {
            accountId = tx.insert('accounts', {
              name: company,
              industry: f.helpers.arrayElement(t.industries),
              city: f.location.city(),
              owner_id: owner,
              created_at: convertedAt,
            });
            accountsByCompany.set(company, accountId);
            result.accounts++;
          }
          const contactId = tx.insert('contacts', {
            name: fullName(p),
            family_name: p.family,
            given_name: p.given,
            account_id: accountId,
            email,
            owner_id: owner,
            lead_id: leadId,
            created_at: convertedAt,
          });
          result.contacts++;
          const amount = budgetAmount ?? f.number.int({ min: 5, max: 120 }) * 1_000_000;
          const winOdds = sigmoid(
            -0.6 +
              (traits.authority === 'decision_maker' ? 0.9 : 0) +
              (traits.budget === 'confirmed' ? 0.8 : 0) +
              (traits.need === 'clear' ? 0.4 : 0) +
              (source === 'referral' || source === 'existing_customer' ? 0.5 : 0),
          );
          // Walk the funnel: each step takes days; old deals have closed.
          const history: { from: string | null; to: string; at: number }[] = [
            { from: null, to: 'initial', at: convertedAt },
          ];
          let at = convertedAt;
          let stage = 'initial';
          let closedAt: number | null = null;
          for (const next of openStages.slice(1)) {
            const stepAt = at + f.number.int({ min: 4, max: 25 }) * DAY;
            if (stepAt > now) break;
            if (f.number.float({ min: 0, max: 1 }) > 0.55 + winOdds * 0.4) {
              // Falls out of the funnel here.
              const lostAt = stepAt;
              history.push({ from: stage, to: 'lost', at: lostAt });
              stage = 'lost';
              closedAt = lostAt;
              break;
            }
            history.push({ from: stage, to: next, at: stepAt });
            stage = next;
            at = stepAt;
          }
          if (stage === 'negotiation') {
            const closeAt = at + f.number.int({ min: 5, max: 30 }) * DAY;
            if (closeAt <= now) {
              const won = f.number.float({ min: 0, max: 1 }) < winOdds + 0.2;
              history.push({ from: stage, to: won ? 'won' : 'lost', at: closeAt });
              stage = won ? 'won' : 'lost';
              closedAt = closeAt;
            }
          }
          const expected = closedAt ?? now + f.number.int({ min: 7, max: 120 }) * DAY;
          const oppId = tx.insert('opportunities', {
            name: `${company} · ${f.helpers.arrayElement(t.need)}`,
            account_id: accountId,
            contact_id: contactId,
            lead_id: leadId,
            owner_id: owner,
            stage_position: place(stage),
            amount,
            currency,
            expected_close_date: dateOnly(expected),
            source,
            campaign_id: campaignId,
            lost_reason: stage === 'lost' ? f.helpers.arrayElement(t.lost) : null,
            closed_at: closedAt,
            created_at: convertedAt,
          });
          result.opportunities++;
          for (const h of history) {
            tx.insert('stage_history', {
              opportunity_id: oppId,
              from_stage_id: h.from ? stageIds[h.from]! : null,
              to_stage_id: stageIds[h.to]!,
              changed_at: h.at,
              user_id: owner,
              amount,
              currency,
              created_at: h.at,
            });
          }
          tx.update('leads', leadId, {
            converted_at: convertedAt,
            converted_opportunity_id: oppId,
            converted_account_id: accountId,
            converted_contact_id: contactId,
          });
          if (stage !== 'won' && stage !== 'lost') {
            addActivity({
              kind: 'task',
              subject: f.helpers.arrayElement(t.subjects.task),
              opportunity_id: oppId,
              contact_id: contactId,
              owner_id: owner,
              due_at: now + f.number.int({ min: -5, max: 20 }) * DAY,
              created_at: at,
            });
          }
        }
      });
  }
  // Written in many batches: the search indexes are merged once at the end.
  if (options.leads >= 1000) store.optimizeSearchIndex();
  options.onProgress?.(options.leads, options.leads);
  return result;
}
