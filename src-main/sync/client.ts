// The laptop's side of the /v1 protocol over HTTP (Node's fetch): gzip both ways, a time
// limit on every request, and errors sorted into what the app can say in plain words.
import zlib from 'node:zlib';
import {
  APP_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type HelloRequest,
  type HelloResponse,
  type PullResponse,
  type PushResponse,
  type SyncEntry,
  type SyncErrorBody,
  type SyncErrorCode,
} from '../contract/index.js';

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    readonly details: SyncErrorBody['error'] | null = null,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
  /** Worth retrying later (the network, an overloaded or restarting server). */
  get transient(): boolean {
    return this.code === 'NETWORK' || this.status >= 500 || this.status === 429;
  }
}

export interface SyncClientOptions {
  /** ms for one request (a pull of 2 000 entries over a slow link fits). */
  timeoutMs?: number;
  /** The protocol this laptop speaks (tests pretend to be an old app). */
  protocol?: number;
  /** Aborts every request of this client (the app is closing). */
  signal?: AbortSignal;
}

export class SyncClient {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly protocol: number;
  private readonly signal: AbortSignal | undefined;

  constructor(
    server: string,
    private readonly token: string,
    options: SyncClientOptions = {},
  ) {
    this.base = server.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.protocol = options.protocol ?? SYNC_PROTOCOL_VERSION;
    this.signal = options.signal;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      [SYNC_HEADERS.protocol]: String(this.protocol),
      [SYNC_HEADERS.appVersion]: APP_VERSION,
      'accept-encoding': 'gzip',
      ...extra,
    };
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    let payload: Blob | undefined;
    const extra: Record<string, string> = {};
    if (body !== undefined) {
      const text = JSON.stringify(body);
      extra['content-type'] = 'application/json';
      if (text.length > 4096) {
        payload = new Blob([new Uint8Array(zlib.gzipSync(text, { level: 4 }))]);
        extra['content-encoding'] = 'gzip';
      } else payload = new Blob([text]);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    signal ??= this.signal;
    const send = () =>
      fetch(this.base + path, {
        method,
        headers: this.headers(extra),
        ...(payload ? { body: payload } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    let res: Response;
    try {
      try {
        res = await send();
      } catch (err) {
        // A kept-alive connection the server closed meanwhile (it restarted): every request
        // of the protocol is idempotent, so one immediate retry on a fresh one is safe.
        if (!isStaleConnection(err)) throw err;
        res = await send();
      }
    } catch (err) {
      throw networkError(err, this.base);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw networkError(err, this.base);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncHttpError(
        res.status,
        res.status >= 500 ? 'UNAVAILABLE' : 'BAD_RESPONSE',
        `${this.base} did not answer as a Leadbook sync server (HTTP ${res.status})`,
      );
    }
    if (!res.ok) {
      const e = (json as Partial<SyncErrorBody>).error;
      if (e && typeof e.code === 'string' && typeof e.message === 'string')
        throw new SyncHttpError(res.status, e.code, e.message, e);
      throw new SyncHttpError(res.status, 'BAD_RESPONSE', `HTTP ${res.status} from ${this.base}`);
    }
    return json as T;
  }

  hello(body: HelloRequest): Promise<HelloResponse> {
    return this.request('POST', '/v1/hello', body);
  }

  push(entries: SyncEntry[]): Promise<PushResponse> {
    return this.request('POST', '/v1/push', { entries });
  }

  pull(after: number, afterHlc: string | null, limit: number): Promise<PullResponse> {
    const q = new URLSearchParams({ after: String(after), limit: String(limit) });
    if (after > 0 && afterHlc) q.set('afterHlc', afterHlc);
    return this.request('GET', `/v1/pull?${q}`);
  }

  /** Listens to the live channel until `signal` aborts or the stream ends; calls `onHead`
   * with the server's head on connect and whenever entries land. Resolves when the stream
   * ends, rejects when it cannot connect. */
  async live(onHead: (head: number) => void, signal: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/v1/live`, {
        headers: this.headers({ accept: 'text/event-stream' }),
        signal,
      });
    } catch (err) {
      throw networkError(err, this.base);
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let e: SyncErrorBody['error'] | undefined;
      try {
        e = (JSON.parse(text) as SyncErrorBody).error;
      } catch {
        e = undefined;
      }
      throw new SyncHttpError(
        res.status,
        e?.code ?? 'BAD_RESPONSE',
        e?.message ?? `HTTP ${res.status}`,
        e ?? null,
      );
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('');
          if (!data) continue;
          try {
            const head = (JSON.parse(data) as { head?: unknown }).head;
            if (typeof head === 'number') onHead(head);
          } catch {
            // A line we do not understand (a newer server): ignore it, keep listening.
          }
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw networkError(err, this.base);
    }
  }
}

function isStaleConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

function networkError(err: unknown, base: string): SyncHttpError {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError')
    return new SyncHttpError(0, 'NETWORK', `${base} did not answer in time`);
  if (e?.name === 'AbortError') return new SyncHttpError(0, 'NETWORK', 'stopped');
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return new SyncHttpError(0, 'NETWORK', `cannot reach ${base} (${detail})`);
}
