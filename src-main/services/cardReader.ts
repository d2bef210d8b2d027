// Reading business cards (issue 22): a photo → the capture form's fields with how sure
// each is. The OCR runs in a worker thread of its own (services/cardWorker.ts), started on
// the first card and kept for the session (its model loads once, ~0.3 s); the fields come
// from domain/cardText.ts, so a card fills the form exactly as pasted text would.
import type { Worker } from 'node:worker_threads';
import { ApiError } from '../contract/index.js';
import { readCard, type CardReading } from '../domain/cardText.js';
import type { CardReply, CardTask } from './cardWorker.js';
import { MAX_PHOTO_BYTES } from './photos.js';
import { spawnServiceWorker } from './workers.js';

/** A card the worker has not answered by then failed (the worker is started again). */
const READ_TIMEOUT_MS = 60_000;

interface Waiting {
  resolve(lines: CardReply): void;
  timer: ReturnType<typeof setTimeout>;
}

export class CardReader {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();

  async read(image: Uint8Array): Promise<CardReading> {
    if (image.byteLength === 0 || image.byteLength > MAX_PHOTO_BYTES)
      throw new ApiError(
        'BAD_INPUT',
        `a card photo must be between 1 byte and ${MAX_PHOTO_BYTES / 1024 / 1024} MB`,
        [{ path: 'image', message: 'empty or too large' }],
      );
    const reply = await this.ask(image);
    if ('error' in reply)
      throw reply.error === 'not-a-photo'
        ? new ApiError('BAD_INPUT', reply.message, [{ path: 'image', message: 'not a photo' }])
        : new ApiError('INTERNAL', `the card could not be read: ${reply.message}`);
    return readCard(reply.lines);
  }

  private ask(image: Uint8Array): Promise<CardReply> {
    const worker = this.start();
    const id = ++this.seq;
    return new Promise<CardReply>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, error: 'failed', message: 'the reader did not answer in time' });
        void this.stop();
      }, READ_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
      const task: CardTask = { id, image };
      worker.postMessage(task);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnServiceWorker('cardWorker', null);
    worker.on('message', (reply: CardReply) => this.settle(reply));
    // A crashed worker fails what it was reading; the next card starts a new one.
    const fail = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const id of [...this.waiting.keys()]) this.settle({ id, error: 'failed', message });
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`the reader stopped (${code})`));
    // An idle reader does not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: CardReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    clearTimeout(waiting.timer);
    waiting.resolve(reply);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
