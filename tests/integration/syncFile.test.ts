// Sync by file, with no network at all: two laptops exchange `.leadbook-sync` files both
// ways and converge (for any edits and any order of files, some lost, some applied twice);
// the same file twice changes nothing; a cut-off file, a file of another team, an altered
// file and a file that is not one are refused with a plain message and change nothing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { runCli } from '../../src-main/cli/index.js';
import { ensureDefaults } from '../../src-main/services/defaults.js';
import { openStore } from '../../src-main/store/open.js';
import type { Store } from '../../src-main/store/store.js';
import { readSyncFile, writeSyncFile, type FileIdentity } from '../../src-main/sync/fileSync.js';
import { tempDir } from '../helpers/store.js';
import { syncedSnapshot } from '../helpers/sync.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const team: FileIdentity = {
  workspaceId: 'team-file-test',
  workspaceName: '华东销售部',
  key: Buffer.alloc(32, 7).toString('base64url'),
};

async function laptop(name: string, dir = tempDir('leadbook-file-')): Promise<Store> {
  const store = await openStore(path.join(dir, `${name}.db`));
  ensureDefaults(store);
  cleanup.push(() => store.close());
  return store;
}

const send = (from: Store, everything = false) =>
  writeSyncFile(from, team, { everything, deviceName: from.path }).bytes;

const leadNames = (s: Store) =>
  s
    .read((r) => r.all(r.qb.selectFrom('leads').select('name').where('deleted_at', 'is', null)))
    .map((x) => x.name)
    .sort();

describe('sync by file', () => {
  it('two laptops exchange files both ways and converge; later files carry only what is new', async () => {
    const a = await laptop('a');
    const b = await laptop('b');
    const id = a.write((tx) => tx.insert('leads', { name: '张三', company: '中石化' }));
    a.write((tx) => tx.insert('leads', { name: '李四' }));
    const first = writeSyncFile(a, team, { everything: false, deviceName: '王伟的电脑' });
    const got = readSyncFile(b, team, first.bytes);
    // Built-in rows (default stages) are on both already.
    expect(got).toMatchObject({ from: '王伟的电脑', entries: first.entries });
    expect(got.applied).toBeGreaterThanOrEqual(2);
    expect(got.applied + got.duplicates).toBe(first.entries);
    expect(leadNames(b)).toEqual(['张三', '李四']);

    b.write((tx) => tx.update('leads', id, { company: '中国石化' }));
    b.write((tx) => tx.insert('leads', { name: '王五' }));
    readSyncFile(a, team, send(b));
    expect(syncedSnapshot(a)).toEqual(syncedSnapshot(b));

    // B confirmed everything A had sent: A's next file holds only A's new change.
    a.write((tx) => tx.insert('leads', { name: '赵六' }));
    const next = writeSyncFile(a, team, { everything: false, deviceName: 'a' });
    expect(next.entries).toBe(1);
    readSyncFile(b, team, next.bytes);
    expect(leadNames(b)).toEqual(['张三', '李四', '王五', '赵六']);
  });

  it('the same file twice changes nothing', async () => {
    const a = await laptop('a');
    const b = await laptop('b');
    a.write((tx) => tx.insert('leads', { name: '重复文件' }));
    const file = send(a);
    readSyncFile(b, team, file);
    const before = syncedSnapshot(b);
    const again = readSyncFile(b, team, file);
    expect(again.applied).toBe(0);
    expect(again.duplicates).toBe(again.entries);
    expect(syncedSnapshot(b)).toEqual(before);
  });

  it('refuses a cut-off file, another team’s file, an altered file and a file that is not one — changing nothing', async () => {
    const a = await laptop('a');
    const b = await laptop('b');
    a.write((tx) => tx.insert('leads', { name: '原始数据', budget_amount: 100 }));
    const file = send(a);
    const before = syncedSnapshot(b);
    const refused = (bytes: Buffer, identity: FileIdentity | null = team) => {
      try {
        readSyncFile(b, identity, bytes);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(file.subarray(0, Math.floor(file.length * 0.6)))).toMatch(/incomplete/);
    expect(
      refused(
        writeSyncFile(
          a,
          { ...team, workspaceId: 'other', workspaceName: '华南' },
          {
            everything: true,
            deviceName: 'a',
          },
        ).bytes,
      ),
    ).toMatch(/another team \(“华南”\)/);
    // One value changed inside the file (recompressed, so the file is well-formed).
    const text = zlib
      .gunzipSync(file)
      .toString('utf8')
      .replace('"budget_amount":100', '"budget_amount":999');
    expect(refused(zlib.gzipSync(text))).toMatch(/changed after it was written/);
    expect(refused(Buffer.from('name,company\n张三,华为\n'))).toMatch(/not a Leadbook sync file/);
    expect(refused(zlib.gzipSync('{"hello":1}\n{}'))).toMatch(/not a Leadbook sync file/);
    expect(refused(file, null)).toMatch(/not paired/);
    expect(() => readSyncFile(a, team, file)).toThrow(/written on this laptop/);
    expect(syncedSnapshot(b)).toEqual(before);
  });

  it('converges for any edits and any order of files, some lost and some applied twice', async () => {
    const dir = tempDir('leadbook-file-prop-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('edit' as const),
              on: fc.constantFrom(0, 1),
              lead: fc.nat(4),
              value: fc.string({ maxLength: 6 }),
            }),
            fc.record({
              kind: fc.constant('file' as const),
              from: fc.constantFrom(0, 1),
              lost: fc.boolean(),
              twice: fc.boolean(),
            }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        async (steps) => {
          run++;
          const laptops = [await laptop(`a${run}`, dir), await laptop(`b${run}`, dir)] as const;
          const ids = ['l0', 'l1', 'l2', 'l3', 'l4'].map((x) => `${x}-${run}`);
          for (const step of steps) {
            if (step.kind === 'edit') {
              const s = laptops[step.on];
              const id = ids[step.lead]!;
              s.write((tx) => {
                const found = tx.first(tx.qb.selectFrom('leads').select('id').where('id', '=', id));
                if (found) tx.update('leads', id, { notes: step.value });
                else tx.insert('leads', { name: `客户${step.lead}`, notes: step.value }, id);
              });
            } else {
              const file = send(laptops[step.from]);
              if (step.lost) continue;
              const to = laptops[1 - step.from]!;
              readSyncFile(to, team, file);
              if (step.twice) readSyncFile(to, team, file);
            }
          }
          // Then a normal exchange: A → B, B → A, A → B.
          readSyncFile(laptops[1], team, send(laptops[0]));
          readSyncFile(laptops[0], team, send(laptops[1]));
          readSyncFile(laptops[1], team, send(laptops[0]));
          expect(syncedSnapshot(laptops[0])).toEqual(syncedSnapshot(laptops[1]));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('through the app and the CLI: pair by link, send, receive', async () => {
    const dir = tempDir('leadbook-file-api-');
    const open = async (name: string) => {
      const server = await openLeadbook(path.join(dir, `${name}.db`));
      cleanup.push(() => server.close());
      return createInProcessClient(server);
    };
    const a = await open('a');
    const b = await open('b');
    await a.call('leads.create', { name: '展会名片' });
    const { link } = await a.call('sync.filePairLink', {});
    expect(link).toMatch(/^leadbook:\/\/pair-file\?/);
    await b.call('sync.join', { link });
    expect((await b.call('sync.fileStatus', {})).workspace).toBe(
      (await a.call('sync.fileStatus', {})).workspace,
    );
    const file = await a.call('sync.fileExport', { everything: false });
    expect(file.fileName).toMatch(/\.leadbook-sync$/);
    const done = await b.call('sync.fileImport', { content: file.content });
    expect(done.applied).toBeGreaterThan(0);
    expect((await b.call('leads.list', {})).rows.map((r) => r.name)).toEqual(['展会名片']);
    expect((await a.call('sync.fileStatus', {})).peers).toEqual([]);
    expect((await b.call('sync.fileStatus', {})).peers).toHaveLength(1);

    // The CLI: export from B, import into a third database paired the same way.
    const out = path.join(dir, 'b.leadbook-sync');
    const cDb = path.join(dir, 'c.db');
    await (await openLeadbook(cDb)).close();
    const io = { out: '', err: '' };
    const cli = (args: string[]) =>
      runCli(args, { stdout: (t) => (io.out += t), stderr: (t) => (io.err += t) });
    expect(
      await cli(['sync', '--db', path.join(dir, 'b.db'), '--export', out, '--everything']),
    ).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(100);
    expect(await cli(['sync', '--db', cDb, '--join', link, '--import', out])).toBe(0);
    expect(io.out).toMatch(/Applied [1-9]\d* new changes/);
    io.out = '';
    expect(await cli(['sync', '--db', cDb, '--import', out, '--json'])).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ applied: 0 });
    // A file of nothing readable: refused, exit 1, plain words.
    fs.writeFileSync(out, 'not a sync file');
    expect(await cli(['sync', '--db', cDb, '--import', out])).toBe(1);
    expect(io.err).toMatch(/not a Leadbook sync file/);
  });
});
