// `leadbook sync-server …` (the team's sync server) and `leadbook sync` (one cycle from
// the command line). The server is named apart from `leadbook serve`, the local web UI.
import fs from 'node:fs';
import path from 'node:path';
import { openLeadbook } from '../api/bootstrap.js';
import { createInProcessClient } from '../api/router.js';
import { DEFAULT_SYNC_PORT, openLogStore, startSyncServer } from '../../src-server/server.js';
import { memberRoles } from '../../src-server/logStore.js';
import { localNetworkAddresses } from '../api/hub.js';
import { formatJoinLink } from '../contract/index.js';
import { choice, cliKey, intOption, parse, parseWithFiles, required, UsageError } from './args.js';

export interface SyncCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const syncHelp = {
  server: `Usage: leadbook sync-server [--port N] [--host H] [--public-url URL] [--data FILE] [--json]
       leadbook sync-server invite --name NAME [--role admin|manager|rep] [--public-url URL] [--data FILE] [--json]
       leadbook sync-server token create --user NAME [--role admin|manager|rep] [--label L] [--data FILE] [--json]
       leadbook sync-server token list [--data FILE] [--json]
       leadbook sync-server token revoke DEVICE_ID [--data FILE] [--json]

Runs the team's sync server (default port ${DEFAULT_SYNC_PORT}, bound to 127.0.0.1; --host 0.0.0.0
serves the local network — put it behind an HTTPS proxy before the internet). Its log is
kept in one SQLite file (--data; default $LEADBOOK_SYNC_DATA or ./leadbook-sync.db), or in
PostgreSQL when DATABASE_URL is set (several server processes may share one PostgreSQL).
Logs are JSON lines (pino, LOG_LEVEL) on standard output; Ctrl+C or SIGTERM finishes
requests in flight, then stops.

The first start prints a one-time admin code and its join link (again at each start until
an admin has joined): paste the link in Leadbook › Settings › Team sync › Join a team. The
admin then invites everyone else from the app. --public-url is the address laptops use to
reach this server (default: the address it listens on). "invite" makes an invite from the
server's own command line.

"token create" makes a device token for a team member (created when new) and prints it
once: the server keeps only its hash. "token revoke" stops a device at once.`,
  sync: `Usage: leadbook sync --db PATH [--join LINK | --server URL --token T] [--json]
       leadbook sync --db PATH --export FILE [--everything] [--json]
       leadbook sync --db PATH --import FILE [--json]

Syncs the database once with its team server (and booth hub) and prints what moved.
--join redeems an invite link first (leadbook://join?…); --server and --token connect with
a token made by "sync-server token create" (the token may also come from
LEADBOOK_SYNC_TOKEN, which ps does not show). Exit 1 when a server cannot be reached or
refuses.

With no network at all: --export writes the changes the other laptops have not confirmed
(or --everything) into one signed .leadbook-sync file to pass by USB stick or chat; --import
applies one (the same file twice changes nothing; a file of another team, cut off or
altered is refused and changes nothing). --join also takes a pairing link
(leadbook://pair-file?…) for sync by file only.`,
  hub: `Usage: leadbook hub --db PATH [--host IP] [--port N] [--invite NAME [--role R]] [--json]

Serves this database's booth hub: sync for the team's laptops over the local network, with
no internet, over TLS with a certificate made on first use (kept beside the database). It
listens on one local-network address of this computer (--host; default the first private
IPv4 address) and port 7412 unless taken. --invite prints a one-time join link (with the
certificate's fingerprint, which the joining laptop pins) for one person. The database
itself syncs with the hub, and with its team server when it has one. Ctrl+C stops it.`,
};

function out(io: SyncCliIo, json: boolean | undefined, data: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(data)}\n` : `${text}\n`);
}

const defaultData = () => path.resolve(process.env.LEADBOOK_SYNC_DATA ?? 'leadbook-sync.db');

function publicUrl(given: string | undefined, fallback: string): string {
  const url = (given ?? fallback).trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/i.test(url))
    throw new UsageError('--public-url must start with http:// or https://');
  return url;
}

export async function syncServerCommand(argv: string[], io: SyncCliIo): Promise<number> {
  if (argv[0] === 'token') return tokenCommand(argv.slice(1), io);
  if (argv[0] === 'invite') return inviteCommand(argv.slice(1), io);
  const o = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    'public-url': { type: 'string' },
  });
  if (o.help) return (io.stdout(`${syncHelp.server}\n`), 0);
  const port = intOption(o.port, 'port', 0, 65535, DEFAULT_SYNC_PORT);
  const host = o.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
    throw new UsageError('--host must be a host name or IP address');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  let server;
  try {
    server = await startSyncServer({
      host,
      port,
      dataFile: o.data ? path.resolve(o.data) : defaultData(),
      databaseUrl,
      logger: { level: process.env.LOG_LEVEL ?? 'info' },
    });
  } catch (err) {
    throw new UsageError(`cannot start the sync server: ${(err as Error).message}`);
  }
  // Bound to every interface, the link names this machine's local-network address (the
  // address colleagues' laptops use), not 127.0.0.1.
  const lan = localNetworkAddresses()[0];
  const wildcard = host === '0.0.0.0' || host === '::';
  const reachable = publicUrl(
    o['public-url'],
    wildcard && lan ? `http://${lan}:${server.port}` : server.url,
  );
  const adminLink = server.adminCode
    ? formatJoinLink({ server: reachable, code: server.adminCode })
    : null;
  out(
    io,
    o.json,
    {
      url: server.url,
      port: server.port,
      host: server.host,
      store: server.dialect,
      data: server.describe,
      workspace: server.workspace.id,
      adminCode: server.adminCode,
      adminLink,
    },
    `Leadbook sync server at ${server.url} (${server.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${server.describe})` +
      (adminLink
        ? `\nNo admin yet. One-time admin code (works once, for 24 hours): ${server.adminCode}\nIn Leadbook › Settings › Team sync › Join a team, paste:\n  ${adminLink}`
        : `\nInvite people from Leadbook › Settings › Team sync, or: leadbook sync-server invite --name NAME`),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1;
}

async function inviteCommand(argv: string[], io: SyncCliIo): Promise<number> {
  const o = parse(argv, {
    name: { type: 'string' },
    role: { type: 'string' },
    data: { type: 'string' },
    'public-url': { type: 'string' },
  });
  if (o.help) return (io.stdout(`${syncHelp.server}\n`), 0);
  const name = required(o.name, 'name').trim();
  if (!name || name.length > 120) throw new UsageError('--name must be 1 to 120 characters');
  const role = o.role === undefined ? 'rep' : choice(o.role, 'role', memberRoles);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataFile = o.data ? path.resolve(o.data) : defaultData();
  const server = publicUrl(o['public-url'], `http://127.0.0.1:${DEFAULT_SYNC_PORT}`);
  const { store, database } = await openLogStore({ dataFile, databaseUrl });
  try {
    const made = await store.createInvite('operator', { name, role });
    const link = formatJoinLink({ server, code: made.code });
    out(
      io,
      o.json,
      { ...made, link },
      `Invite for ${name} (${role}), works once until ${new Date(made.expiresAt).toISOString()}:\n  ${link}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function tokenCommand(argv: string[], io: SyncCliIo): Promise<number> {
  const { values: o, files } = parseWithFiles(
    argv,
    {
      user: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      data: { type: 'string' },
    },
    2,
  );
  if (o.help || !files[0]) return (io.stdout(`${syncHelp.server}\n`), o.help ? 0 : 2);
  const action = choice(files[0], 'token action', ['create', 'list', 'revoke'] as const);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataFile = o.data ? path.resolve(o.data) : defaultData();
  if (!databaseUrl && action !== 'create' && !fs.existsSync(dataFile))
    throw new UsageError(`no sync server data at ${dataFile}`);
  const { store, database } = await openLogStore({ dataFile, databaseUrl });
  try {
    if (action === 'create') {
      const user = required(o.user, 'user').trim();
      if (!user || user.length > 100)
        throw new UsageError('--user must be a name of 1 to 100 characters');
      const role = o.role === undefined ? undefined : choice(o.role, 'role', memberRoles);
      const made = await store.createToken({
        user,
        ...(role ? { role } : {}),
        ...(o.label ? { label: o.label } : {}),
      });
      out(
        io,
        o.json,
        made,
        `Token for ${user} (device ${made.deviceId}) — shown once, keep it safe:\n${made.token}`,
      );
    } else if (action === 'list') {
      const devices = await store.listDevices();
      out(
        io,
        o.json,
        devices,
        devices.length
          ? devices
              .map(
                (d) =>
                  `${d.id}  ${d.member} (${d.role})${d.label ? ` ${d.label}` : ''}  last seen ${d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never'}${d.revokedAt ? '  REVOKED' : ''}`,
              )
              .join('\n')
          : 'No devices yet.',
      );
    } else {
      const id = required(files[1], 'device id');
      const revoked = await store.revokeDevice(id);
      if (!revoked) throw new UsageError(`no active device ${id}`);
      out(io, o.json, { revoked: id }, `Device ${id} revoked: its token no longer works.`);
    }
  } finally {
    await database.close();
  }
  return 0;
}

export async function hubCommand(argv: string[], io: SyncCliIo): Promise<number> {
  const o = parse(argv, {
    db: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    invite: { type: 'string' },
    role: { type: 'string' },
  });
  if (o.help) return (io.stdout(`${syncHelp.hub}\n`), 0);
  const dbPath = path.resolve(required(o.db, 'db'));
  if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
  const port = o.port === undefined ? undefined : intOption(o.port, 'port', 0, 65535, 0);
  const role = o.role === undefined ? 'rep' : choice(o.role, 'role', memberRoles);
  const api = await openLeadbook(dbPath, { key: cliKey(o) }, { background: true });
  const client = createInProcessClient(api);
  try {
    const status = await client.call('hub.start', {
      ...(o.host ? { host: o.host } : {}),
      ...(port !== undefined ? { port } : {}),
    });
    const invite = o.invite
      ? await client.call('hub.invite', { name: o.invite.trim(), role })
      : null;
    out(
      io,
      o.json,
      { ...status, invite },
      `Booth hub at ${status.url} (certificate ${status.fingerprint})` +
        (invite
          ? `\nInvite for ${invite.name} (${invite.role}), works once:\n  ${invite.link}`
          : `\nMake an invite: leadbook hub --db ${dbPath} --invite NAME, or in the app (Settings › Team sync).`),
    );
  } catch (err) {
    await api.close();
    throw err;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1;
}

async function syncFileCommand(
  o: {
    db?: string;
    export?: string;
    import?: string;
    everything?: boolean;
    join?: string;
    json?: boolean;
    'key-file'?: string;
  },
  io: SyncCliIo,
): Promise<number> {
  if (o.export && o.import) throw new UsageError('--export and --import do not go together');
  const dbPath = path.resolve(required(o.db, 'db'));
  if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
  const api = await openLeadbook(dbPath, { key: cliKey(o) });
  try {
    const client = createInProcessClient(api);
    if (o.join) await client.call('sync.join', { link: o.join });
    if (o.export) {
      const file = await client.call('sync.fileExport', { everything: o.everything === true });
      const target = path.resolve(o.export);
      fs.writeFileSync(target, Buffer.from(file.content, 'base64'));
      out(
        io,
        o.json,
        { file: target, entries: file.rows },
        `Wrote ${file.rows} changes to ${target}`,
      );
    } else {
      const source = path.resolve(o.import!);
      if (!fs.existsSync(source)) throw new UsageError(`no file at ${source}`);
      const done = await client.call('sync.fileImport', {
        content: fs.readFileSync(source).toString('base64'),
      });
      out(
        io,
        o.json,
        done,
        `Applied ${done.applied} new changes from ${done.from} (${done.duplicates} already here)`,
      );
    }
  } finally {
    await api.close();
  }
  return 0;
}

export async function syncCommand(argv: string[], io: SyncCliIo): Promise<number> {
  const o = parse(argv, {
    db: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    join: { type: 'string' },
    export: { type: 'string' },
    import: { type: 'string' },
    everything: { type: 'boolean' },
  });
  if (o.help) return (io.stdout(`${syncHelp.sync}\n`), 0);
  if (o.export || o.import) return syncFileCommand(o, io);
  const dbPath = path.resolve(required(o.db, 'db'));
  if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
  const token = o.token ?? process.env.LEADBOOK_SYNC_TOKEN;
  if (o.server && !token) throw new UsageError('--server needs --token (or LEADBOOK_SYNC_TOKEN)');
  if (o.token && !o.server) throw new UsageError('--token needs --server');
  if (o.join && o.server) throw new UsageError('--join and --server do not go together');
  const api = await openLeadbook(dbPath, { key: cliKey(o) });
  try {
    const client = createInProcessClient(api);
    if (o.join) await client.call('sync.join', { link: o.join });
    if (o.server && token) await client.call('sync.connect', { server: o.server, token });
    const moved = await client.call('sync.now', {});
    const status = await client.call('sync.status', {});
    out(
      io,
      o.json,
      { ...moved, waiting: status.waiting, server: status.server },
      `Synced with ${status.server}: sent ${moved.pushed} (${moved.pushDuplicates} already there), received ${moved.pulled} (${moved.applied} new, ${moved.duplicates} already here)${moved.reset ? '; the server had lost entries, so everything was sent again' : ''}. Waiting: ${status.waiting}.`,
    );
  } finally {
    await api.close();
  }
  return 0;
}
