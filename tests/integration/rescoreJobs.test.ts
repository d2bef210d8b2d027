// Rescoring every lead in the background: a real worker thread on a real database file,
// a page per transaction. The app saves a configuration and answers at once; the scores
// follow when the worker is done; a second change while it runs wins; a daily pass keeps
// engagement cooling; the main connection stays free to write meanwhile.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient, type ApiServer } from '../../src-main/api/router.js';
import { defaultScoringConfig, type ScoringConfig } from '../../src-main/contract/index.js';
import { tempDir } from '../helpers/store.js';

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fileApi(background = false) {
  const db = path.join(tempDir(), 'rescore.db');
  // Tiny threshold: 600 leads are "a big database" here, so the worker path runs.
  const server = await openLeadbook(db, {}, { background, rescore: { workerFromLeads: 100 } });
  servers.push(server);
  return { server, api: createInProcessClient(server), db };
}

const withRule = (points: number): ScoringConfig => ({
  ...defaultScoringConfig,
  rules: [
    ...defaultScoringConfig.rules,
    {
      id: 'cn',
      name: 'China',
      enabled: true,
      field: 'country',
      op: 'equals',
      value: '中国',
      points,
    },
  ],
});

async function seed(api: ReturnType<typeof createInProcessClient>, n: number) {
  const content = Buffer.from(
    ['Name,Country', ...Array.from({ length: n }, (_, i) => `Lead ${i},中国`)].join('\n'),
  ).toString('base64');
  const report = await api.call('imports.run', { fileName: 'seed.csv', content });
  expect(report.created).toBe(n);
}

const scores = async (api: ReturnType<typeof createInProcessClient>) =>
  new Set((await api.call('leads.list', { limit: 1000 })).rows.map((l) => l.score));

describe('background rescoring', () => {
  it('saves the configuration at once and rescores every lead in a worker', async () => {
    const { api } = await fileApi();
    await seed(api, 600);
    expect(await scores(api)).toEqual(new Set([0]));
    const saved = await api.call('scoring.updateConfig', withRule(20));
    expect(saved.rules).toHaveLength(5);
    // Meanwhile the app takes a capture, scored with the new rules in its own transaction.
    const captured = await api.call('leads.create', { name: 'Booth', country: '中国' });
    expect(captured.score).toBe(20);
    let state = await api.call('scoring.rescoreState', {});
    for (let i = 0; state.running && i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await api.call('scoring.rescoreState', {});
    }
    expect(state).toMatchObject({ running: false, lastRescored: 601, lastFailed: false });
    expect(await scores(api)).toEqual(new Set([20]));
  });

  it('lets the newest configuration win when it changes during a run', async () => {
    const { api, server } = await fileApi();
    await seed(api, 600);
    await api.call('scoring.updateConfig', withRule(20));
    await api.call('scoring.updateConfig', withRule(30));
    await waitIdle(server);
    expect(await scores(api)).toEqual(new Set([30]));
  });

  it('relearns the model and rescores in the background on a big database', async () => {
    const { api, server } = await fileApi();
    await seed(api, 300);
    const summary = await api.call('scoring.rebuildModel', {});
    expect([summary.inBackground, summary.rescored]).toEqual([true, 0]);
    await waitIdle(server);
    expect((await api.call('scoring.rescoreState', {})).lastRescored).toBe(300);
  });

  it('rescores once a day in the app, not in one-shot commands', async () => {
    // Opened as a one-shot command would open it: no daily pass.
    const first = await fileApi(false);
    await seed(first.api, 200);
    expect((await first.api.call('scoring.rescoreState', {})).lastRescored).toBeNull();
    // Opened as the app: no full rescore on record yet, so one runs.
    await first.server.close();
    servers.splice(servers.indexOf(first.server), 1);
    const app = await openLeadbook(
      first.db,
      {},
      { background: true, rescore: { workerFromLeads: 100 } },
    );
    servers.push(app);
    await waitIdle(app);
    const after = await createInProcessClient(app).call('scoring.rescoreState', {});
    expect(after.lastRescored).toBe(200);
    await app.close();
    servers.splice(servers.indexOf(app), 1);
    // Opened again the same day: nothing to do.
    const again = await openLeadbook(
      first.db,
      {},
      { background: true, rescore: { workerFromLeads: 100 } },
    );
    servers.push(again);
    const state = await createInProcessClient(again).call('scoring.rescoreState', {});
    expect([state.running, state.lastRescored]).toEqual([false, null]);
  });
});

/** Polls until no rescore runs. */
async function waitIdle(server: ApiServer) {
  const api = createInProcessClient(server);
  for (let i = 0; i < 400; i++) {
    if (!(await api.call('scoring.rescoreState', {})).running) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('rescore did not finish');
}
