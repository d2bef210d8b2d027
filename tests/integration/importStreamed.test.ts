// A big file read from disk a batch at a time (issue 21). Tests make a small file take that
// path (`pieces`), with batches of a few rows, and hold it to what importing the same file
// whole does: the same leads, the same duplicates caught across batches, the same counts.
// A stop keeps the batches saved and says after which row; undo removes them. Uploads in
// chunks reach the worker as a file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient, type ApiServer } from '../../src-main/api/router.js';
import type { ImportReport } from '../../src-main/contract/index.js';
import {
  ImportCancelledError,
  importLeadsFromFile,
  undoImport,
  type ImportOptions,
} from '../../src-main/services/importLeads.js';
import { ImportJobs } from '../../src-main/services/importJobs.js';
import { openStore } from '../../src-main/store/open.js';
import type { Store } from '../../src-main/store/store.js';
import { tempDir } from '../helpers/store.js';

const stores: Store[] = [];
const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});

async function fileStore(): Promise<Store> {
  const store = await openStore(path.join(tempDir(), 'streamed.db'));
  stores.push(store);
  return store;
}

/** Rows with what a real file has: people repeated across the file (far apart, so in
 * other batches), a row without any identity (rejected), a phone that is words
 * (warned), a quoted note over two lines, and Chinese names. */
function booth(rows: number): string {
  const lines = ['姓名,公司,邮箱,手机,备注'];
  for (let i = 0; i < rows; i++) {
    if (i === 17) lines.push(',,,,只有备注');
    else if (i % 25 === 24)
      // The person of row i - 20 again, with a phone now.
      lines.push(
        `客户${i - 20},公司${(i - 20) % 7}有限公司,c${i - 20}@example.cn,1390000${String(i).padStart(4, '0')},`,
      );
    else if (i === 40) lines.push(`客户${i},公司${i % 7},c${i}@example.cn,打电话前先发微信,`);
    else if (i === 55) lines.push(`客户${i},公司${i % 7},c${i}@example.cn,,"第一行\n第二行"`);
    else lines.push(`客户${i},公司${i % 7},c${i}@example.cn,,`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function writeFile(text: string): string {
  const file = path.join(tempDir(), 'booth.csv');
  fs.writeFileSync(file, text);
  return file;
}

const base: ImportOptions = {
  fileName: 'booth.csv',
  onDuplicate: 'merge',
  allOrNothing: false,
  dryRun: false,
};
const inPieces = { fromBytes: 0, batchRows: 9 };

const leadsOf = (store: Store) =>
  store
    .read((r) =>
      r.all(
        r.qb
          .selectFrom('leads')
          .select(['name', 'email', 'mobile', 'notes'])
          .where('deleted_at', 'is', null)
          .orderBy('email')
          .orderBy('name'),
      ),
    )
    .map((l) => ({ ...l }));

const counts = (r: ImportReport) => ({
  rows: r.rows,
  created: r.created,
  merged: r.merged,
  updated: r.updated,
  skipped: r.skipped,
  rejected: r.rejected.map((x) => x.row),
  warnings: r.warnings.map((w) => w.row),
});

describe('a big file imported a batch at a time', () => {
  it('gives the leads, counts and problem rows that importing it whole gives', async () => {
    const file = writeFile(booth(120));
    const whole = await fileStore();
    const streamed = await fileStore();
    const a = await importLeadsFromFile(whole, file, base);
    const b = await importLeadsFromFile(streamed, file, { ...base, pieces: inPieces });
    expect(a.rows).toBe(120);
    expect(counts(b)).toEqual(counts(a));
    expect(b.merged).toBe(4); // rows 25, 50, 75, 100 merged into rows 5, 30, 55, 80
    expect(leadsOf(streamed)).toEqual(leadsOf(whole));
    // The problem rows are kept for download either way.
    expect(b.problems.map((p) => p.row)).toEqual(a.problems.map((p) => p.row));
    // One batch in the history, undoable as one.
    const history = streamed.read((r) => r.all(r.qb.selectFrom('import_batches').selectAll()));
    expect(history).toHaveLength(1);
    expect(JSON.parse(history[0]!.counts)).toMatchObject({ rows: 120, created: b.created });
  });

  it('a dry run and all-or-nothing read every batch and write nothing', async () => {
    const store = await fileStore();
    const file = writeFile(booth(60));
    const dry = await importLeadsFromFile(store, file, { ...base, dryRun: true, pieces: inPieces });
    expect(dry.rows).toBe(60);
    expect(dry.batchId).toBeNull();
    const refused = await importLeadsFromFile(store, file, {
      ...base,
      allOrNothing: true,
      pieces: inPieces,
    });
    expect(refused.aborted).toBe(true);
    expect(refused.rejected.map((r) => r.row)).toEqual([19]);
    expect(leadsOf(store)).toEqual([]);
  });

  it('a stop keeps the batches saved, says after which row, and undo removes them', async () => {
    const store = await fileStore();
    const file = writeFile(booth(100));
    const report = await importLeadsFromFile(
      store,
      file,
      { ...base, pieces: { fromBytes: 0, batchRows: 20 } },
      (_phase, done) => {
        if (done >= 40) throw new ImportCancelledError();
      },
    );
    // Batches of 20 rows: two were saved (rows 2–41), the third was stopped before it was.
    expect(report.stoppedAfterRow).toBe(41);
    // The report says what was saved, nothing of the batch stopped half-way.
    expect(report.rows).toBe(40);
    expect(report.created).toBe(leadsOf(store).length);
    expect(leadsOf(store).length).toBeGreaterThan(30);
    expect(leadsOf(store).length).toBeLessThan(41);
    undoImport(store, report.batchId!);
    expect(leadsOf(store)).toEqual([]);
  });

  it('a stop half-way through saving a batch rolls that batch back, and the report with it', async () => {
    const store = await fileStore();
    const file = writeFile(booth(1000));
    const report = await importLeadsFromFile(
      store,
      file,
      { ...base, pieces: { fromBytes: 0, batchRows: 300 } },
      (_phase, done) => {
        // 850 is only reached while the third batch (rows 602–901) is being saved.
        if (done >= 850) throw new ImportCancelledError();
      },
    );
    expect(report.stoppedAfterRow).toBe(601);
    expect(report.rows).toBe(600);
    expect(report.created + report.merged).toBe(600 - 1 - report.skipped); // row 19 is rejected
    expect(leadsOf(store).length).toBe(report.created);
    expect(report.duplicates.every((d) => d.row <= 601)).toBe(true);
    const [history] = store.read((r) => r.all(r.qb.selectFrom('import_batches').selectAll()));
    expect(JSON.parse(history!.counts)).toMatchObject({ rows: 600, created: report.created });
  });

  it('refuses a file that cannot be a table before writing anything', async () => {
    const store = await fileStore();
    const file = writeFile('Name,Notes\n张三,"never closed\n');
    await expect(
      importLeadsFromFile(store, file, { ...base, pieces: inPieces }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(leadsOf(store)).toEqual([]);
  });
});

describe('uploads in chunks', () => {
  it('reach the import as a file, refuse a chunk at the wrong place, and are removed once imported', async () => {
    const db = path.join(tempDir(), 'upload.db');
    const server = await openLeadbook(db);
    servers.push(server);
    const api = createInProcessClient(server);
    const bytes = Buffer.from(booth(50));
    // A first chunk that is not the file's start is refused.
    await expect(
      api.call('imports.upload', { offset: 5, chunk: bytes.subarray(5, 50).toString('base64') }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const first = await api.call('imports.upload', {
      offset: 0,
      chunk: bytes.subarray(0, 1000).toString('base64'),
    });
    expect(first.bytes).toBe(1000);
    // The same chunk again (a retry after a lost answer) is not appended twice.
    await expect(
      api.call('imports.upload', {
        id: first.id,
        offset: 0,
        chunk: bytes.subarray(0, 1000).toString('base64'),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await api.call('imports.upload', {
      id: first.id,
      offset: 1000,
      chunk: bytes.subarray(1000).toString('base64'),
    });
    await expect(
      api.call('imports.start', {
        fileName: 'booth.csv',
        upload: first.id,
        content: bytes.toString('base64'),
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const job = await api.call('imports.start', { fileName: 'booth.csv', upload: first.id });
    let state = job;
    while (!['done', 'failed', 'cancelled'].includes(state.phase)) {
      await new Promise((r) => setTimeout(r, 10));
      state = await api.call('imports.job', { id: job.id });
    }
    expect(state.report).toMatchObject({ rows: 50, created: 47, merged: 2 });
    await expect(
      api.call('imports.start', { fileName: 'booth.csv', upload: first.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a job reading an upload in a worker imports it a batch at a time', async () => {
    const store = await fileStore();
    const jobs = new ImportJobs(store);
    const bytes = Buffer.from(booth(3000));
    const { id } = jobs.upload(undefined, 0, bytes);
    const job = jobs.start(
      'run',
      { upload: id },
      { ...base, pieces: { fromBytes: 0, batchRows: 500 } },
    );
    const done = await jobs.settled(job.id);
    expect(done.phase).toBe('done');
    expect(done.report?.rows).toBe(3000);
    expect(leadsOf(store).length).toBe(done.report!.created);
    await jobs.close();
  });
});
