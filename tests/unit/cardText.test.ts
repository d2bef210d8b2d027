// A business card's OCR boxes → the capture form's fields (domain/cardText.ts): reading
// order, logo letters, the spaces OCR drops, and how sure each field is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readCard,
  readingOrder,
  spaceTitle,
  type OcrLine,
} from '../../src-main/domain/cardText.js';

const line = (text: string, x0: number, y0: number, confidence = 0.99, h = 30): OcrLine => ({
  text,
  confidence,
  box: { x0, y0, x1: x0 + text.length * 20, y1: y0 + h },
});

describe('reading a card', () => {
  it('keeps the boxes of a two-column card apart and in reading order', () => {
    // As the engine may answer them: right column first, a logo letter beside the name.
    const lines = [
      line('E: james.miller@apex.com', 576, 284),
      line('M: +86 170 9533 7668', 574, 234, 0.8),
      line('Sales Director', 67, 287),
      line('James Miller', 69, 220),
      line('A', 92, 77),
      line('Apex Analytics Co., Ltd.', 170, 82),
    ];
    const card = readCard(lines);
    expect(card.draft).toMatchObject({
      name: 'James Miller',
      title: 'Sales Director',
      company: 'Apex Analytics Co. Ltd.',
      email: 'james.miller@apex.com',
      phone: '+86 170 9533 7668',
    });
    expect(card.text.split('\n')[1]).toBe('James Miller');
    // Each field is as sure as the box it came from.
    expect(card.confidence.phone).toBe(0.8);
    expect(card.confidence.name).toBe(0.99);
  });

  it('reads a Chinese card with labels', () => {
    const card = readCard([
      line('朱芳', 74, 87, 1, 60),
      line('博', 882, 77, 1, 60),
      line('区域销售经理', 78, 164),
      line('深圳博远供应链管理股份有限公司', 78, 297),
      line('手机： 181 0725 2673', 79, 404, 0.97),
      line('邮箱： zhu.fang@co67.com.cn', 78, 447),
    ]);
    expect(card.draft).toMatchObject({
      name: '朱芳',
      title: '区域销售经理',
      company: '深圳博远供应链管理股份有限公司',
      email: 'zhu.fang@co67.com.cn',
    });
    expect(card.draft.phone?.replace(/\D/g, '')).toBe('18107252673');
    expect(card.confidence.phone).toBe(0.97);
  });

  it('puts back the spaces OCR drops in titles and run-together names', () => {
    expect(spaceTitle('SalesDirector')).toBe('Sales Director');
    expect(spaceTitle('HeadofProcurement')).toBe('Head of Procurement');
    expect(spaceTitle('大客户经理SalesDirector')).toBe('大客户经理 Sales Director');
    // Words that are not all title words are left alone.
    expect(spaceTitle('Einkaufsleiterin')).toBe('Einkaufsleiterin');
    expect(spaceTitle('CEO')).toBe('CEO');
    expect(readCard([line('ThomasWalker', 10, 10)]).draft.name).toBe('Thomas Walker');
    expect(readCard([line('Ronald McDonald', 10, 10)]).draft.name).toBe('Ronald McDonald');
  });

  it('orders any boxes as a permutation: rows top to bottom, each left to right', () => {
    const box = fc.record({
      text: fc.string({ minLength: 1, maxLength: 8 }),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      x: fc.integer({ min: 0, max: 1000 }),
      y: fc.integer({ min: 0, max: 600 }),
    });
    fc.assert(
      fc.property(fc.array(box, { maxLength: 30 }), (boxes) => {
        const lines = boxes.map((b) => line(b.text, b.x, b.y, b.confidence));
        const ordered = readingOrder(lines);
        expect(new Set(ordered)).toEqual(new Set(lines));
        expect(ordered).toHaveLength(lines.length);
        const mid = (l: OcrLine) => (l.box.y0 + l.box.y1) / 2;
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1]!, ordered[i]!];
          // Within a row left to right; a row never starts above the one before it.
          if (Math.abs(mid(a) - mid(b)) < 15) continue;
          expect(mid(b)).toBeGreaterThanOrEqual(mid(a) - 15);
        }
      }),
    );
  });

  it('never fails on any text, and rates only the fields it filled', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.string({ maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            maxLength: 12,
          },
        ),
        (texts) => {
          const card = readCard(texts.map(([t, c], i) => line(t, 10, i * 40, c)));
          for (const [field, sure] of Object.entries(card.confidence)) {
            expect(card.draft[field as keyof typeof card.draft]).toBeTruthy();
            expect(sure).toBeGreaterThanOrEqual(0);
            expect(sure).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
