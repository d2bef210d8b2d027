// The sync server's HTTP face (Fastify): /v1 hello, push, pull and a live channel (SSE),
// plus health and readiness. Every /v1 request needs a device token; the author of every
// entry is that device's user. Errors are { error: { code, message, index? } }.
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import {
  APP_VERSION,
  formKeyInput,
  formLimits,
  FORM_KEY_PATTERN,
  helloRequestSchema,
  inviteRequestSchema,
  joinRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  syncLimits,
  type SyncErrorBody,
  type SyncErrorCode,
} from '../src-main/contract/index.js';
import { formLead, formValues } from './formLead.js';
import type { LiveHub } from './live.js';
import type { LogStore } from './logStore.js';
import { SyncRefusal, type AuthedDevice } from './logStore.js';

export interface AppOptions {
  store: LogStore;
  live: LiveHub;
  /** Publish wake-ups in this process after a push (SQLite). With PostgreSQL they come
   * back through LISTEN in every process instead. */
  publishLocally: boolean;
  logger?: boolean | { level: string };
  /** The oldest protocol a laptop may speak. */
  minProtocol?: number;
  /** SSE keep-alive comment interval (ms). */
  pingMs?: number;
  /** Serve over TLS (the booth hub's self-signed certificate). */
  https?: { key: string; cert: string };
}

const FAILURE_WINDOW_MS = 60_000;
const MAX_FAILURES = 30;

function refuse(reply: FastifyReply, status: number, body: SyncErrorBody['error']): FastifyReply {
  if (status === 413) reply.header('connection', 'close');
  return reply.code(status).send({ error: body } satisfies SyncErrorBody);
}

function firstIssue(err: ZodError, what: string): { message: string; index?: number } {
  const issue = err.issues[0]!;
  const path = issue.path.map(String);
  if (path[0] === 'entries' && path.length >= 2 && /^\d+$/.test(path[1]!)) {
    const index = Number(path[1]);
    const where = path.slice(2).join('.');
    return { index, message: `entry ${index}${where ? ` (${where})` : ''}: ${issue.message}` };
  }
  return { message: `${what}${path.length ? ` (${path.join('.')})` : ''}: ${issue.message}` };
}

export function buildSyncApp(options: AppOptions): FastifyInstance {
  const { store, live } = options;
  const minProtocol = options.minProtocol ?? SYNC_PROTOCOL_VERSION;
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: options.logger ?? false,
    bodyLimit: syncLimits.maxBodyBytes,
    // In-flight requests finish on close; idle keep-alive sockets do not hold it open.
    forceCloseConnections: 'idle',
  });
  let closing = false;
  /** Open live streams, by device (a revoked device's stream is ended at once). */
  const streams = new Map<FastifyReply, string>();
  /** Failed token and invite-code attempts per address: a guessing client is slowed to a
   * stop. */
  const failures = new Map<string, { count: number; since: number }>();
  const tooManyFailures = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const f = failures.get(req.ip);
    if (f && Date.now() - f.since < FAILURE_WINDOW_MS && f.count >= MAX_FAILURES) {
      refuse(reply, 429, {
        code: 'RATE_LIMITED',
        message: 'too many refused tokens or invite codes; wait a minute',
      });
      return true;
    }
    return false;
  };
  const countFailure = (req: FastifyRequest) => {
    const now = Date.now();
    const f = failures.get(req.ip);
    const cur = f && now - f.since < FAILURE_WINDOW_MS ? f : { count: 0, since: now };
    cur.count++;
    failures.set(req.ip, cur);
    if (failures.size > 10_000) failures.clear();
  };

  // gzip request bodies: undone before parsing, and the body limit counts what comes out.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      delete req.headers['content-length'];
      return payload.pipe(zlib.createGunzip());
    }
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof SyncRefusal)
      return refuse(reply, err.status, { code: err.code, message: err.message, ...err.extra });
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return refuse(reply, 413, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `request body over ${req.routeOptions?.bodyLimit ?? syncLimits.maxBodyBytes} bytes`,
      });
    if (status >= 400 && status < 500)
      return refuse(reply, status, { code: 'BAD_REQUEST', message: err.message });
    req.log.error({ err }, 'sync request failed');
    return refuse(reply, 500, { code: 'INTERNAL', message: 'the server failed; try again' });
  });

  const protocolOk = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const protocol = Number(req.headers[SYNC_HEADERS.protocol] ?? SYNC_PROTOCOL_VERSION);
    if (!Number.isInteger(protocol) || protocol < minProtocol) {
      refuse(reply, 426, {
        code: 'CLIENT_TOO_OLD',
        message: `this server needs a newer Leadbook (protocol ${minProtocol}; the app speaks ${String(req.headers[SYNC_HEADERS.protocol])})`,
        minProtocol,
      });
      return false;
    }
    return true;
  };

  const authed = async (req: FastifyRequest, reply: FastifyReply): Promise<AuthedDevice | null> => {
    if (tooManyFailures(req, reply) || !protocolOk(req, reply)) return null;
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    try {
      return await store.authenticate(token);
    } catch (err) {
      if (err instanceof SyncRefusal && err.code === 'UNAUTHORIZED') countFailure(req);
      throw err;
    }
  };

  const admin = async (req: FastifyRequest, reply: FastifyReply): Promise<AuthedDevice | null> => {
    const device = await authed(req, reply);
    if (device && device.role !== 'admin') {
      refuse(reply, 403, {
        code: 'FORBIDDEN',
        message: 'only an admin can manage the team’s people and devices',
      });
      return null;
    }
    return device;
  };

  const sendJson = (req: FastifyRequest, reply: FastifyReply, body: unknown) => {
    const text = JSON.stringify(body);
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store');
    if (text.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
      return reply.send(zlib.gzipSync(text, { level: 4 }));
    }
    return reply.send(text);
  };

  app.get('/health', async () => ({ ok: true, version: APP_VERSION }));
  app.get('/ready', async (_req, reply) => {
    if (closing) return refuse(reply, 503, { code: 'UNAVAILABLE', message: 'shutting down' });
    try {
      await store.ping();
      return { ready: true };
    } catch {
      return refuse(reply, 503, { code: 'UNAVAILABLE', message: 'the database does not answer' });
    }
  });

  app.post('/v1/hello', async (req, reply) => {
    const device = await authed(req, reply);
    if (!device) return reply;
    const parsed = helloRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'hello') });
    const version = req.headers[SYNC_HEADERS.appVersion];
    const result = await store.hello(
      device,
      { ...parsed.data, appVersion: typeof version === 'string' ? version.slice(0, 40) : null },
      APP_VERSION,
    );
    return sendJson(req, reply, result);
  });

  // Pairing: a one-time invite code (from a link or QR code) becomes this laptop's token.
  app.post('/v1/join', async (req, reply) => {
    if (tooManyFailures(req, reply) || !protocolOk(req, reply)) return reply;
    const parsed = joinRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      countFailure(req);
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'join') });
    }
    try {
      return sendJson(req, reply, await store.join(parsed.data));
    } catch (err) {
      if (err instanceof SyncRefusal && err.code === 'UNAUTHORIZED') countFailure(req);
      throw err;
    }
  });

  app.post('/v1/invites', async (req, reply) => {
    const device = await admin(req, reply);
    if (!device) return reply;
    const parsed = inviteRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'invite') });
    return sendJson(req, reply, await store.createInvite(device, parsed.data));
  });

  app.get('/v1/devices', async (req, reply) => {
    const device = await admin(req, reply);
    if (!device) return reply;
    return sendJson(req, reply, { devices: await store.listDevices(device.workspaceId) });
  });

  app.post<{ Params: { id: string } }>('/v1/devices/:id/revoke', async (req, reply) => {
    const device = await admin(req, reply);
    if (!device) return reply;
    const done = await store.revokeDevice(req.params.id, device.workspaceId);
    if (!done)
      return refuse(reply, 404, {
        code: 'BAD_REQUEST',
        message: 'no such device, or it was removed already',
      });
    // Its live stream ends now; every later request is refused.
    for (const [s, id] of streams) if (id === req.params.id) s.raw.end();
    return sendJson(req, reply, { devices: await store.listDevices(device.workspaceId) });
  });

  // ---- website forms → leads ----

  const configurer = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<AuthedDevice | null> => {
    const device = await authed(req, reply);
    if (device && device.role !== 'admin' && device.role !== 'manager') {
      refuse(reply, 403, {
        code: 'FORBIDDEN',
        message: 'only admins and managers manage website forms',
      });
      return null;
    }
    return device;
  };

  app.get('/v1/forms', async (req, reply) => {
    const device = await configurer(req, reply);
    if (!device) return reply;
    return sendJson(req, reply, { forms: await store.listFormKeys(device) });
  });

  app.post('/v1/forms', async (req, reply) => {
    const device = await configurer(req, reply);
    if (!device) return reply;
    const parsed = formKeyInput.safeParse(req.body ?? {});
    if (!parsed.success)
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'form') });
    return sendJson(req, reply, await store.createFormKey(device, parsed.data));
  });

  app.post<{ Params: { key: string } }>('/v1/forms/:key/revoke', async (req, reply) => {
    const device = await configurer(req, reply);
    if (!device) return reply;
    return sendJson(req, reply, { forms: await store.revokeFormKey(device, req.params.key) });
  });

  // A website's form posts here (any origin): urlencoded from a plain HTML form, or JSON
  // from a script. Each address may post a few per minute; a bot that fills the hidden
  // field is thanked and ignored.
  const submissions = new Map<string, { count: number; since: number }>();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: formLimits.maxBodyBytes },
    (_req, body, done) => {
      try {
        const values: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(body as string)) values[k] = v;
        done(null, values);
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  const cors = (reply: FastifyReply) =>
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type');
  app.options('/v1/forms/:key', async (_req, reply) => cors(reply).code(204).send());
  app.post<{ Params: { key: string } }>(
    '/v1/forms/:key',
    { bodyLimit: formLimits.maxBodyBytes },
    async (req, reply) => {
      cors(reply);
      const json = /json/.test(String(req.headers['content-type'] ?? ''));
      const answer = (status: number, message: string) =>
        json
          ? refuse(reply, status, {
              code: status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST',
              message,
            })
          : reply
              .code(status)
              .header('content-type', 'text/html; charset=utf-8')
              .send(formPage(status < 400, message));
      const now = Date.now();
      const seen = submissions.get(req.ip);
      const window = seen && now - seen.since < FAILURE_WINDOW_MS ? seen : { count: 0, since: now };
      window.count++;
      submissions.set(req.ip, window);
      if (submissions.size > 10_000) submissions.clear();
      if (window.count > formLimits.perMinute)
        return answer(429, 'too many submissions from this address; try again in a minute');
      const key = req.params.key;
      const form = FORM_KEY_PATTERN.test(key) ? await store.formKey(key) : null;
      if (!form) return answer(404, 'this form is not (or no longer) taking submissions');
      const values = formValues(req.body);
      if (!values) return answer(400, 'the form sent something that is not form fields');
      const referer = req.headers.referer ?? req.headers.origin;
      const outcome = formLead(
        values,
        { source: form.source, campaignId: form.campaignId, formName: form.name },
        { page: typeof referer === 'string' ? referer : null, now },
      );
      if (outcome.kind === 'invalid') return answer(400, outcome.message);
      let id: string | null = null;
      if (outcome.kind === 'lead') {
        const written = await store.writeFormLead(form, outcome.fields);
        id = written.leadId;
        if (options.publishLocally) live.publish(form.workspaceId, written.head);
      }
      if (json) return sendJson(req, reply, { ok: true, id });
      if (form.redirectUrl) return reply.code(303).header('location', form.redirectUrl).send();
      return answer(200, 'thank you: we received your details');
    },
  );

  app.post('/v1/push', async (req, reply) => {
    const device = await authed(req, reply);
    if (!device) return reply;
    const body = req.body as { entries?: unknown } | undefined;
    if (Array.isArray(body?.entries) && body.entries.length > syncLimits.maxPushEntries)
      return refuse(reply, 413, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `at most ${syncLimits.maxPushEntries} entries per push (got ${body.entries.length})`,
      });
    const parsed = pushRequestSchema.safeParse(body ?? {});
    if (!parsed.success)
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'push') });
    const { newHead, ...result } = await store.push(device, parsed.data.entries);
    if (newHead !== null && options.publishLocally) live.publish(device.workspaceId, newHead);
    return sendJson(req, reply, result);
  });

  app.get('/v1/pull', async (req, reply) => {
    const device = await authed(req, reply);
    if (!device) return reply;
    const parsed = pullQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success)
      return refuse(reply, 400, { code: 'BAD_REQUEST', ...firstIssue(parsed.error, 'pull') });
    return sendJson(req, reply, await store.pull(device, parsed.data));
  });

  // The live channel: Server-Sent Events carrying the workspace's head whenever entries
  // land (and once on connect). It only wakes laptops; they pull as usual.
  app.get('/v1/live', async (req, reply) => {
    const device = await authed(req, reply);
    if (!device) return reply;
    const head = await store.head(device.workspaceId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`event: head\ndata: ${JSON.stringify({ head })}\n\n`);
    streams.set(reply, device.deviceId);
    const off = live.subscribe(device.workspaceId, (h) =>
      res.write(`event: head\ndata: ${JSON.stringify({ head: h })}\n\n`),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), options.pingMs ?? 20_000);
    const done = () => {
      clearInterval(ping);
      off();
      streams.delete(reply);
    };
    req.raw.on('close', done);
    res.on('close', done);
  });

  app.addHook('preClose', async () => {
    closing = true;
    // Live streams never end by themselves: close them so shutdown can finish; laptops
    // reconnect (to another process, behind a load balancer) with backoff.
    for (const s of streams.keys()) s.raw.end();
    streams.clear();
  });

  return app;
}

/** The page a browser sees after posting a form with no thank-you page of its own. */
function formPage(ok: boolean, message: string): string {
  const esc = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const title = ok ? '已收到 · Received' : '未能提交 · Not sent';
  const zh = ok ? '谢谢！我们已收到您的信息。' : '提交未成功，请返回修改后重试。';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em"><h1>${title}</h1><p>${zh}</p><p>${esc}</p>${ok ? '' : '<p><a href="javascript:history.back()">← 返回 · Back</a></p>'}</body></html>`;
}

export type { SyncErrorCode };
