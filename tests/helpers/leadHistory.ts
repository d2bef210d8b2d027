// A synthetic lead history with the shape of the public, anonymised one users bring (an
// online-course seller's ~9 000 leads): a Prospect ID and Lead Number but no name, email or
// phone; lead origin, source, last activity, occupation, country and the do-not-email /
// do-not-call flags as categories; visits, time on the website and pages per visit as
// numbers (some empty); and a Converted 0/1 outcome drawn from a hidden model with the
// real data's tendencies (a lead add form, a working professional, an SMS sent and time
// spent on the site convert; a bounced email and an Olark chat do not). Seeded: the same
// file every run.
import { mulberry32 } from './random.js';

type Weighted = readonly (readonly [string, number, number])[]; // value, share, effect

const pick = (rand: () => number, options: Weighted): [string, number] => {
  const total = options.reduce((s, o) => s + o[1], 0);
  let x = rand() * total;
  for (const [value, share, effect] of options) {
    x -= share;
    if (x <= 0) return [value, effect];
  }
  const last = options[options.length - 1]!;
  return [last[0], last[2]];
};

const ORIGIN: Weighted = [
  ['Landing Page Submission', 53, -0.3],
  ['API', 39, 0],
  ['Lead Add Form', 8, 2.0],
  ['Lead Import', 0.6, -0.5],
];
const SOURCE_WEB: Weighted = [
  ['Google', 35, 0.1],
  ['Direct Traffic', 30, -0.2],
  ['Olark Chat', 20, -0.4],
  ['Organic Search', 13, 0],
  ['Referral Sites', 2, -0.2],
];
const SOURCE_FORM: Weighted = [
  ['Reference', 70, 0.4],
  ['Welingak Website', 30, 1.6],
];
const ACTIVITY: Weighted = [
  ['Email Opened', 37, 0],
  ['SMS Sent', 30, 1.3],
  ['Olark Chat Conversation', 10, -1.1],
  ['Page Visited on Website', 7, -0.2],
  ['Converted to Lead', 5, -0.9],
  ['Email Bounced', 3.5, -1.3],
  ['Email Link Clicked', 3, -0.1],
  ['Form Submitted on Website', 1.3, 0],
  ['Unreachable', 1, 0.3],
  ['Unsubscribed', 0.6, -0.4],
  ['Had a Phone Conversation', 0.3, 2.2],
];
const OCCUPATION: Weighted = [
  ['', 29, -0.9],
  ['Unemployed', 60, 0],
  ['Working Professional', 7.6, 2.3],
  ['Student', 2.3, 0.1],
  ['Other', 0.3, 0.6],
  ['Housewife', 0.1, 3],
  ['Businessman', 0.1, 0.8],
];
const COUNTRY: Weighted = [
  ['India', 70, 0],
  ['', 26, -0.2],
  ['United States', 1, 0],
  ['United Arab Emirates', 1, 0],
  ['Singapore', 0.5, 0],
  ['Saudi Arabia', 0.4, 0],
  ['United Kingdom', 0.3, 0],
];

/** How strongly the columns decide the outcome: set so that a logistic regression on them
 * reaches an AUC near the public file's 0.88. */
const STRENGTH = 1.55;

const HEADER = [
  'Prospect ID',
  'Lead Number',
  'Lead Origin',
  'Lead Source',
  'Do Not Email',
  'Do Not Call',
  'Converted',
  'TotalVisits',
  'Total Time Spent on Website',
  'Page Views Per Visit',
  'Last Activity',
  'Country',
  'What is your current occupation',
];

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** The history as CSV text (UTF-8, the public file's header). */
export function leadHistoryCsv(rows = 9000, seed = 20261205): string {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
  const lines = [HEADER.join(',')];
  for (let i = 0; i < rows; i++) {
    let logit = -1.2;
    const [origin, eo] = pick(rand, ORIGIN);
    const [source, es] = pick(rand, origin === 'Lead Add Form' ? SOURCE_FORM : SOURCE_WEB);
    const [activity, ea] = pick(rand, ACTIVITY);
    const noEmail = rand() < (activity === 'Email Bounced' ? 0.6 : 0.06);
    const noCall = rand() < 0.001;
    const [occupation, ej] = pick(rand, OCCUPATION);
    const [country, ec] = pick(rand, COUNTRY);
    logit += STRENGTH * (eo + es + ea + ej + ec + (noEmail ? -1.2 : 0));
    // A lead add form has no web visit; others visit a few times, some not at all.
    const web = origin !== 'Lead Add Form' && rand() > 0.25;
    const visits = web ? Math.max(1, Math.round(Math.exp(0.9 + 0.6 * gauss()))) : 0;
    // Correlated columns, as in the real file: a chat lead barely browses, a bounced
    // address is often marked "do not email".
    const chat = source === 'Olark Chat' || activity === 'Olark Chat Conversation';
    const time = web ? Math.round(Math.exp((chat ? 4.6 : 5.9) + 0.9 * gauss())) : 0;
    const pages = web ? Math.max(1, Math.round((1 + 2 * rand()) * 100) / 100) : 0;
    logit +=
      STRENGTH *
      (2.6 * Math.tanh(time / 700) - 0.12 * Math.min(pages, 6) + 0.04 * Math.min(visits, 15));
    const converted = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const missingVisits = rand() < 0.015;
    lines.push(
      [
        uuid(rand),
        String(660_000 + i),
        origin,
        source,
        noEmail ? 'Yes' : 'No',
        noCall ? 'Yes' : 'No',
        String(converted),
        missingVisits ? '' : String(visits),
        String(time),
        missingVisits ? '' : String(pages),
        activity,
        country,
        occupation,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
