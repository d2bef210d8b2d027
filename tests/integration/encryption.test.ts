// Encryption at rest and backups, on real files: what a stolen copy gives away (nothing),
// what a wrong or missing key gets (a plain refusal), and that encrypting, backing up and
// restoring lose nothing.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { environmentVault, sealedFileVault } from '../../src-main/api/keyVault.js';
import { Workspace } from '../../src-main/api/workspace.js';
import type { BackupList, BackupPreview, WorkspaceStatus } from '../../src-main/contract/index.js';
import {
  isPlainDatabaseFile,
  keyFromText,
  newDatabaseKey,
  parseRecoveryKey,
  recoveryKeyText,
  RecoveryKeyError,
} from '../../src-main/store/cipher.js';
import { listBackupFiles } from '../../src-main/store/backups.js';
import { openStore } from '../../src-main/store/open.js';
import { WorkspaceLockedError } from '../../src-main/store/sqlite.js';
import { runCli } from '../../src-main/cli/index.js';
import { rejection } from '../helpers/errors.js';
import { tempDir } from '../helpers/store.js';

const PHONE = '13912345678';
const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function dir() {
  const d = tempDir('leadbook-enc-');
  dirs.push(d);
  return d;
}

/** The bytes of a file and its WAL, so a test can look for plain text anywhere on disk. */
function onDisk(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

async function seeded(file: string, key: ReturnType<typeof newDatabaseKey> | null, n = 20) {
  const store = await openStore(file, { key });
  store.write((tx) => {
    for (let i = 0; i < n; i++)
      tx.insert('leads', { name: `张三${i}`, company: '北京字节跳动', phone: `${PHONE}` });
  });
  return store;
}

async function openWs(file: string, text?: string, checkDelayMs = 60_000) {
  const ws = await Workspace.open(file, {
    vault: environmentVault(text ? { LEADBOOK_KEY: text } : {}),
    checkDelayMs,
  });
  cleanups.push(() => ws.close());
  return ws;
}

describe('recovery keys', () => {
  it('read back whatever key they were made from, in any case and grouping', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const key = { raw: Buffer.from(bytes).toString('hex') };
        const text = recoveryKeyText(key)!;
        expect(text).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
        expect(parseRecoveryKey(text)).toEqual(key);
        expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(key);
        expect(keyFromText(`  ${text}\n`)).toEqual(key);
      }),
    );
  });

  it('catch a mistyped character instead of trying a wrong key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat(55),
        fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'),
        (bytes, at, ch) => {
          const text = recoveryKeyText({ raw: Buffer.from(bytes).toString('hex') })!;
          const compact = text.replace(/-/g, '');
          fc.pre(compact[at] !== ch);
          const typo = compact.slice(0, at) + ch + compact.slice(at + 1);
          expect(() => parseRecoveryKey(typo)).toThrow(RecoveryKeyError);
        },
      ),
    );
  });
});

describe('an encrypted workspace', () => {
  it('gives nothing away without the key, and refuses a missing or wrong key plainly', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    const key = newDatabaseKey();
    const store = await seeded(file, key);
    // While open, the WAL holds the newest pages: encrypted too.
    expect(onDisk(file).includes(Buffer.from(PHONE))).toBe(false);
    expect(onDisk(file).includes(Buffer.from('字节跳动'))).toBe(false);
    store.close();
    expect(isPlainDatabaseFile(file)).toBe(false);
    expect(fs.readFileSync(file).includes(Buffer.from(PHONE))).toBe(false);

    const copy = path.join(d, 'copy.db');
    fs.copyFileSync(file, copy);
    await expect(openStore(copy)).rejects.toBeInstanceOf(WorkspaceLockedError);
    await expect(openStore(copy, { key: newDatabaseKey() })).rejects.toMatchObject({
      reason: 'wrong-key',
    });
    // Nothing was created or changed by the refused opens.
    expect(fs.readFileSync(copy).equals(fs.readFileSync(file))).toBe(true);
    const reopened = await openStore(copy, { key: parseRecoveryKey(recoveryKeyText(key)!) });
    expect(reopened.logHead()).toBeGreaterThan(0);
    reopened.close();
  });

  it('a passphrase from LEADBOOK_KEY works too (web mode), and the CLI says what is missing', async () => {
    const d = dir();
    const file = path.join(d, 'web.db');
    (await seeded(file, keyFromText('correct horse battery'))).close();
    expect(isPlainDatabaseFile(file)).toBe(false);
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (s: string) => (stderr += s) };
    const code = await runCli(['export', '--db', file, '--what', 'leads', '--format', 'csv'], io);
    expect(code).toBe(1);
    expect(stderr).toMatch(/is encrypted.*LEADBOOK_KEY.*--key-file/);
    const keyFile = path.join(d, 'key.txt');
    fs.writeFileSync(keyFile, 'correct horse battery\n');
    let stdout = '';
    const ok = await runCli(
      ['export', '--db', file, '--what', 'leads', '--format', 'csv', '--key-file', keyFile],
      { stdout: (s) => (stdout += s), stderr: () => undefined },
    );
    expect(ok).toBe(0);
    expect(stdout).toContain('张三0');
  });

  it('a locked workspace answers only its unlock screen; the recovery key opens it and is kept', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    const key = newDatabaseKey();
    (await seeded(file, key)).close();
    const keys = path.join(d, 'keys.json');
    const sealer = {
      seal: (s: string) => Buffer.from(s).reverse(),
      open: (b: Buffer) => Buffer.from(b).reverse().toString(),
    };
    const ws = await Workspace.open(file, { vault: sealedFileVault(keys, sealer) });
    cleanups.push(() => ws.close());
    expect(ws.status()).toMatchObject({ state: 'locked', locked: 'no-key', encrypted: true });
    expect((await rejection(ws.dispatch('leads.list', {}))).code).toBe('LOCKED');
    expect(
      (await rejection(ws.dispatch('workspace.unlock', { recoveryKey: 'nonsense!' }))).code,
    ).toBe('BAD_INPUT');
    const other = recoveryKeyText(newDatabaseKey())!;
    const wrong = await rejection(ws.dispatch('workspace.unlock', { recoveryKey: other }));
    expect(wrong.message).toMatch(/does not open/);
    const events: string[] = [];
    ws.onEvent((e) => events.push(e.type));
    const status = (await ws.dispatch('workspace.unlock', {
      recoveryKey: recoveryKeyText(key)!,
    })) as WorkspaceStatus;
    expect(status).toMatchObject({ state: 'open', encrypted: true });
    expect(events).toContain('workspace');
    const page = (await ws.dispatch('leads.list', {})) as { total: number };
    expect(page.total).toBe(20);
    await ws.close();
    // Next time the keychain has it: no question asked.
    const again = await Workspace.open(file, { vault: sealedFileVault(keys, sealer) });
    cleanups.push(() => again.close());
    expect(again.status().state).toBe('open');
  });
});

describe('Encrypt this workspace', () => {
  it('backs up, encrypts a checked copy, swaps it in, and encrypts the old backups too', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null, 50)).close();
    // A backup from before, plain like the file.
    const plainWs = await openWs(file);
    await plainWs.dispatch('backups.create', {});
    await plainWs.close();
    const recovery = recoveryKeyText(newDatabaseKey())!;
    const ws = await openWs(file, recovery);
    expect(ws.status()).toMatchObject({ encrypted: false, keyStore: 'environment' });
    const out = (await ws.dispatch('workspace.encrypt', {})) as { recoveryKey: string };
    expect(out.recoveryKey).toBe(recovery);
    expect(ws.status()).toMatchObject({ state: 'open', encrypted: true });
    expect(isPlainDatabaseFile(file)).toBe(false);
    expect(onDisk(file).includes(Buffer.from(PHONE))).toBe(false);
    const page = (await ws.dispatch('leads.list', {})) as { total: number };
    expect(page.total).toBe(50);
    // Every backup in the folder is encrypted now (the one made before encrypting too).
    const backups = listBackupFiles(path.join(d, 'backups'), file);
    expect(backups.map((b) => b.reason).sort()).toEqual(['before-encrypt', 'manual']);
    for (const b of backups) {
      expect(isPlainDatabaseFile(b.file), b.name).toBe(false);
      expect(fs.readFileSync(b.file).includes(Buffer.from(PHONE))).toBe(false);
    }
    expect((await rejection(ws.dispatch('workspace.encrypt', {}))).code).toBe('CONFLICT');
    expect(await ws.dispatch('workspace.recoveryKey', {})).toEqual({ recoveryKey: recovery });
  });

  it('web mode started with a passphrase encrypts with it; the passphrase opens the file', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null, 7)).close();
    const ws = await openWs(file, 'correct horse battery staple');
    expect(await ws.dispatch('workspace.encrypt', {})).toEqual({ recoveryKey: null });
    await ws.close();
    expect(isPlainDatabaseFile(file)).toBe(false);
    await expect(openStore(file)).rejects.toBeInstanceOf(WorkspaceLockedError);
    const reopened = await openStore(file, { key: keyFromText('correct horse battery staple') });
    expect(reopened.logHead()).toBeGreaterThan(0);
    reopened.close();
  });

  it('a laptop with no keychain and no key given refuses, changing nothing', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null)).close();
    const before = fs.readFileSync(file);
    const ws = await openWs(file);
    const err = await rejection(ws.dispatch('workspace.encrypt', {}));
    expect(err.message).toMatch(/LEADBOOK_KEY/);
    await ws.close();
    expect(isPlainDatabaseFile(file)).toBe(true);
    expect(fs.readFileSync(file).length).toBe(before.length);
  });
});

describe('backups', () => {
  it('are made on a worker, encrypted, listed with counts, previewed, and restored with a backup of the current file first', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    const recovery = recoveryKeyText(newDatabaseKey())!;
    (await seeded(file, keyFromText(recovery), 30)).close();
    const ws = await openWs(file, recovery);
    const made = (await ws.dispatch('backups.create', {})) as BackupList['backups'][number];
    expect(made).toMatchObject({ reason: 'manual', encrypted: true, leads: 30 });
    const backupFile = path.join(d, 'backups', made.name);
    expect(fs.readFileSync(backupFile).includes(Buffer.from(PHONE))).toBe(false);
    await expect(openStore(backupFile)).rejects.toBeInstanceOf(WorkspaceLockedError);

    // Work goes on after the backup: 5 more leads, one renamed.
    const list = (await ws.dispatch('leads.list', {})) as { rows: { id: string }[] };
    for (let i = 0; i < 5; i++) await ws.dispatch('leads.create', { name: `后来${i}` });
    await ws.dispatch('leads.update', { id: list.rows[0]!.id, patch: { name: '改过的名字' } });

    const listed = (await ws.dispatch('backups.list', {})) as BackupList;
    expect(listed.backups).toHaveLength(1);
    expect(listed.keep).toEqual({ daily: 7, weekly: 4, monthly: 12, events: 5 });
    expect(listed.nextBackupAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const preview = (await ws.dispatch('backups.preview', { name: made.name })) as BackupPreview;
    expect(preview).toMatchObject({ ok: true, leads: 30, problem: null });
    expect(preview.recentLeads.length).toBeGreaterThan(0);

    expect((await rejection(ws.dispatch('backups.preview', { name: '../leadbook.db' }))).code).toBe(
      'BAD_INPUT',
    );
    expect((await rejection(ws.dispatch('backups.restore', { name: 'nope.db' }))).code).toBe(
      'NOT_FOUND',
    );

    const status = (await ws.dispatch('backups.restore', { name: made.name })) as WorkspaceStatus;
    expect(status).toMatchObject({ state: 'open', encrypted: true });
    const after = (await ws.dispatch('leads.list', {})) as { total: number };
    expect(after.total).toBe(30);
    // What was replaced is itself a backup, and restoring it brings the later work back.
    const files = listBackupFiles(path.join(d, 'backups'), file);
    const saved = files.find((f) => f.reason === 'before-restore')!;
    expect(saved).toBeTruthy();
    await ws.dispatch('backups.restore', { name: saved.name });
    expect(((await ws.dispatch('leads.list', {})) as { total: number }).total).toBe(35);
  });

  it('`leadbook backup --schedule` prints the plan, the folder and what is kept; `backup` writes an encrypted copy', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    const recovery = recoveryKeyText(newDatabaseKey())!;
    (await seeded(file, keyFromText(recovery), 12)).close();
    const keyFile = path.join(d, 'key.txt');
    fs.writeFileSync(keyFile, `${recovery}\n`, { mode: 0o600 });
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (out += s) };
    expect(
      await runCli(
        ['backup', '--db', file, '--out', path.join(d, 'copy.db'), '--key-file', keyFile],
        io,
      ),
    ).toBe(0);
    expect(isPlainDatabaseFile(path.join(d, 'copy.db'))).toBe(false);
    const ws = await openWs(file, recovery);
    await ws.dispatch('backups.create', {});
    await ws.close();
    out = '';
    expect(await runCli(['backup', '--schedule', '--db', file, '--key-file', keyFile], io)).toBe(0);
    expect(out).toContain(`Folder: ${path.join(d, 'backups')} (default)`);
    expect(out).toMatch(/the last 7 days, 4 weeks and 12 months/);
    expect(out).toMatch(/manual\s+.*12 leads, 0 opportunities\s+\(encrypted\)/);
    out = '';
    expect(await runCli(['backup', '--schedule', '--db', file], io)).toBe(1);
    expect(out).toMatch(/encrypted.*LEADBOOK_KEY/);
  });

  it('"Back up now" twice in a day keeps both: a backup made by hand is not replaced', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null)).close();
    const ws = await openWs(file);
    const first = (await ws.dispatch('backups.create', {})) as { name: string };
    await ws.dispatch('leads.create', { name: '第二次备份前' });
    const second = (await ws.dispatch('backups.create', {})) as { name: string };
    const listed = (await ws.dispatch('backups.list', {})) as BackupList;
    expect(listed.backups.map((b) => b.name).sort()).toEqual([first.name, second.name].sort());
  });

  it('a backup folder the user chooses must be a writable full path', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null)).close();
    const ws = await openWs(file);
    expect(
      (await rejection(ws.dispatch('backups.setFolder', { folder: 'relative/dir' }))).code,
    ).toBe('BAD_INPUT');
    const usb = path.join(d, 'usb-stick', 'Leadbook');
    const listed = (await ws.dispatch('backups.setFolder', { folder: usb })) as BackupList;
    expect(listed.folder).toBe(usb);
    const made = (await ws.dispatch('backups.create', {})) as { name: string };
    expect(fs.existsSync(path.join(usb, made.name))).toBe(true);
    const reset = (await ws.dispatch('backups.setFolder', { folder: null })) as BackupList;
    expect(reset.folder).toBe(path.join(d, 'backups'));
  });

  it('the app makes one by itself once a day while it runs', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null)).close();
    let now = Date.now();
    const ws = await Workspace.open(file, {
      vault: environmentVault({}),
      api: { background: true, backups: { firstCheckMs: 20, now: () => now } },
      checkDelayMs: 60_000,
    });
    cleanups.push(() => ws.close({ backup: false }));
    await vi.waitFor(
      () =>
        expect(listBackupFiles(path.join(d, 'backups'), file).map((b) => b.reason)).toEqual([
          'auto',
        ]),
      { timeout: 10_000 },
    );
    const listed = (await ws.dispatch('backups.list', {})) as BackupList;
    expect(listed.lastBackupAt).not.toBeNull();
    // Within the day there is no second one, however much is written.
    await ws.dispatch('leads.create', { name: '又一个' });
    now += 3600_000;
    const again = (await ws.dispatch('backups.list', {})) as BackupList;
    expect(again.backups).toHaveLength(1);
    expect(again.nextBackupAt).toBe(listed.lastBackupAt! + 24 * 3600_000);
  });

  it('the app makes one on quit when something changed, and none when nothing did', async () => {
    const d = dir();
    const file = path.join(d, 'leadbook.db');
    (await seeded(file, null)).close();
    const ws = await Workspace.open(file, {
      vault: environmentVault({}),
      api: { background: true, backups: { firstCheckMs: 60_000 } },
      checkDelayMs: 60_000,
    });
    await ws.dispatch('leads.create', { name: '关机前' });
    await ws.close();
    expect(listBackupFiles(path.join(d, 'backups'), file).map((b) => b.reason)).toEqual(['auto']);
    const again = await Workspace.open(file, {
      vault: environmentVault({}),
      api: { background: true, backups: { firstCheckMs: 60_000 } },
      checkDelayMs: 60_000,
    });
    await again.close();
    expect(listBackupFiles(path.join(d, 'backups'), file)).toHaveLength(1);
  });
});
