// The sync server on PostgreSQL: the convergence property, and two server processes on
// one database — a push through one wakes, live, a laptop attached to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStore } from '../../src-server/server.js';
import { spawnCli, type CliProcess } from '../helpers/cliProcess.js';
import { checkConvergence } from '../helpers/convergence.js';
import { startPostgres, type TestPostgres } from '../../bench/pgCluster.js';
import { openLaptop } from '../helpers/sync.js';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

describe('team sync on PostgreSQL', () => {
  it('converges: 3–5 laptops, random edits and syncs, faults and a restart', async () => {
    await checkConvergence({
      numRuns: 6,
      serverStore: async (run) => ({ databaseUrl: await pg.createDatabase(`conv_${run}`) }),
    });
  }, 240_000);

  it('two servers starting at once on a new database agree on one workspace', async () => {
    const databaseUrl = await pg.createDatabase('racing_start');
    const [one, two] = await Promise.all([
      openLogStore({ databaseUrl }),
      openLogStore({ databaseUrl }),
    ]);
    try {
      const [a, b] = await Promise.all([one.store.ensureWorkspace(), two.store.ensureWorkspace()]);
      expect(a).toEqual(b);
    } finally {
      await one.database.close();
      await two.database.close();
    }
  });

  it('members made at once (tokens, invites redeemed) neither deadlock nor lose one', async () => {
    const databaseUrl = await pg.createDatabase('members_at_once');
    const { store, database } = await openLogStore({ databaseUrl });
    try {
      const invites = await Promise.all(
        ['甲', '乙', '丙'].map((name) => store.createInvite('operator', { name, role: 'rep' })),
      );
      const made = await Promise.all([
        ...['王伟', '李娜', '周强', '陈静', '赵磊'].map((user) => store.createToken({ user })),
        ...invites.map((i, n) => store.join({ code: i.code, nodeId: `00000000000000a${n}` })),
      ]);
      expect(made).toHaveLength(8);
      expect((await store.listDevices()).length).toBe(8);
    } finally {
      await database.close();
    }
  });

  it('two server processes on one database: an entry pushed through the second reaches a laptop on the first live, within 2 s', async () => {
    const databaseUrl = await pg.createDatabase('two_processes');
    const servers: CliProcess[] = [];
    const laptops: Awaited<ReturnType<typeof openLaptop>>[] = [];
    try {
      // The first start creates the schema and the workspace; the second finds them.
      for (let i = 0; i < 2; i++) {
        servers.push(
          spawnCli(['sync-server', '--host', '127.0.0.1', '--port', '0', '--json'], {
            DATABASE_URL: databaseUrl,
          }),
        );
        await servers[i]!.ready;
      }
      const [one, two] = (await Promise.all(servers.map((s) => s.ready))).map((j) => String(j.url));
      expect(one).not.toBe(two);
      const { store, database } = await openLogStore({ databaseUrl });
      const ta = await store.createToken({ user: '王伟' });
      const tb = await store.createToken({ user: '李娜' });
      await database.close();

      const a = await openLaptop('a', one!, ta.token, { engine: { live: true, pollMs: 60_000 } });
      const b = await openLaptop('b', two!, tb.token);
      laptops.push(a, b);
      a.engine.start();
      await a.engine.syncOnce();
      await b.engine.syncOnce();
      // Let A's live channel settle on the first process.
      await new Promise((r) => setTimeout(r, 300));

      const lead = b.store.write((tx) =>
        tx.insert('leads', { name: '展会访客', company: '宝钢集团' }),
      );
      const pushedAt = Date.now();
      await b.engine.syncOnce();
      let seenAfter = -1;
      while (Date.now() - pushedAt < 5_000) {
        const got = a.store.read((r) =>
          r.first(r.qb.selectFrom('leads').select('id').where('id', '=', lead)),
        );
        if (got) {
          seenAfter = Date.now() - pushedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seenAfter).toBeGreaterThanOrEqual(0);
      expect(seenAfter).toBeLessThan(2_000);
    } finally {
      for (const l of laptops) await l.close();
      for (const s of servers) await s.stop();
    }
  }, 60_000);
});
