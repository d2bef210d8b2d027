// The booth hub: this laptop serves sync to the team's other laptops over the local network
// when there is no internet — the same server code as the team server (src-server), with
// its own SQLite log beside this laptop's database, over TLS with a self-signed certificate
// made on first use. Other laptops join by scanning its QR code (address, one-time code and
// the certificate's fingerprint, which they pin); nothing is broadcast. This laptop is a
// peer of its own hub, so what is captured at the booth reaches its database — and from
// there the team server, whenever this laptop (or any other that synced with the hub) is
// back online.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import {
  ApiError,
  formatJoinLink,
  memberRoles,
  normaliseFingerprint,
  type HubStartInput,
  type HubStatus,
  type InviteRequest,
  type MemberRole,
  type TeamDevice,
  type TeamInvite,
} from '../contract/index.js';
import { readDevice } from '../services/device.js';
import type { Store } from '../store/store.js';
import { startSyncServer, type RunningSyncServer } from '../../src-server/server.js';
import type { SyncController } from './sync.js';

/** The hub's port unless taken (the team server's default is 7411). */
export const DEFAULT_HUB_PORT = 7412;
const ON_KEY = 'hub.on';
const PORT_KEY = 'hub.port';
const HOST_KEY = 'hub.host';
const PEER_KEY = 'hub.peerId';
/** Pins the address the hub serves on (tests: 127.0.0.1, so nothing leaves the machine). */
const HOST_ENV = 'LEADBOOK_HUB_HOST';

interface Certificate {
  key: string;
  cert: string;
  fingerprint: string;
}

/** This machine's IPv4 addresses on a local network (private ranges), for the hub to serve
 * on — never a public address. */
export function localNetworkAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(a.address))
        out.push(a.address);
    }
  }
  return out;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1';
}

export class HubController {
  private running: RunningSyncServer | null = null;
  private starting: Promise<HubStatus> | null = null;
  private problem: string | null = null;
  private url: string | null = null;
  private fingerprint: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly sync: SyncController,
    private readonly dir: string,
    background: boolean,
  ) {
    // Switched on at the booth, it stays on across a restart of the app until switched off.
    if (background && store.getMeta(ON_KEY) === '1')
      void this.start({}).catch((err: Error) => {
        this.problem = err.message;
      });
  }

  status(): HubStatus {
    const pinned = process.env[HOST_ENV]?.trim();
    return {
      on: this.running !== null,
      url: this.running ? this.url : null,
      fingerprint: this.fingerprint ?? this.readCertificate()?.fingerprint ?? null,
      addresses: pinned ? [pinned] : localNetworkAddresses(),
      problem: this.problem,
    };
  }

  start(input: HubStartInput): Promise<HubStatus> {
    if (this.running) return Promise.resolve(this.status());
    this.starting ??= this.startNow(input).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startNow(input: HubStartInput): Promise<HubStatus> {
    const addresses = localNetworkAddresses();
    const pinned = process.env[HOST_ENV]?.trim() || undefined;
    const host = input.host ?? pinned ?? this.store.getMeta(HOST_KEY) ?? addresses[0];
    if (!host)
      throw new ApiError(
        'BAD_INPUT',
        'this laptop is on no local network: join the booth’s Wi-Fi (or a phone hotspot) first',
      );
    // Served on the local network only: one of this laptop's private addresses (loopback
    // for tests and a single laptop), never every interface.
    if (!isLoopback(host) && !addresses.includes(host))
      throw new ApiError(
        'BAD_INPUT',
        `${host} is not one of this laptop’s local-network addresses`,
        [{ path: 'host', message: 'not a local address' }],
      );
    const cert = await this.certificate();
    const stored = Number(this.store.getMeta(PORT_KEY) ?? '');
    const wanted =
      input.port ?? (Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_HUB_PORT);
    const options = {
      host,
      dataFile: path.join(this.dir, 'hub.db'),
      dataKey: this.store.key,
      tls: { key: cert.key, cert: cert.cert },
      adminCode: false,
      logger: false,
    };
    let server: RunningSyncServer;
    try {
      server = await startSyncServer({ ...options, port: wanted });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || input.port !== undefined) {
        this.problem = (err as Error).message;
        throw new ApiError('BAD_INPUT', `the hub cannot start: ${(err as Error).message}`);
      }
      server = await startSyncServer({ ...options, port: 0 });
    }
    this.running = server;
    this.problem = null;
    this.url = server.url;
    this.fingerprint = cert.fingerprint;
    this.store.setMeta(PORT_KEY, String(server.port));
    this.store.setMeta(HOST_KEY, host);
    this.store.setMeta(ON_KEY, '1');
    try {
      await this.attachSelf(server);
    } catch (err) {
      await this.stop();
      throw err;
    }
    return this.status();
  }

  /** This laptop syncs with its own hub like any other laptop at the booth. */
  private async attachSelf(server: RunningSyncServer): Promise<void> {
    const known = this.store.getMeta(PEER_KEY);
    if (known && (await this.sync.resumePeer(known, server.url))) return;
    const me = this.me();
    const made = await server.store.createToken({
      user: me.name,
      role: me.role,
      memberId: me.id,
      label: os.hostname().slice(0, 80),
    });
    const status = await this.sync.attachPeer({
      url: server.url,
      token: made.token,
      kind: 'hub',
      fingerprint: this.fingerprint,
      role: me.role,
      deviceId: made.deviceId,
      workspace: { id: server.workspace.id, name: server.workspace.name },
      user: { id: made.memberId, name: me.name },
    });
    const peer = status.peers.find((p) => p.kind === 'hub');
    if (peer) this.store.setMeta(PEER_KEY, peer.id);
  }

  /** Who uses this laptop, with their role: the one the team server gives them (a hub
   * never raises anyone's role), or admin of a hub that serves no team server. */
  private me(): { id?: string; name: string; role: MemberRole } {
    const id = readDevice(this.store).currentUserId;
    const row = id
      ? this.store.read((r) =>
          r.first(r.qb.selectFrom('users').select(['id', 'name']).where('id', '=', id)),
        )
      : undefined;
    const team = this.sync.status().peers.find((p) => p.kind === 'server');
    const role = team ? (memberRoles.find((x) => x === team.role) ?? 'rep') : 'admin';
    return row?.name ? { id: row.id, name: row.name, role } : { name: os.hostname(), role };
  }

  async stop(): Promise<HubStatus> {
    this.store.setMeta(ON_KEY, '0');
    const peer = this.store.getMeta(PEER_KEY);
    if (peer) await this.sync.disconnect(peer);
    const running = this.running;
    this.running = null;
    this.url = null;
    await running?.close();
    return this.status();
  }

  private server(): RunningSyncServer {
    if (!this.running) throw new ApiError('BAD_INPUT', 'the booth hub is off: switch it on first');
    return this.running;
  }

  /** A one-time link and QR code to this hub. A team member keeps their team role here. */
  async invite(input: InviteRequest): Promise<TeamInvite> {
    const server = this.server();
    const member = input.userId
      ? this.store.read((r) =>
          r.first(
            r.qb.selectFrom('users').select(['name', 'role']).where('id', '=', input.userId!),
          ),
        )
      : undefined;
    const role = memberRoles.find((x) => x === member?.role) ?? input.role;
    const made = await server.store.createInvite('operator', {
      name: member?.name ?? input.name,
      role,
      ...(input.userId ? { userId: input.userId } : {}),
    });
    return {
      ...made,
      link: formatJoinLink({
        server: this.url!,
        code: made.code,
        fingerprint: this.fingerprint ?? undefined,
      }),
    };
  }

  devices(): Promise<TeamDevice[]> {
    const server = this.server();
    return server.store.listDevices(server.workspace.id);
  }

  async revoke(deviceId: string): Promise<TeamDevice[]> {
    const server = this.server();
    if (!(await server.store.revokeDevice(deviceId, server.workspace.id)))
      throw new ApiError('NOT_FOUND', 'no such device, or it was removed already');
    return this.devices();
  }

  /** Closes the hub with the app (it starts again with the app while switched on). */
  async close(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  // ---- the certificate ----

  private readCertificate(): Certificate | null {
    try {
      const key = fs.readFileSync(path.join(this.dir, 'hub-key.pem'), 'utf8');
      const cert = fs.readFileSync(path.join(this.dir, 'hub-cert.pem'), 'utf8');
      const fingerprint = normaliseFingerprint(new X509Certificate(cert).fingerprint256);
      return fingerprint ? { key, cert, fingerprint } : null;
    } catch {
      return null;
    }
  }

  /** The hub's certificate, made on first use and kept: laptops pinned its fingerprint. */
  private async certificate(): Promise<Certificate> {
    const found = this.readCertificate();
    if (found) return found;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const made = await generate([{ name: 'commonName', value: 'Leadbook booth hub' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600_000),
      extensions: [{ name: 'basicConstraints', cA: false }],
    });
    // The private key is readable by this user only.
    fs.writeFileSync(path.join(this.dir, 'hub-key.pem'), made.private, { mode: 0o600 });
    fs.writeFileSync(path.join(this.dir, 'hub-cert.pem'), made.cert);
    return this.readCertificate()!;
  }
}
