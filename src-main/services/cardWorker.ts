// The business-card reader's worker: loads the OCR engine once, then reads photos one at a
// time as they arrive. The app's main thread (and so every other request) never waits on
// the ~1 s of OCR a card takes.
import { parentPort } from 'node:worker_threads';
import { loadCardEngine } from './cardOcr.js';
import { NotAPhotoError } from './photos.js';
import type { OcrLine } from '../domain/cardText.js';

export interface CardTask {
  id: number;
  image: Uint8Array;
}
export type CardReply =
  | { id: number; lines: OcrLine[] }
  | { id: number; error: 'not-a-photo' | 'failed'; message: string };

const engine = loadCardEngine();
let queue = Promise.resolve();

parentPort!.on('message', (task: CardTask) => {
  queue = queue.then(async () => {
    let reply: CardReply;
    try {
      reply = { id: task.id, lines: await (await engine).read(task.image) };
    } catch (err) {
      reply = {
        id: task.id,
        error: err instanceof NotAPhotoError ? 'not-a-photo' : 'failed',
        message: (err as Error).message,
      };
    }
    parentPort!.postMessage(reply);
  });
});
