// The laptop's side of the /v1 protocol over HTTP (Node's fetch): gzip both ways, a time
// limit on every request, and errors sorted into what the app can say in plain words.
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import {
  APP_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type HelloRequest,
  type HelloResponse,
  type FormKey,
  type FormKeyInput,
  type InviteRequest,
  type InviteResponse,
  type JoinRequest,
  type JoinResponse,
  type TeamDevice,
  type PullResponse,
  type PushResponse,
  type SyncEntry,
  type SyncErrorBody,
  type SyncErrorCode,
} from '../contract/index.js';

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode | 'NETWORK' | 'BAD_RESPONSE' | 'CERT_MISMATCH',
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
  /** A hub's self-signed certificate, pinned by its SHA-256 fingerprint (hex): any other
   * certificate is refused before a byte is sent. */
  fingerprint?: string;
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A fetch that trusts exactly one certificate: the one whose fingerprint was pinned when
 * the laptop joined (from the hub's QR code). The usual CA check cannot apply — the hub's
 * certificate is self-signed — so the pin is the whole check, made on every connection. */
function pinnedFetch(fingerprint: string): FetchLike {
  // No session resumption: a resumed TLS session shows no certificate to check.
  const connector = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  const agent = new Agent({
    connect: (options, callback) =>
      connector(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        const cert = (socket as TLSSocket).getPeerCertificate?.();
        const seen = cert?.fingerprint256?.replace(/:/g, '').toLowerCase();
        if (seen !== fingerprint) {
          socket.destroy();
          const e = new Error(
            `the hub's certificate (${seen ? seen.slice(0, 16) : 'none'}…) is not the one this laptop paired with (${fingerprint.slice(0, 16)}…)`,
          ) as Error & { code: string };
          e.code = 'LEADBOOK_CERT_MISMATCH';
          return callback(e, null);
        }
        callback(null, socket);
      }),
  });
  return (url, init) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
}

export class SyncClient {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly protocol: number;
  private readonly signal: AbortSignal | undefined;
  private readonly fetch: FetchLike;

  constructor(
    server: string,
    private readonly token: string,
    options: SyncClientOptions = {},
  ) {
    this.base = server.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.protocol = options.protocol ?? SYNC_PROTOCOL_VERSION;
    this.signal = options.signal;
    this.fetch = options.fingerprint ? pinnedFetch(options.fingerprint) : fetch;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
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
      this.fetch(this.base + path, {
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

  /** Redeems an invite code (no token yet: the answer carries this device's own). */
  join(body: JoinRequest): Promise<JoinResponse> {
    return this.request('POST', '/v1/join', body);
  }

  invite(body: InviteRequest): Promise<InviteResponse> {
    return this.request('POST', '/v1/invites', body);
  }

  async devices(): Promise<TeamDevice[]> {
    return (await this.request<{ devices: TeamDevice[] }>('GET', '/v1/devices')).devices;
  }

  async revoke(deviceId: string): Promise<TeamDevice[]> {
    const path = `/v1/devices/${encodeURIComponent(deviceId)}/revoke`;
    return (await this.request<{ devices: TeamDevice[] }>('POST', path, {})).devices;
  }

  async forms(): Promise<FormKey[]> {
    return (await this.request<{ forms: FormKey[] }>('GET', '/v1/forms')).forms;
  }

  createForm(body: FormKeyInput): Promise<FormKey> {
    return this.request('POST', '/v1/forms', body);
  }

  async revokeForm(key: string): Promise<FormKey[]> {
    const path = `/v1/forms/${encodeURIComponent(key)}/revoke`;
    return (await this.request<{ forms: FormKey[] }>('POST', path, {})).forms;
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
      res = await this.fetch(`${this.base}/v1/live`, {
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
  if (e?.cause?.code === 'LEADBOOK_CERT_MISMATCH')
    return new SyncHttpError(0, 'CERT_MISMATCH', e.cause.message ?? 'certificate mismatch');
  if (e?.name === 'TimeoutError')
    return new SyncHttpError(0, 'NETWORK', `${base} did not answer in time`);
  if (e?.name === 'AbortError') return new SyncHttpError(0, 'NETWORK', 'stopped');
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return new SyncHttpError(0, 'NETWORK', `cannot reach ${base} (${detail})`);
}
