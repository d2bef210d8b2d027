// `npm run icons`: the app icon and the installers' artwork, made from the SVGs in assets/
// (drawn once) into assets/build/ (not committed): PNGs 16–1024 for Linux, the window and
// the dock, icon.ico (Windows), icon.icns (macOS), the NSIS sidebar (BMP) and the DMG
// background. electron-builder reads them from there (electron-builder.yml).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import png2icons from 'png2icons';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** A 24-bit bottom-up BMP (what NSIS wants for its installer pictures) from raw RGB. */
function bmp(rgb, width, height) {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    const src = (height - 1 - y) * width * 3;
    for (let x = 0; x < width; x++) {
      const at = 54 + y * row + x * 3;
      out[at] = rgb[src + x * 3 + 2]; // BMP stores blue, green, red
      out[at + 1] = rgb[src + x * 3 + 1];
      out[at + 2] = rgb[src + x * 3];
    }
  }
  return out;
}

export async function makeIcons(outDir = path.join(root, 'assets', 'build')) {
  const svg = fs.readFileSync(path.join(root, 'assets', 'icon.svg'));
  fs.mkdirSync(path.join(outDir, 'icons'), { recursive: true });
  const render = (size) =>
    sharp(svg, { density: 72 * (size / 1024) * 4 })
      .resize(size, size)
      .png()
      .toBuffer();
  for (const size of ICON_SIZES)
    fs.writeFileSync(path.join(outDir, 'icons', `${size}x${size}.png`), await render(size));
  const big = await render(1024);
  fs.writeFileSync(path.join(outDir, 'icon.png'), big);
  fs.writeFileSync(
    path.join(outDir, 'icon.ico'),
    png2icons.createICO(big, png2icons.BICUBIC, 0, false, true),
  );
  fs.writeFileSync(path.join(outDir, 'icon.icns'), png2icons.createICNS(big, png2icons.BICUBIC, 0));
  const sidebar = await sharp(fs.readFileSync(path.join(root, 'assets', 'installer-sidebar.svg')))
    .resize(164, 314)
    .removeAlpha()
    .raw()
    .toBuffer();
  fs.writeFileSync(path.join(outDir, 'installerSidebar.bmp'), bmp(sidebar, 164, 314));
  fs.writeFileSync(
    path.join(outDir, 'dmg-background.png'),
    await sharp(fs.readFileSync(path.join(root, 'assets', 'dmg-background.svg')))
      .resize(540, 380)
      .png()
      .toBuffer(),
  );
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await makeIcons(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`icons written to ${path.relative(process.cwd(), out) || '.'}`);
}
