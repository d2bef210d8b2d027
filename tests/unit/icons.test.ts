// The app icon and installer artwork are made from the SVGs in assets/ by the same script
// `npm run dist` runs; electron-builder.yml must point at what it makes.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { appIconPath } from '../../src-main/electron/appIcon.js';
import { tempDir } from '../helpers/store.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const out = tempDir('leadbook-icons-');
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('npm run icons', () => {
  it('makes every PNG size, a real .ico and .icns, the NSIS sidebar and the DMG background', async () => {
    const { makeIcons, ICON_SIZES } = (await import(path.join(root, 'scripts', 'icons.mjs'))) as {
      makeIcons(dir: string): Promise<string>;
      ICON_SIZES: number[];
    };
    await makeIcons(out);
    expect(ICON_SIZES[0]).toBe(16);
    expect(ICON_SIZES.at(-1)).toBe(1024);
    for (const size of ICON_SIZES) {
      const meta = await sharp(path.join(out, 'icons', `${size}x${size}.png`)).metadata();
      expect([meta.format, meta.width, meta.height], `${size}`).toEqual(['png', size, size]);
    }
    // The icon is not blank: its corner is transparent, its middle is the brand blue/white.
    const { data, info } = await sharp(path.join(out, 'icons', '64x64.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
    const mid = (32 * info.width + 32) * info.channels;
    expect(data[mid + 3]).toBe(255);

    const ico = fs.readFileSync(path.join(out, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // type: icon
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5); // several sizes inside
    const icns = fs.readFileSync(path.join(out, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);

    const bmp = fs.readFileSync(path.join(out, 'installerSidebar.bmp'));
    expect(bmp.subarray(0, 2).toString('latin1')).toBe('BM');
    expect([bmp.readInt32LE(18), bmp.readInt32LE(22), bmp.readUInt16LE(28)]).toEqual([
      164, 314, 24,
    ]);
    const dmg = await sharp(path.join(out, 'dmg-background.png')).metadata();
    expect([dmg.width, dmg.height]).toEqual([540, 380]);
  }, 60_000);

  it('electron-builder.yml uses those files, and npm run dist makes them first', () => {
    const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    const referenced = [...yml.matchAll(/assets\/build\/([\w./-]+)/g)].map((m) => m[1]!);
    expect(referenced.length).toBeGreaterThanOrEqual(6);
    const made = new Set([
      'icon.ico',
      'icon.icns',
      'icons',
      'installerSidebar.bmp',
      'dmg-background.png',
      'icons/512x512.png',
    ]);
    for (const r of referenced) expect(made.has(r), r).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toMatch(/npm run icons && electron-builder/);
  });

  it('the window finds its icon in the packaged resources or beside the sources', () => {
    const exists = (f: string) => f.endsWith('icon.png') || f.endsWith('512x512.png');
    expect(appIconPath(true, '/opt/Leadbook/resources', '/x', exists)).toBe(
      path.join('/opt/Leadbook/resources', 'icon.png'),
    );
    expect(appIconPath(false, '', '/repo', exists)).toBe(
      path.join('/repo', 'assets', 'build', 'icons', '512x512.png'),
    );
    expect(appIconPath(false, '', '/repo', () => false)).toBeUndefined();
  });
});
