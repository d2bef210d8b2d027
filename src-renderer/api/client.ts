// The renderer's one way to the data: the same typed calls in both shells. Inside
// Electron the preload's bridge carries them over IPC; in web mode they go over HTTP with
// the per-launch token.
import {
  ApiError,
  isApiErrorShape,
  type AppEvent,
  type LeadbookApi,
  type ProcInput,
  type ProcName,
  type ProcOutput,
} from '../../src-main/contract/index.js';

interface Bridge {
  call(
    name: string,
    input: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: unknown }>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    leadbookBridge?: Bridge;
  }
}

function toError(e: unknown): ApiError {
  if (isApiErrorShape(e)) return new ApiError(e.code, e.message, e.issues);
  return new ApiError('INTERNAL', 'unexpected response');
}

function ipcClient(bridge: Bridge): LeadbookApi {
  return {
    async call<P extends ProcName>(name: P, input: ProcInput<P>): Promise<ProcOutput<P>> {
      const reply = await bridge.call(name, input);
      if (reply.ok) return reply.result as ProcOutput<P>;
      throw toError(reply.error);
    },
    onEvent: (listener) => bridge.onEvent((e) => listener(e as AppEvent)),
  };
}

const TOKEN_KEY = 'leadbook.token';

/** The token arrives in the URL fragment (never sent to a server, not in history after
 * this), and is kept for the tab's session so a reload still works. */
export function takeToken(): string {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpClient(token: string): LeadbookApi {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return {
    async call<P extends ProcName>(name: P, input: ProcInput<P>): Promise<ProcOutput<P>> {
      let res: Response;
      try {
        res = await fetch(`./api/call/${name}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError('INTERNAL', 'the Leadbook server is not reachable');
      }
      const body = (await res.json().catch(() => null)) as {
        result?: unknown;
        error?: unknown;
      } | null;
      if (res.ok && body && 'result' in body) return body.result as ProcOutput<P>;
      throw toError(body?.error);
    },
    onEvent(listener) {
      // Server-sent events over fetch (EventSource cannot send the token header), with
      // reconnection after the server restarts.
      let stopped = false;
      let controller = new AbortController();
      const loop = async () => {
        while (!stopped) {
          try {
            controller = new AbortController();
            const res = await fetch('./api/events', { headers, signal: controller.signal });
            if (!res.ok || !res.body) throw new Error(String(res.status));
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buf = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buf += value;
              let i: number;
              while ((i = buf.indexOf('\n\n')) >= 0) {
                const frame = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const data = frame
                  .split('\n')
                  .filter((l) => l.startsWith('data: '))
                  .map((l) => l.slice(6))
                  .join('\n');
                if (data) listener(JSON.parse(data) as AppEvent);
              }
            }
          } catch {
            // fall through to retry
          }
          if (!stopped) await new Promise((r) => setTimeout(r, 2000));
        }
      };
      void loop();
      return () => {
        stopped = true;
        controller.abort();
      };
    },
  };
}

/** While an import is being saved the database answers BUSY (nothing was written). The
 * call is quietly tried again for up to a minute, so a lead captured meanwhile is saved
 * as soon as the import ends instead of bouncing back at the rep. */
const BUSY_RETRY_MS = 400;
const BUSY_GIVE_UP_MS = 60_000;
export function retryWhileBusy(inner: LeadbookApi, sleep = wait): LeadbookApi {
  return {
    async call<P extends ProcName>(name: P, input: ProcInput<P>): Promise<ProcOutput<P>> {
      const started = Date.now();
      for (;;) {
        try {
          return await inner.call(name, input);
        } catch (err) {
          const busy = err instanceof ApiError && err.code === 'BUSY';
          if (!busy || Date.now() - started > BUSY_GIVE_UP_MS) throw err;
          await sleep(BUSY_RETRY_MS);
        }
      }
    },
    onEvent: (listener) => inner.onEvent(listener),
  };
}
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const shell: 'electron' | 'web' = window.leadbookBridge ? 'electron' : 'web';
export const api: LeadbookApi = retryWhileBusy(
  window.leadbookBridge ? ipcClient(window.leadbookBridge) : httpClient(takeToken()),
);
