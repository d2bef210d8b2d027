// A business card read by OCR → the capture form's fields, each with how sure the reading
// is. The OCR engine answers boxes of text with a confidence each; here they are put in
// reading order (top to bottom, then left to right: a two-column card keeps each box on
// its own line), handed to the same parser as pasted text (domain/contactText.ts), and
// every field the parser filled is traced back to the box it came from for its
// confidence. Pure: the engine runs in services/cardReader.ts.
import type { CardReading, ContactDraft } from '../contract/procedures.js';
import { parseContactText } from './contactText.js';

/** One box of text as the OCR engine read it. */
export interface OcrLine {
  text: string;
  /** 0–1: the engine's mean character confidence. */
  confidence: number;
  /** Top-left and bottom-right corners, in pixels of the image. */
  box: { x0: number; y0: number; x1: number; y1: number };
}

export type { CardReading };
export type CardField = keyof CardReading['confidence'];

/** Boxes whose vertical middles are closer than this share of a box's height are on
 * one row. */
const SAME_ROW = 0.5;

/** Boxes in reading order: rows top to bottom, each left to right. */
export function readingOrder(lines: readonly OcrLine[]): OcrLine[] {
  const mid = (l: OcrLine) => (l.box.y0 + l.box.y1) / 2;
  const byTop = [...lines].sort((a, b) => mid(a) - mid(b));
  const rows: OcrLine[][] = [];
  for (const line of byTop) {
    const row = rows[rows.length - 1];
    const height = Math.max(1, line.box.y1 - line.box.y0);
    if (row && Math.abs(mid(row[0]!) - mid(line)) < height * SAME_ROW) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box.x0 - b.box.x0));
}

/** What OCR gets wrong in a way the parser would trip on: full-width letters and digits,
 * a space after a label's colon, spaces inside an email address. */
export function tidyOcrText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s*([:：])\s*/g, '$1')
    .replace(/([\w.+-])\s*@\s*([\w-])/g, '$1@$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of English job titles. OCR of a small or blurred card often drops the space
 * between two of them ("SalesDirector", "Head ofProcurement"); a title made of these words
 * gets its spaces back. Only titles: names and companies have words of their own
 * (McDonald, LinkedIn) that no list holds. */
const TITLE_WORDS = new Set(
  `of and for the in to sales sale director directors manager managers head chief officer
  executive president vice senior junior regional region area key account accounts business
  development marketing product products project purchasing procurement purchase operations
  operation technology technical engineer engineering general managing lead leader
  specialist consultant representative assistant supervisor coordinator buyer partner
  founder cofounder owner analyst architect designer finance financial human resources
  supply chain logistics quality customer service services support success global
  international national country deputy principal associate strategic channel solutions
  solution information digital research plant factory production export import trade
  office team group division department branch manufacturing commercial corporate
  communications public relations legal counsel administrative administration admin
  secretary controller accountant treasurer ceo cto cfo coo cio cmo vp svp evp hr it`
    .split(/\s+/)
    .filter(Boolean),
);
const LONGEST_TITLE_WORD = Math.max(...[...TITLE_WORDS].map((w) => w.length));

/** `run` cut into title words, when it is made of nothing else. */
function titleWordsOf(run: string): string[] | null {
  const lower = run.toLowerCase();
  // best[i]: the fewest words covering the first i letters.
  const best: (number[] | null)[] = [[]];
  for (let i = 1; i <= lower.length; i++) {
    best[i] = null;
    for (let j = Math.max(0, i - LONGEST_TITLE_WORD); j < i; j++) {
      const before = best[j];
      if (
        before &&
        TITLE_WORDS.has(lower.slice(j, i)) &&
        (!best[i] || before.length + 1 < best[i]!.length)
      )
        best[i] = [...before, j];
    }
  }
  const cuts = best[lower.length];
  if (!cuts || cuts.length < 2) return null;
  return cuts.map((start, k) => run.slice(start, cuts[k + 1] ?? run.length));
}

/** A title with the spaces OCR dropped put back: between Chinese and English, and inside
 * a run of English title words. */
export function spaceTitle(title: string): string {
  return title
    .replace(/([\u3400-\u9fff])([A-Za-z])/g, '$1 $2')
    .replace(/([A-Za-z])([\u3400-\u9fff])/g, '$1 $2')
    .split(' ')
    .map((word) => (/^[A-Za-z]{4,}$/.test(word) ? (titleWordsOf(word)?.join(' ') ?? word) : word))
    .join(' ');
}

const compact = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-()（）]/g, '');

/** The card's fields and how sure each is. A field is as sure as the box it came from
 * (the least sure box, when its value spans several). */
export function readCard(lines: readonly OcrLine[]): CardReading {
  const ordered = readingOrder(lines)
    .map((l) => ({ ...l, text: tidyOcrText(l.text) }))
    // A box of one character is a logo's letter or a stray mark: no field is one letter.
    .filter((l) => [...l.text].length > 1);
  const text = ordered.map((l) => l.text).join('\n');
  const draft = parseContactText(text);
  if (draft.title) draft.title = spaceTitle(draft.title);
  // "ThomasWalker": a full name printed as one word is two words run together (a name
  // with a space of its own, "Ronald McDonald", is left as it is).
  if (draft.name && /^[A-Z][a-z]+[A-Z][a-z]+$/.test(draft.name))
    draft.name = draft.name.replace(/([a-z])([A-Z])/, '$1 $2');
  const confidence: Partial<Record<CardField, number>> = {};
  for (const [field, value] of Object.entries(draft) as [keyof ContactDraft, string][]) {
    // The name's parts come with the name.
    if (!value || field === 'family_name' || field === 'given_name') continue;
    const parts = value.split('\n').map(compact).filter(Boolean);
    const sources = ordered.filter((l) => parts.some((p) => compact(l.text).includes(p)));
    const fromParts = sources.length
      ? Math.min(...sources.map((l) => l.confidence))
      : Math.min(...ordered.map((l) => l.confidence));
    confidence[field] = Math.round(fromParts * 100) / 100;
  }
  return { draft, confidence, text };
}
