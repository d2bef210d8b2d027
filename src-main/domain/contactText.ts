// Reads contact details out of pasted text at the booth: a vCard or MECARD (what badge
// QR codes and phone "share contact" produce), a WeChat card copied as text, or an email
// signature. Pure and forgiving: whatever it cannot place is left out, never guessed
// into the wrong field. (Files of vCards go through the importer instead.)

import iconv from 'iconv-lite';
import { joinNameParts } from './importMapping.js';
import type { ContactDraft } from '../contract/procedures.js';

export type { ContactDraft };

/** Every card of a .vcf file (2.1, 3.0, 4.0), in order; cards without a usable field are
 * kept as empty drafts so their position still counts. */
export function parseVCards(text: string): CardDraft[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const cards = normalized.match(/^BEGIN:VCARD[\s\S]*?^END:VCARD/gim) ?? [];
  return cards.map(parseVCard);
}

/** A card as a file import reads it: everything on it, the second and later phones and
 * emails one per line. */
export interface CardDraft extends ContactDraft {
  other_phones?: string;
  other_emails?: string;
}

/** The capture form takes one phone, one mobile and one email: the others of a pasted
 * card are kept in its notes. */
function forCapture(card: CardDraft): ContactDraft {
  const { other_phones, other_emails, ...draft } = card;
  const more = [other_phones, other_emails].flatMap((x) => (x ? x.split('\n') : []));
  if (more.length) draft.notes = [draft.notes, more.join(' · ')].filter(Boolean).join('\n');
  return draft;
}

/** A badge's QR code: a vCard or MECARD fills the contact; anything else (the organiser's
 * visitor URL, an attendee number) is kept whole as a note, so nothing scanned is lost. */
export function parseBadgePayload(text: string): ContactDraft {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  if (!trimmed) return {};
  if (/^(BEGIN:VCARD|MECARD:)/i.test(trimmed)) return parseContactText(trimmed);
  return { notes: trimmed };
}

export function parseContactText(text: string): ContactDraft {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  if (/^BEGIN:VCARD/im.test(trimmed)) return forCapture(parseVCard(trimmed));
  if (/^MECARD:/i.test(trimmed)) return parseMeCard(trimmed);
  return parseLooseText(trimmed);
}

// ---- vCard 2.1 / 3.0 / 4.0 (the first card) ----

function unescapeVCard(value: string): string {
  return value.replace(/\\([nN,;"\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits on `sep` not preceded by a backslash. */
function splitUnescaped(value: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      cur += ch + value[i + 1]!;
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  const soft = value.replace(/=\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...new TextEncoder().encode(soft[i]!));
  }
  // 2.1 cards from Chinese phones say CHARSET=GB2312 (or GBK) for their bytes.
  const cs = /^(gb2312|gbk|gb18030)$/i.test(charset) ? 'gb18030' : charset || 'utf-8';
  return iconv.encodingExists(cs)
    ? iconv.decode(Buffer.from(bytes), cs)
    : new TextDecoder().decode(new Uint8Array(bytes));
}

function parseVCard(text: string): CardDraft {
  // Unfold: a line starting with a space or tab continues the previous one (RFC 6350);
  // in 2.1 quoted-printable, a line ending in "=" continues too.
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const last = lines.length - 1;
    if (/^[ \t]/.test(raw) && last >= 0) lines[last] += raw.slice(1);
    else if (last >= 0 && /QUOTED-PRINTABLE/i.test(lines[last]!) && lines[last]!.endsWith('='))
      lines[last] = `${lines[last]!.slice(0, -1)}${raw}`;
    else lines.push(raw);
    if (/^END:VCARD/i.test(raw)) break;
  }
  const out: CardDraft = {};
  const phones: Phone[] = [];
  const emails: string[] = [];
  const notes: string[] = [];
  let nickname: string | undefined;
  let handle: string | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    let value = line.slice(colon + 1);
    const [nameWithGroup = '', ...params] = head.split(';');
    const name = nameWithGroup.replace(/^.*\./, '').toUpperCase();
    const paramText = params.join(';').toUpperCase();
    if (/ENCODING=QUOTED-PRINTABLE|(^|;)QUOTED-PRINTABLE(;|$)/.test(paramText))
      value = decodeQuotedPrintable(value, /CHARSET=([^;]+)/.exec(paramText)?.[1] ?? '');
    switch (name) {
      case 'FN':
        out.name = unescapeVCard(value).trim() || out.name;
        break;
      case 'N': {
        const [family = '', given = ''] = splitUnescaped(value, ';').map((p) =>
          unescapeVCard(p).trim(),
        );
        if (family) out.family_name = family;
        if (given) out.given_name = given;
        break;
      }
      case 'ORG':
        out.company ??=
          splitUnescaped(value, ';')
            .map((p) => unescapeVCard(p).trim())
            .filter(Boolean)
            .join(' ') || undefined;
        break;
      case 'TITLE':
        out.title ??= unescapeVCard(value).trim() || undefined;
        break;
      case 'EMAIL':
        if (value.trim()) emails.push(value.trim());
        break;
      case 'TEL':
        phones.push({
          value: telValue(value),
          mobile: /CELL|MOBILE/.test(paramText),
          secondary: /PAGER|FAX/.test(paramText),
        });
        break;
      case 'NICKNAME':
        nickname ??= unescapeVCard(value).trim() || undefined;
        break;
      case 'NOTE':
        if (unescapeVCard(value).trim()) notes.push(unescapeVCard(value).trim());
        break;
      case 'X-SIP':
        if (value.trim())
          phones.push({ value: `sip:${value.trim().replace(/^sip:/i, '')}`, mobile: false });
        break;
      case 'URL':
        out.website ??= unescapeVCard(value).trim() || undefined;
        break;
      case 'ADR':
        out.address ??=
          splitUnescaped(value, ';')
            .map((p) => unescapeVCard(p).trim())
            .filter(Boolean)
            .join(' ') || undefined;
        break;
      case 'X-WECHAT':
      case 'X-WEIXIN':
        out.wechat ??= value.trim() || undefined;
        break;
      case 'IMPP':
        if (/^(wechat|weixin|x-wechat):/i.test(value))
          out.wechat ??= value.replace(/^[^:]+:/, '').trim() || undefined;
        else if (/^sips?:/i.test(value.trim())) phones.push({ value: value.trim(), mobile: false });
        else if (value.trim()) {
          notes.push(`IM: ${value.trim()}`);
          handle ??= value.trim().replace(/^[a-z-]+:/i, '');
        }
        break;
      default:
        // X-AIM, X-QQ, X-SKYPE …: an instant-messaging handle.
        if (/^X-(AIM|ICQ|JABBER|MSN|YAHOO|SKYPE|QQ|GOOGLE-TALK|GTALK)/.test(name) && value.trim()) {
          notes.push(`${name.slice(2)}: ${value.trim()}`);
          handle ??= value.trim();
        }
    }
  }
  assignPhones(out, phones);
  const [email, ...otherEmails] = [...new Set(emails)];
  if (email) out.email = email;
  if (otherEmails.length) out.other_emails = otherEmails.join('\n');
  out.name ??= joinName(out.family_name, out.given_name) ?? nickname ?? handle;
  if (nickname && nickname !== out.name) notes.unshift(`Nickname: ${nickname}`);
  if (notes.length) out.notes = notes.join('\n');
  return clean(out);
}

// ---- MECARD (DoCoMo; common on badges) ----

function parseMeCard(text: string): ContactDraft {
  const body = text.replace(/^MECARD:/i, '').replace(/;;\s*$/, '');
  const out: ContactDraft = {};
  const phones: { value: string; mobile: boolean }[] = [];
  for (const part of splitUnescaped(body.replace(/\n/g, ''), ';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const key = part.slice(0, colon).toUpperCase();
    const value = part
      .slice(colon + 1)
      .replace(/\\(.)/g, '$1')
      .trim();
    if (!value) continue;
    if (key === 'N') {
      const [family = '', given = ''] = value.split(',').map((p) => p.trim());
      if (given) {
        out.family_name = family;
        out.given_name = given;
      }
      out.name = given ? joinName(family, given) : family;
    } else if (key === 'ORG') out.company = value;
    else if (key === 'TITLE') out.title = value;
    else if (key === 'EMAIL') out.email ??= value;
    else if (key === 'TEL') phones.push({ value, mobile: false });
    else if (key === 'URL') out.website ??= value;
    else if (key === 'ADR') out.address ??= value;
  }
  assignPhones(out, phones);
  return clean(out);
}

// ---- labelled or loose text: WeChat cards, email signatures ----

const labels: [keyof ContactDraft, RegExp][] = [
  ['name', /^(姓名|名字|联系人|name|full name)$/i],
  ['company', /^(公司|单位|公司名称|企业|company|organi[sz]ation|firma)$/i],
  ['title', /^(职位|职务|头衔|title|job title|position)$/i],
  ['email', /^(邮箱|电子邮件|电子邮箱|e-?mail|mail)$/i],
  ['mobile', /^(手机|手机号|移动电话|mobile|cell|handy)$/i],
  ['phone', /^(电话|座机|固话|tel|phone|telefon|telephone)$/i],
  ['wechat', /^(微信|微信号|wechat|weixin|wechat id)$/i],
  ['website', /^(网站|网址|官网|web|website|url)$/i],
  ['address', /^(地址|公司地址|address|adresse)$/i],
];

const GREETING =
  /^(?:(?:best|kind|warm|many)?\s*(?:regards|wishes|thanks)|cheers|sincerely|yours|此致|敬礼|谢谢|顺颂|祝好|mit freundlichen grüßen)\b.*$|^--\s*$/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE = /(?:\+?\d[\d\s().-]{6,}\d)/;
const URL = /\b(?:https?:\/\/|www\.)[^\s,;，；]+/i;
const COMPANY =
  /(公司|集团|有限|研究院|研究所|大学|银行|工作室|事务所|\b(?:inc|ltd|llc|gmbh|ag|co|corp|corporation|company|s\.?r\.?l|s\.?a|plc|limited)\b\.?)/i;
const TITLE =
  /(经理|总监|总裁|总经理|主管|工程师|专员|主任|董事|顾问|采购|销售|负责人|首席|执行官|创始人|合伙人|副总|CEO|CTO|CFO|COO|VP|Director|Manager|Engineer|Head|Lead|President|Officer|Founder|Consultant|Buyer|Specialist)/i;

function parseLooseText(text: string): ContactDraft {
  const out: ContactDraft = {};
  const phones: { value: string; mobile: boolean }[] = [];
  const rest: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || GREETING.test(line)) continue;
    const m = /^([^:：]{1,20})\s*[:：]\s*(.+)$/.exec(line);
    const field = m ? labels.find(([, re]) => re.test(m[1]!.trim()))?.[0] : undefined;
    if (m && field) {
      const value = m[2]!.trim();
      if (field === 'phone' || field === 'mobile')
        phones.push({ value, mobile: field === 'mobile' });
      else out[field] ??= value;
      continue;
    }
    rest.push(line);
  }
  // Unlabelled lines: take what is unmistakable (emails, URLs, phone numbers), then a
  // company by its legal form, a title by its words, and a short first line as the name.
  const unplaced: string[] = [];
  for (const line of rest) {
    let left = line;
    const email = EMAIL.exec(left)?.[0];
    if (email) {
      out.email ??= email;
      left = left.replace(email, ' ');
    }
    const url = URL.exec(left)?.[0];
    if (url) {
      out.website ??= url;
      left = left.replace(url, ' ');
    }
    let phone: RegExpExecArray | null;
    while ((phone = PHONE.exec(left))) {
      const digits = phone[0].replace(/\D/g, '');
      const mobile = /^(?:86)?1[3-9]\d{9}$/.test(digits) || /(手机|mobile|cell|\bM\b)/i.test(left);
      phones.push({ value: phone[0].trim(), mobile });
      left = left.replace(phone[0], ' ');
    }
    left = left
      .replace(/^(?:[TMFEW]|tel|mob|fax|手机|电话|邮箱)\s*[:：.]?\s*$/i, '')
      .replace(/[|·•,，;；]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim();
    if (left) unplaced.push(left);
  }
  for (const line of unplaced) {
    if (!out.company && COMPANY.test(line)) out.company = line;
    else if (!out.title && TITLE.test(line) && line.length <= 60) out.title = line;
    else if (!out.name && looksLikeName(line)) out.name = line;
    else if (
      !out.address &&
      /(路|街|号|区|市|省|road|street|st\.|avenue|ave\.|floor|\d{5,6})/i.test(line)
    )
      out.address = line;
  }
  assignPhones(out, phones);
  return clean(out);
}

function looksLikeName(line: string): boolean {
  if (/\d/.test(line)) return false;
  if (/^[\u3400-\u9fff·]{2,5}$/.test(line)) return true;
  return /^[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3}$/.test(line) && line.length <= 40;
}

interface Phone {
  value: string;
  mobile: boolean;
  /** A pager or fax: never the lead's phone while there is a voice number. */
  secondary?: boolean;
}

function assignPhones(out: CardDraft, phones: Phone[]): void {
  const voice = phones.filter((p) => !/^sips?:/i.test(p.value) && !p.secondary);
  const dialable = voice.length ? voice : phones.filter((p) => !/^sips?:/i.test(p.value));
  const mobile = dialable.find((p) => p.mobile);
  const other = dialable.find((p) => p !== mobile);
  if (mobile) out.mobile ??= mobile.value;
  if (other) out.phone ??= other.value;
  // The capture form leads with one phone field: a lone mobile goes there.
  if (!out.phone && out.mobile) {
    out.phone = out.mobile;
    delete out.mobile;
  }
  const rest = phones.filter((p) => p !== mobile && p !== other).map((p) => p.value);
  if (rest.length) out.other_phones = [...new Set(rest)].join('\n');
}

/** A TEL value as a number: a `tel:` URI's extension as " x102", its other parameters
 * dropped. */
function telValue(value: string): string {
  const v = value.trim();
  if (!/^tel:/i.test(v)) return v;
  const [number = '', ...params] = v.slice(4).split(';');
  const ext = params.map((p) => /^ext=(\d{1,8})$/i.exec(p)?.[1]).find(Boolean);
  return ext ? `${number} x${ext}` : number;
}

/** Family + given name as one display name (张三, John Smith); undefined when neither. */
const joinName = (family = '', given = ''): string | undefined =>
  joinNameParts(family, given) || undefined;

function clean(out: CardDraft): CardDraft {
  const result: CardDraft = {};
  for (const [k, v] of Object.entries(out) as [keyof CardDraft, string | undefined][]) {
    const value = v?.trim();
    if (value) result[k] = value;
  }
  return result;
}
