// The CLI as a user runs it (runCli is what bin/leadbook.js calls).
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../bench/cli.js';
import { runCli } from '../../src-main/cli/index.js';
import { openStore } from '../../src-main/store/open.js';
import { leadHistoryCsv } from '../helpers/leadHistory.js';
import { tempDir } from '../helpers/store.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
    // As bin/leadbook.js runs it: with the benchmark's command.
    { bench: benchCommand },
  );
  return { code, stdout, stderr };
}

describe('leadbook CLI', () => {
  it('has --help for every command', async () => {
    for (const cmd of ['serve', 'demo', 'import', 'export', 'backup', 'restore', 'bench']) {
      const r = await run(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`leadbook ${cmd}`);
    }
    expect((await run('--help')).stdout).toContain('Commands:');
  });

  it('rejects bad arguments with one line and a non-zero exit', async () => {
    const cases = [
      ['nonsense'],
      ['demo'],
      ['demo', '--db', 'x.db', '--leads', 'many'],
      ['demo', '--db', 'x.db', '--locale', 'fr'],
      ['demo', '--db', 'x.db', '--frobnicate'],
      ['export', '--db', 'x.db', '--what', 'passwords', '--format', 'csv'],
      ['export', '--db', 'x.db', '--what', 'leads', '--format', 'xml'],
      ['serve', '--port', '70000'],
      ['backup', '--db', 'x.db'],
    ];
    for (const argv of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBeGreaterThan(0);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    const json = await run('demo', '--db', 'x.db', '--leads', '-1', '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'BAD_INPUT', message: expect.any(String) },
    });
  });

  it('demo → export (CSV neutralised, JSON) → backup → restore', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cli.db');
    const demo = await run('demo', '--db', db, '--leads', '200', '--seed', '3', '--json');
    expect(demo.code).toBe(0);
    const counts = JSON.parse(demo.stdout) as { leads: number; opportunities: number };
    expect(counts.leads).toBe(200);
    expect(counts.opportunities).toBeGreaterThan(0);

    // A hostile value typed into a lead cannot become a spreadsheet formula.
    const store = await openStore(db);
    store.write((tx) => tx.insert('leads', { name: '=cmd|" /C calc"!A0', company: 'Evil' }));
    store.close();
    const csv = await run(
      'export',
      '--db',
      db,
      '--what',
      'leads',
      '--format',
      'csv',
      '--out',
      path.join(dir, 'leads.csv'),
      '--json',
    );
    expect(csv.code).toBe(0);
    expect(JSON.parse(csv.stdout).rows).toBe(201);
    const text = fs.readFileSync(path.join(dir, 'leads.csv'), 'utf8');
    expect(text.startsWith('\uFEFFid,')).toBe(true);
    expect(text).toContain('"\t=cmd|"" /C calc""!A0"');
    const json = await run('export', '--db', db, '--what', 'opportunities', '--format', 'json');
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(counts.opportunities);

    const backup = path.join(dir, 'copy.db');
    expect((await run('backup', '--db', db, '--out', backup)).code).toBe(0);
    // Change the live database, then restore the backup over it.
    const s2 = await openStore(db);
    s2.write((tx) => tx.insert('leads', { name: 'after backup' }));
    s2.close();
    const restored = await run('restore', '--db', db, '--from', backup, '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).previous).toMatch(/before-restore\.db$/);
    const s3 = await openStore(db);
    expect(s3.all(s3.qb.selectFrom('leads').select('id'))).toHaveLength(201);
    s3.close();
  });

  it('restore refuses a file that is not a Leadbook database and leaves the target alone', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'keep.db');
    await run('demo', '--db', db, '--leads', '10');
    const before = fs.readFileSync(db);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all '.repeat(200));
    const r = await run('restore', '--db', db, '--from', junk);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a readable database|not a Leadbook database/);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    const missing = await run('restore', '--db', db, '--from', path.join(dir, 'nope.db'));
    expect(missing.code).toBe(2);
  });

  it('imports a GB18030 export, reports rows, undoes the batch', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'app.db');
    (await openStore(db)).close();
    const file = path.join(dir, '线索.csv');
    const zh = fs.readFileSync(
      path.join(import.meta.dirname, '..', 'fixtures', 'import', 'zoho-zh.csv'),
      'utf8',
    );
    fs.writeFileSync(
      file,
      iconv.encode(`${zh}赵六,某某贸易有限公司,,,,,,,,,,\n,无名公司,,,,,,,,,,\n`, 'gb18030'),
    );
    const dry = await run('import', file, '--db', db, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ created: 5, batchId: null });
    const r = await run('import', file, '--db', db, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      file: '线索.csv',
      encoding: 'gb18030',
      delimiter: ',',
      rows: 5,
      // A company alone is someone to call: the row is kept.
      created: 5,
      merged: 0,
      skipped: 0,
      rejected: [],
    });
    // Importing the same file again: every row is already there, nothing new is created.
    const again = JSON.parse((await run('import', file, '--db', db, '--json')).stdout);
    expect([again.created, again.merged, again.possibleDuplicates]).toEqual([0, 5, 0]);
    const history = JSON.parse((await run('import', '--history', '--db', db, '--json')).stdout);
    expect(history).toHaveLength(2);
    const undo = await run('import', '--undo', report.batchId as string, '--db', db, '--json');
    expect(JSON.parse(undo.stdout)).toEqual({ batchId: report.batchId, deleted: 5, restored: 0 });
    expect((await run('import', '--undo', report.batchId as string, '--db', db)).code).toBe(1);
  });

  it('imports a lead history and reports the learned score beside the logistic yardstick', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'app.db');
    (await openStore(db)).close();
    const file = path.join(dir, 'Leads.csv');
    fs.writeFileSync(file, leadHistoryCsv(3000, 7));
    const imported = JSON.parse((await run('import', file, '--db', db, '--json')).stdout);
    expect([imported.created, imported.rejected.length]).toEqual([3000, 0]);
    const text = await run('report', 'scoring', '--db', db);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /held out at random \(\d+ of 3000\): AUC 0\.\d+ +L2 logistic regression on the same columns: AUC 0\.\d+/,
    );
    const report = JSON.parse((await run('report', 'scoring', '--db', db, '--json')).stdout);
    expect(report.holdout.auc).toBeGreaterThanOrEqual(report.holdout.logisticAuc - 0.02);
  }, 120_000);

  it('refuses a file that cannot be imported with one line and exit 1, changing nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'app.db');
    (await openStore(db)).close();
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'Name,Notes\nA,"never closed\n');
    const r = await run('import', file, '--db', db);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('never closed');
    const bad = await run('import', file, '--db', db, '--on-duplicate', 'maybe');
    expect(bad.code).toBe(2);
    const store = await openStore(db);
    expect(store.changesSince(null).filter((c) => c.table === 'leads')).toEqual([]);
    store.close();
  });

  it('exports leads as GB18030 CSV and as an .xlsx workbook that imports back', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'app.db');
    const store = await openStore(db);
    store.write((tx) => {
      tx.insert('leads', { name: '张三', company: '北京字节跳动', phone: '+86 138 0013 8000' });
      tx.insert('leads', { name: '=HYPERLINK("x")', company: 'Acme' });
    });
    store.close();
    const gbFile = path.join(dir, 'leads-gb.csv');
    const gb = await run(
      'export',
      '--db',
      db,
      '--what',
      'leads',
      '--format',
      'csv',
      '--encoding',
      'gb18030',
      '--out',
      gbFile,
    );
    expect(gb.code, gb.stderr).toBe(0);
    const gbText = iconv.decode(fs.readFileSync(gbFile), 'gb18030');
    expect(gbText).toContain('北京字节跳动');
    expect(gbText).toContain('"\t=HYPERLINK(""x"")"');
    expect(
      (
        await run(
          'export',
          '--db',
          db,
          '--what',
          'leads',
          '--format',
          'csv',
          '--encoding',
          'gb18030',
        )
      ).code,
    ).toBe(2);

    const xlsx = path.join(dir, 'leads.xlsx');
    expect(
      (await run('export', '--db', db, '--what', 'leads', '--format', 'xlsx', '--out', xlsx)).code,
    ).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const nameCol = header.indexOf('name') + 1;
    const names = [2, 3].map((r) => sheet.getRow(r).getCell(nameCol).value);
    expect(names.sort()).toEqual(['=HYPERLINK("x")', '张三']); // text, never a formula
    const target = path.join(dir, 'target.db');
    (await openStore(target)).close();
    const mapping = path.join(dir, 'mapping.json');
    fs.writeFileSync(mapping, JSON.stringify({ name: 'name', company: 'company', phone: 'phone' }));
    const back = await run('import', xlsx, '--db', target, '--mapping', mapping, '--json');
    expect(JSON.parse(back.stdout)).toMatchObject({ encoding: 'xlsx', created: 2, rejected: [] });
  });
});
