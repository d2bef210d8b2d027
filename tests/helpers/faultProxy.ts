// A fault-injecting HTTP proxy on loopback, between laptops and the sync server: it drops
// connections mid-request, delays, and loses responses after the server has committed.
// Deterministic for a given seed, so a failing property run can be replayed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from './random.js';

export type Fault = 'none' | 'drop-request' | 'lose-response' | 'delay';

export interface FaultProxy {
  url: string;
  /** Share of requests that get a fault (0 = a clean network). */
  setFaultRate(rate: number): void;
  /** Refuse every connection (the network is gone). */
  setOffline(offline: boolean): void;
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: () => string, seed = 1): Promise<FaultProxy> {
  const random = mulberry32(seed);
  let rate = 0;
  let offline = false;
  const counts: Record<Fault, number> = {
    none: 0,
    'drop-request': 0,
    'lose-response': 0,
    delay: 0,
  };
  const server = http.createServer((req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const roll = random();
    const fault: Fault =
      roll >= rate
        ? 'none'
        : (['drop-request', 'lose-response', 'delay'] as const)[Math.floor(random() * 3)]!;
    counts[fault]++;
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      // Cut the connection with part of the body read: the server sees nothing whole.
      if (fault === 'drop-request' && received > 0) req.socket.destroy();
    });
    req.on('end', () => {
      if (fault === 'drop-request') return req.socket.destroy();
      const forward = () => {
        const url = new URL(req.url ?? '/', target());
        const up = http.request(
          url,
          { method: req.method, headers: { ...req.headers, host: url.host }, agent: false },
          (upRes) => {
            if (fault === 'lose-response') {
              // The server committed; the laptop never hears back.
              upRes.resume();
              upRes.on('end', () => req.socket.destroy());
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
          },
        );
        up.on('error', () => req.socket.destroy());
        up.end(Buffer.concat(chunks));
      };
      if (fault === 'delay') setTimeout(forward, Math.floor(random() * 80));
      else forward();
    });
    req.on('error', () => undefined);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaultRate: (r) => (rate = r),
    setOffline: (o) => (offline = o),
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
