// A camera for headless Chromium: a Y4M video showing one QR code, played by Chromium's
// fake capture device (--use-file-for-fake-video-capture). The code is drawn from the
// `qrcode` package's module matrix, black on white with the standard quiet zone.
import fs from 'node:fs';
import QRCode from 'qrcode';

const W = 640;
const H = 480;

export function writeQrVideo(text: string, file: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(Math.min(W, H) / (size + 2 * quiet));
  const left = Math.floor((W - size * scale) / 2);
  const top = Math.floor((H - size * scale) / 2);
  const y = Buffer.alloc(W * H, 235); // white
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++)
        y.fill(
          16,
          (top + r * scale + dy) * W + left + c * scale,
          (top + r * scale + dy) * W + left + (c + 1) * scale,
        );
    }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, frame, frame, frame]));
  return file;
}

/** A Y4M video showing a picture (a business card), for the same fake capture device: its
 * brightness in grey, 1280×960, the picture fitted in the middle on a dark table. */
export async function writeImageVideo(image: Buffer, file: string): Promise<string> {
  const { default: sharp } = await import('sharp');
  const w = 1280;
  const h = 960;
  const y = await sharp(image)
    .resize({ width: w, height: h, fit: 'contain', background: '#3a3d42' })
    .grayscale()
    .raw()
    .toBuffer();
  const chroma = Buffer.alloc((w / 2) * (h / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, frame, frame, frame]));
  return file;
}
