// Security and behaviour of the web-mode transport, over real sockets.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import type { ApiServer } from '../../src-main/api/router.js';
import { startWebServer, type WebServer } from '../../src-main/web/server.js';
import { tempDir } from '../helpers/store.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => { result?: unknown; error?: { code: string; message: string; issues?: unknown[] } };
}

function request(
  web: WebServer,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: web.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { Host: `127.0.0.1:${web.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
          });
        });
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('web transport', () => {
  let api: ApiServer;
  let web: WebServer;
  const staticDir = tempDir('leadbook-static-');
  beforeAll(async () => {
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Leadbook</title>');
    api = await openLeadbook(':memory:');
    web = await startWebServer(api, { staticDir, maxBodyBytes: 10_000 });
  });
  afterAll(async () => {
    await web.close();
    await api.close();
  });

  const call = (name: string, input: unknown, headers: Record<string, string> = {}) =>
    request(web, {
      method: 'POST',
      path: `/api/call/${name}`,
      headers: {
        Authorization: `Bearer ${web.token}`,
        'Content-Type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(input),
    });
  const leadCount = async () =>
    ((await call('leads.list', {})).json().result as { total: number }).total;

  it('binds to loopback and hands out a URL with the token in the fragment only', () => {
    expect(web.host).toBe('127.0.0.1');
    expect(web.openUrl).toBe(`${web.url}#token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves a call with the token', async () => {
    const res = await call('leads.create', { name: '王五' });
    expect(res.status).toBe(200);
    expect((res.json().result as { name: string }).name).toBe('王五');
  });

  it('refuses calls without the right token', async () => {
    const none = await call('leads.list', {}, { Authorization: '' });
    expect(none.status).toBe(401);
    expect(none.json().error!.code).toBe('UNAUTHORIZED');
    const wrong = await call('leads.list', {}, { Authorization: `Bearer ${web.token.slice(1)}x` });
    expect(wrong.status).toBe(401);
    const events = await request(web, { path: '/api/events' });
    expect(events.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await call('leads.list', {}, { Host: `evil.example:${web.port}` });
    expect(res.status).toBe(403);
    const page = await request(web, { path: '/', headers: { Host: `evil.example:${web.port}` } });
    expect(page.status).toBe(403);
    const otherPort = await call('leads.list', {}, { Host: `127.0.0.1:${web.port + 1}` });
    expect(otherPort.status).toBe(403);
  });

  it('refuses cross-origin requests even with the token', async () => {
    const before = await leadCount();
    const res = await call('leads.create', { name: 'csrf' }, { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const site = await call('leads.create', { name: 'csrf' }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(site.status).toBe(403);
    expect(await leadCount()).toBe(before);
    const same = await call('leads.list', {}, { Origin: `http://127.0.0.1:${web.port}` });
    expect(same.status).toBe(200);
  });

  it('rejects bad bodies with a clear error and changes nothing', async () => {
    const before = await leadCount();
    const big = await call('leads.create', { name: 'x', notes: 'y'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(big.json().error!.code).toBe('PAYLOAD_TOO_LARGE');
    const notJson = await request(web, {
      method: 'POST',
      path: '/api/call/leads.create',
      headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(notJson.status).toBe(400);
    const plain = await call('leads.create', { name: 'x' }, { 'Content-Type': 'text/plain' });
    expect(plain.status).toBe(400);
    const invalid = await call('leads.create', { name: '', email: 'nope' });
    expect(invalid.status).toBe(400);
    const err = invalid.json().error!;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.issues!.length).toBe(2);
    expect(invalid.body).not.toMatch(/at .*\.ts:\d+/);
    expect((await call('no.such', {})).status).toBe(404);
    expect(await leadCount()).toBe(before);
  });

  it('serves the app shell with a strict CSP and never files outside it', async () => {
    const page = await request(web, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const deep = await request(web, { path: '/leads/123' });
    expect(deep.body).toContain('<title>Leadbook</title>');
    const traversal = await request(web, { path: '/..%2f..%2fpackage.json' });
    expect([403, 404]).toContain(traversal.status);
    expect(traversal.body).not.toContain('"name"');
  });

  it('streams change events to an authorised client', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: web.port,
          path: '/api/events',
          headers: { Host: `127.0.0.1:${web.port}`, Authorization: `Bearer ${web.token}` },
        },
        (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            const m = /data: (.*)\n\n/.exec(buf);
            if (m) {
              resolve(m[1]!);
              req.destroy();
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    await call('leads.create', { name: 'evented' });
    expect(JSON.parse(await received)).toEqual({
      type: 'changed',
      tables: ['leads'],
      origin: 'local',
    });
  });
});
