// Values read off a lead for rules and for the predictive model: its fields, and a few
// facts derived from them (what kind of email domain, whether it has a phone, how senior
// the title is).
import type { AssignmentField } from '../contract/index.js';

export interface ScorableLead {
  [field: string]: unknown;
}

/** Email domains of free-mail providers, where the domain says nothing about the buyer. */
const FREE_MAIL = new Set([
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'aliyun.com',
  '139.com',
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'mail.ru',
  'yandex.ru',
]);

export function emailDomainKind(email: unknown): 'free' | 'business' | 'none' {
  if (typeof email !== 'string' || !email.includes('@')) return 'none';
  const domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  return FREE_MAIL.has(domain) ? 'free' : 'business';
}

const EXECUTIVE =
  /(总裁|总经理|董事|总监|首席|副总|合伙人|创始人|\b(ceo|cto|cfo|coo|cio|cmo|vp|svp|evp|president|director|chief|founder|owner|partner|head of|geschäftsführer|leiter|inhaber)\b)/i;
const MANAGER = /(经理|主管|主任|负责人|\b(manager|lead|supervisor|teamleiter)\b)/i;

export function titleLevel(title: unknown): 'executive' | 'manager' | 'staff' | 'unknown' {
  if (typeof title !== 'string' || !title.trim()) return 'unknown';
  if (EXECUTIVE.test(title)) return 'executive';
  if (MANAGER.test(title)) return 'manager';
  return 'staff';
}

/** A lead field, or one of the values derived from the lead, as a rule sees it. */
export function ruleValue(lead: ScorableLead, field: AssignmentField | `cf.${string}`): unknown {
  switch (field) {
    case 'email_domain_kind':
      return emailDomainKind(lead.email);
    case 'any_phone':
      return lead.phone || lead.mobile ? 'yes' : 'no';
    case 'title_level':
      return titleLevel(lead.title);
    case 'tags':
      return parseList(lead.tags);
    default:
      return lead[field] ?? null;
  }
}

function parseList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || !v) return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [v];
  } catch {
    return [v];
  }
}
