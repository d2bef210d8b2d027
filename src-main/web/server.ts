// Local HTTP transport for web mode: the renderer in an ordinary browser talks to the same
// API as in Electron. It is a door into the user's data on their own machine, so:
//  - it binds to 127.0.0.1 unless told otherwise;
//  - every API request needs the per-launch secret token (Authorization: Bearer …);
//  - the Host header must name this server (defeats DNS rebinding), and a request that
//    carries an Origin must come from this server's own origin (no cross-site calls);
//  - request bodies are capped, and errors are {code, message, issues} — no stack traces.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../api/csp.js';
import { errorShape } from '../api/errors.js';
import type { ApiServer } from '../api/router.js';
import { ApiError, type ApiErrorShape, type ErrorCode } from '../contract/index.js';

export interface WebServerOptions {
  host?: string;
  port?: number;
  /** Fixed token (tests); a random one is made per launch otherwise. */
  token?: string;
  /** Built renderer to serve (dist/renderer); API only when absent. */
  staticDir?: string | null;
  maxBodyBytes?: number;
}

export interface WebServer {
  url: string;
  /** The URL to open: carries the token in the fragment, which is never sent to a server. */
  openUrl: string;
  token: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const statusOf: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNKNOWN_PROCEDURE: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  CLOCK_DRIFT: 409,
  BUSY: 503,
  UNREACHABLE: 502,
  LOCKED: 423,
  READ_ONLY: 409,
  DISK_FULL: 507,
  DAMAGED: 500,
  INTERNAL: 500,
};

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(data);
}

function sendError(res: http.ServerResponse, err: ApiErrorShape): void {
  if (err.code === 'PAYLOAD_TOO_LARGE') res.setHeader('Connection', 'close');
  sendJson(res, statusOf[err.code] ?? 500, { error: err });
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new ApiError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering but keep draining, so the client still reads the 413 (destroying
        // the socket would look like a network failure); the connection closes after.
        req.removeAllListeners('data');
        req.resume();
        reject(new ApiError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebServer(
  api: ApiServer,
  options: WebServerOptions = {},
): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const maxImportBody = 176 * 1024 * 1024;
  const staticDir = options.staticDir ? path.resolve(options.staticDir) : null;
  let port = options.port ?? 0;
  const sseClients = new Set<http.ServerResponse>();

  const wildcard = host === '0.0.0.0' || host === '::';
  /** Host headers this server answers to: loopback names, the address it was bound to,
   * and — when bound to all interfaces — IP literals. Never an arbitrary DNS name: that is
   * what a DNS-rebinding page would send. */
  const hostAllowed = (hostHeader: string): boolean => {
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(hostHeader);
    if (!m || Number(m[2]) !== port) return false;
    const name = m[1]!;
    const bare = name.replace(/^\[|\]$/g, '');
    if (LOOPBACK.has(name)) return true;
    if (wildcard) return isIP(bare) !== 0;
    return bare === host;
  };

  const checkOrigin = (req: http.IncomingMessage): ApiError | null => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!hostAllowed(hostHeader)) {
      return new ApiError('FORBIDDEN', 'unexpected Host header');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${hostHeader}`) {
      return new ApiError('FORBIDDEN', 'cross-origin requests are not allowed');
    }
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'cross-site')
      return new ApiError('FORBIDDEN', 'cross-site requests are not allowed');
    return null;
  };

  const checkToken = (req: http.IncomingMessage): ApiError | null => {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    return given && tokensEqual(given, token)
      ? null
      : new ApiError('UNAUTHORIZED', 'missing or wrong access token');
  };

  const handleCall = async (req: http.IncomingMessage, res: http.ServerResponse, name: string) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, { code: 'BAD_INPUT', message: 'use POST' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    // Requiring JSON also forces a CORS preflight for any cross-site script, which we
    // never answer.
    if (type !== 'application/json') {
      return sendError(res, {
        code: 'BAD_INPUT',
        message: 'Content-Type must be application/json',
      });
    }
    // Imports carry a whole file (base64), a card scan a photo; every other call is small.
    const big =
      name.startsWith('imports.') ||
      name === 'sync.fileImport' ||
      name === 'leads.readCard' ||
      name === 'leads.setCardPhoto';
    const body = await readBody(req, big ? maxImportBody : maxBody);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return sendError(res, { code: 'BAD_INPUT', message: 'request body is not valid JSON' });
    }
    const result = await api.dispatch(decodeURIComponent(name), input);
    sendJson(res, 200, { result: result ?? null });
  };

  const handleEvents = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    const off = api.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(ping);
      off();
      sseClients.delete(res);
    });
  };

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, { code: 'BAD_INPUT', message: 'method not allowed' });
    }
    if (!staticDir)
      return sendError(res, { code: 'NOT_FOUND', message: 'no renderer build to serve' });
    let file = path.resolve(staticDir, `.${pathname}`);
    if (!file.startsWith(staticDir + path.sep) && file !== staticDir) {
      return sendError(res, { code: 'FORBIDDEN', message: 'path outside the app' });
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      // Client-side routes fall back to the app shell; missing assets are 404s.
      if (path.extname(pathname))
        return sendError(res, { code: 'NOT_FOUND', message: 'not found' });
      file = path.join(staticDir, 'index.html');
      if (!fs.existsSync(file))
        return sendError(res, { code: 'NOT_FOUND', message: 'no renderer build to serve' });
    }
    const data = fs.readFileSync(file);
    res.writeHead(200, {
      'Content-Type': mime[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.endsWith('index.html')
        ? 'no-store'
        : 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const originError = checkOrigin(req);
        if (originError) return sendError(res, originError.toJSON());
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (pathname.startsWith('/api/')) {
          const tokenError = checkToken(req);
          if (tokenError) return sendError(res, tokenError.toJSON());
          if (pathname === '/api/events') return handleEvents(req, res);
          const m = /^\/api\/call\/([A-Za-z0-9_.%-]{1,100})$/.exec(pathname);
          if (m) return await handleCall(req, res, m[1]!);
          return sendError(res, { code: 'NOT_FOUND', message: 'no such endpoint' });
        }
        return serveStatic(req, res, pathname);
      } catch (err) {
        if (!res.headersSent) sendError(res, errorShape(err));
        else res.end();
      }
    })();
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 20_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
