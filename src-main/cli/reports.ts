// `leadbook report funnel|sources|forecast|cycle`: the numbers the Reports and Forecast
// pages show, asked through the same API procedures (one implementation), as JSON or as
// plain text for a terminal.
import type {
  CycleReport,
  ForecastReport,
  FunnelReport,
  FunnelStep,
  LeadbookApi,
  SourcesReport,
} from '../contract/index.js';
import { currencyDigits } from '../contract/index.js';
import { UsageError } from './args.js';

export const analyticsReports = ['funnel', 'sources', 'forecast', 'cycle'] as const;
export type AnalyticsReport = (typeof analyticsReports)[number];

export interface ReportOptions {
  from?: string | undefined;
  to?: string | undefined;
  /** A user id or name. */
  owner?: string | undefined;
}

/** This machine's time zone, as minutes east of UTC (days and months are its own). */
const localOffset = () => -new Date().getTimezoneOffset();

async function ownerIds(client: LeadbookApi, owner: string | undefined) {
  if (!owner) return undefined;
  const users = (await client.call('users.list', { limit: 1000 })).rows;
  const hit = users.find((u) => u.id === owner || u.name === owner);
  if (!hit) throw new UsageError(`no user called ${owner}`);
  return [hit.id];
}

export async function runAnalyticsReport(
  client: LeadbookApi,
  kind: AnalyticsReport,
  o: ReportOptions,
): Promise<{ data: unknown; text: string }> {
  const base = {
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
    utcOffset: localOffset(),
  };
  const owner_id = await ownerIds(client, o.owner);
  const input = { ...base, ...(owner_id ? { owner_id } : {}) };
  switch (kind) {
    case 'funnel': {
      const r = await client.call('reports.funnel', input);
      return { data: r, text: formatFunnel(r) };
    }
    case 'sources': {
      const r = await client.call('reports.sources', input);
      return { data: r, text: formatSources(r) };
    }
    case 'cycle': {
      const r = await client.call('reports.cycle', input);
      return { data: r, text: formatCycle(r) };
    }
    case 'forecast': {
      const r = await client.call('reports.forecast', { ...input, backtest: true });
      return { data: r, text: formatForecast(r) };
    }
  }
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const money = (minor: number, currency: string) =>
  `${(minor / 10 ** currencyDigits(currency)).toLocaleString('en', { maximumFractionDigits: 0 })} ${currency}`;
const days = (x: number | null) => (x === null ? '—' : `${x} d`);

function steps(s: FunnelStep[]): string {
  return s
    .map((x) => `${x.step} ${x.count}${x.rate === null ? '' : ` (${pct(x.rate)})`}`)
    .join(' → ');
}

function formatFunnel(r: FunnelReport): string {
  return [
    `Funnel: ${steps(r.steps)}`,
    'By source:',
    ...r.bySource.map((x) => `  ${x.source ?? '(none)'}: ${steps(x.steps)}`),
    'By event:',
    ...r.byEvent.map((x) => `  ${x.name ?? '(none)'}: ${steps(x.steps)}`),
  ].join('\n');
}

function formatSources(r: SourcesReport): string {
  return [
    `Sources and events (revenue in ${r.currency}):`,
    ...r.rows.map(
      (x) =>
        `  ${x.kind} ${x.name ?? '(none)'}: ${x.leads} leads, ${x.converted} converted (${pct(x.conversionRate)}), ${x.won} won, ${money(x.wonRevenue.amount, r.currency)}` +
        (x.cost ? `, cost ${money(x.cost.amount, r.currency)}, ROI ${pct(x.roi)}` : ''),
    ),
    ...(r.missingRates.length
      ? [`No exchange rate for ${r.missingRates.join(', ')}: left out.`]
      : []),
  ].join('\n');
}

function formatCycle(r: CycleReport): string {
  return [
    `Lead → opportunity: median ${days(r.leadToOpportunity.medianDays)} (${r.leadToOpportunity.count})`,
    `Opportunity → won: median ${days(r.opportunityToWon.medianDays)} (${r.opportunityToWon.count})`,
    'Time in stage (median):',
    ...r.timeInStage.map((s) => `  ${s.name_en}: ${days(s.medianDays)} (${s.count} stays)`),
  ].join('\n');
}

function formatForecast(r: ForecastReport): string {
  const m = (x: number) => money(x, r.currency);
  const b = r.backtest;
  return [
    `Forecast by ${r.granularity} (${r.currency}): pipeline ${m(r.totals.pipeline)}, weighted ${m(r.totals.weighted)}, predicted ${m(r.totals.predicted)}, won ${m(r.totals.won)}`,
    ...r.buckets.map(
      (x) =>
        `  ${x.period}: weighted ${m(x.weighted)}, predicted ${m(x.predicted)}, commit ${m(x.byCategory.commit)}, won ${m(x.won)}` +
        (x.target !== null ? `, target ${m(x.target)} (${pct(x.attainment)})` : ''),
    ),
    'Stage probabilities (default → learned from history):',
    ...r.stages.map(
      (s) =>
        `  ${s.name_en}: ${s.stageProbability}% → ${s.learnedProbability === null ? '—' : `${(s.learnedProbability * 100).toFixed(0)}%`} (${s.basedOn} closed)`,
    ),
    ...(b
      ? [
          `Backtest ${b.quarter} (as of ${b.asOf}): ${b.openDeals} open deals expected to close in it, weighted ${m(b.weighted)}, predicted ${m(b.predicted)}; of them won ${m(b.actualWonFromCounted)}; won in all ${m(b.actualWon)}`,
        ]
      : []),
    ...(r.missingRates.length
      ? [`No exchange rate for ${r.missingRates.join(', ')}: left out.`]
      : []),
  ].join('\n');
}
