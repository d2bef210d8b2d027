// What the disk does to a laptop's workspace: it fills up, it is read-only, it returns
// damaged bytes. Each time the user gets a clear answer and loses nothing already saved.
// Where this process may mount filesystems (root, as in CI), a real small tmpfs is filled
// and remounted read-only; the file-size cap (PRAGMA max_page_count) covers the rest.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentVault } from '../../src-main/api/keyVault.js';
import { Workspace } from '../../src-main/api/workspace.js';
import type { WorkspaceStatus } from '../../src-main/contract/index.js';
import { runCli } from '../../src-main/cli/index.js';
import { keyFromText, newDatabaseKey, recoveryKeyText } from '../../src-main/store/cipher.js';
import { checkDatabaseFile } from '../../src-main/store/maintenance.js';
import { openStore } from '../../src-main/store/open.js';
import { rejection } from '../helpers/errors.js';
import { tempDir } from '../helpers/store.js';

const root = tempDir('leadbook-disk-');
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh tmpfs of `kb` KiB, or null where mounting is not allowed. */
function smallDisk(name: string, kb: number): string | null {
  const target = path.join(root, name);
  fs.mkdirSync(target, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', target], {
      stdio: 'ignore',
    });
  } catch {
    return null;
  }
  mounts.push(target);
  return target;
}

function keyFile(text: string): string {
  const f = path.join(root, `key-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(f, `${text}\n`, { mode: 0o600 });
  return f;
}

async function workspace(file: string, extra: { maxPageCount?: number; key?: string } = {}) {
  return Workspace.open(file, {
    vault: environmentVault(extra.key ? { LEADBOOK_KEY: extra.key } : {}),
    open: extra.maxPageCount ? { maxPageCount: extra.maxPageCount } : {},
    checkDelayMs: 60_000,
  });
}

const total = async (ws: Workspace) =>
  ((await ws.dispatch('leads.list', {})) as { total: number }).total;

function csvOf(n: number, from = 0) {
  const lines = ['Name,Company,Email,Notes'];
  for (let i = from; i < from + n; i++)
    lines.push(`访客${i},展商${i % 50},v${i}@expo.cn,${'很长的备注'.repeat(40)}`);
  return `${lines.join('\n')}\n`;
}

describe('a full disk', () => {
  it('refuses the change that does not fit with DISK_FULL, keeps what was saved, and goes on without a restart', async () => {
    const file = path.join(root, 'capped.db');
    const seedStore = await openStore(file);
    seedStore.write((tx) => {
      for (let i = 0; i < 50; i++) tx.insert('leads', { name: `已保存${i}` });
    });
    seedStore.close();
    const pageCount = fs.statSync(file).size / 4096;
    // Room for a few more leads, not for a 2 000-row import.
    const ws = await workspace(file, { maxPageCount: Math.ceil(pageCount) + 60 });
    try {
      const bytes = Buffer.from(csvOf(2000)).toString('base64');
      const err = await rejection(
        ws.dispatch('imports.run', { fileName: 'big.csv', content: bytes, onDuplicate: 'create' }),
      );
      expect(err.code).toBe('DISK_FULL');
      expect(err.message).toMatch(/disk is full.*not saved/);
      expect(await total(ws)).toBe(50);
      // The failed import took nothing: small work still fits, no restart.
      await ws.dispatch('leads.create', { name: '之后的线索' });
      expect(await total(ws)).toBe(51);
    } finally {
      await ws.close();
    }
    expect(checkDatabaseFile(file, null).ok).toBe(true);
  });

  it('on a real small disk: the app and the CLI say the disk is full; freeing space lets work go on', async (ctx) => {
    const disk = smallDisk('full', 4096);
    if (!disk) return ctx.skip('this process may not mount a filesystem');
    const file = path.join(disk, 'leadbook.db');
    const recovery = recoveryKeyText(newDatabaseKey())!;
    const ws = await workspace(file, { key: recovery });
    try {
      for (let i = 0; i < 20; i++) await ws.dispatch('leads.create', { name: `展位${i}` });
      // Fill the disk with another file, leaving a little room.
      const filler = path.join(disk, 'filler.bin');
      const free = () => {
        const s = fs.statfsSync(disk);
        return s.bavail * s.bsize;
      };
      fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 48 * 1024)));
      let saved = 20;
      let refused: Awaited<ReturnType<typeof rejection>> | null = null;
      for (let i = 0; i < 2000 && !refused; i++) {
        try {
          await ws.dispatch('leads.create', { name: `满了吗${i}`, notes: '备注'.repeat(500) });
          saved++;
        } catch (e) {
          refused = e as Awaited<ReturnType<typeof rejection>>;
        }
      }
      expect(refused?.code).toBe('DISK_FULL');
      expect(await total(ws)).toBe(saved);

      const csv = path.join(root, 'more.csv');
      fs.writeFileSync(csv, csvOf(500, 10_000));
      let stderr = '';
      await ws.close();
      const cli = await runCli(
        ['import', csv, '--db', file, '--on-duplicate', 'create', '--key-file', keyFile(recovery)],
        { stdout: () => undefined, stderr: (s) => (stderr += s) },
      );
      expect(cli).toBe(1);
      expect(stderr).toMatch(/disk is full: nothing from this command was saved/);

      fs.rmSync(filler);
      const again = await workspace(file, { key: recovery });
      try {
        expect(await total(again)).toBe(saved);
        await again.dispatch('leads.create', { name: '腾出空间后' });
        expect(await total(again)).toBe(saved + 1);
      } finally {
        await again.close();
      }
    } finally {
      await ws.close().catch(() => undefined);
    }
  });
});

describe('a read-only file', () => {
  it('opens read-only with the banner flag: everything can be read, nothing written, a clear refusal', async (ctx) => {
    const disk = smallDisk('ro', 8192);
    if (!disk) return ctx.skip('this process may not mount a filesystem');
    const file = path.join(disk, 'leadbook.db');
    const ws = await workspace(file);
    for (let i = 0; i < 10; i++) await ws.dispatch('leads.create', { name: `只读${i}` });
    await ws.close();
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const ro = await workspace(file);
    try {
      const status = (await ro.dispatch('workspace.status', {})) as WorkspaceStatus;
      expect(status).toMatchObject({ state: 'open', readOnly: true });
      // The background check reads the file too, and finds it whole (no false alarm).
      expect(await ro.checkNow()).toBe('ok');
      expect(await total(ro)).toBe(10);
      const err = await rejection(ro.dispatch('leads.create', { name: '写不进去' }));
      expect(err.code).toBe('READ_ONLY');
      const exported = (await ro.dispatch('leads.export', { format: 'csv' }).catch(() => null)) as {
        content?: string;
      } | null;
      if (exported?.content) expect(exported.content).toContain('只读0');
    } finally {
      await ro.close();
    }
    // Nothing was written beside the file (the -shm lives in a private copy, now removed).
    expect(fs.readdirSync(disk).filter((f) => f.startsWith('leadbook.db'))).toEqual([
      'leadbook.db',
    ]);
  });
});

describe('a damaged file', () => {
  for (const encrypted of [false, true]) {
    it(`is detected on open and the newest good backup is offered and restored (${encrypted ? 'encrypted' : 'plain'})`, async () => {
      const dir = tempDir('leadbook-damage-');
      const file = path.join(dir, 'leadbook.db');
      const recovery = encrypted ? recoveryKeyText(newDatabaseKey())! : undefined;
      const ws = await workspace(file, { key: recovery });
      for (let i = 0; i < 300; i++)
        await ws.dispatch('leads.create', { name: `客户${i}`, notes: '备注'.repeat(50) });
      await ws.dispatch('backups.create', {});
      await ws.dispatch('leads.create', { name: '备份之后' });
      await ws.close();

      // Bytes overwritten in the middle of the file (a bad sector, a bad copy).
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      fs.closeSync(fd);

      const opened = await workspace(file, { key: recovery });
      try {
        const integrity = await opened.checkNow();
        const status = (await opened.dispatch('workspace.status', {})) as WorkspaceStatus;
        expect(status.state === 'damaged' || integrity === 'damaged').toBe(true);
        expect(status.integrity).toBe('damaged');
        expect(status.goodBackup).toMatchObject({ leads: 300 });
        const restored = (await opened.dispatch('backups.restore', {
          name: status.goodBackup!.name,
        })) as WorkspaceStatus;
        expect(restored.state).toBe('open');
        expect(await total(opened)).toBe(300);
      } finally {
        await opened.close();
      }
      expect(checkDatabaseFile(file, recovery ? keyFromText(recovery) : null).ok).toBe(true);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  /** A workspace of 20 leads with a backup of them, closed. */
  async function twentyLeadsBackedUp() {
    const dir = tempDir('leadbook-damage-');
    const file = path.join(dir, 'leadbook.db');
    const ws = await workspace(file);
    for (let i = 0; i < 20; i++) await ws.dispatch('leads.create', { name: `客户${i}` });
    await ws.dispatch('backups.create', {});
    await ws.close();
    return { dir, file };
  }

  it('a file whose first page is gone opens the damaged/locked screen with the backup offered', async () => {
    const { dir, file } = await twentyLeadsBackedUp();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x11), 0, 4096, 0);
    fs.closeSync(fd);
    const opened = await workspace(file);
    try {
      const status = (await opened.dispatch('workspace.status', {})) as WorkspaceStatus;
      // Its backups are plain, so the random first page is damage, not encryption.
      expect(status.state).toBe('damaged');
      expect(status.goodBackup).toMatchObject({ leads: 20 });
      expect((await rejection(opened.dispatch('leads.list', {}))).code).toMatch(/LOCKED|DAMAGED/);
      await opened.dispatch('backups.restore', { name: status.goodBackup!.name });
      expect(await total(opened)).toBe(20);
    } finally {
      await opened.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a damaged page of a full-text index is damage too (not a crash of the app)', async () => {
    const { dir, file } = await twentyLeadsBackedUp();
    // The page every open reads to set the index up: its configuration.
    const db = new Database(file, { readonly: true });
    const page = (
      db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'search_leads_config'`).get() as {
        rootpage: number;
      }
    ).rootpage;
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (page - 1) * size);
    fs.closeSync(fd);
    const opened = await workspace(file);
    try {
      const status = (await opened.dispatch('workspace.status', {})) as WorkspaceStatus;
      expect(status.state).toBe('damaged');
      expect(status.goodBackup).toMatchObject({ leads: 20 });
      await opened.dispatch('backups.restore', { name: status.goodBackup!.name });
      expect(await total(opened)).toBe(20);
    } finally {
      await opened.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
