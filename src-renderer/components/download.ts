/** Saves text as a file through the browser's download (Electron shows its save dialog). */
export function downloadText(filename: string, text: string, type: string): void {
  saveBlob(filename, new Blob([text], { type }));
}

function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves bytes that crossed the API as base64 (exports) as a file. */
export function downloadBase64(filename: string, base64: string, type: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  saveBlob(filename, new Blob([bytes], { type }));
}

/** A table as CSV for a spreadsheet: UTF-8 with BOM (Excel reads Chinese right), every
 * cell quoted, and cells that a spreadsheet would run as a formula made plain text. */
export function downloadCsv(filename: string, rows: readonly (readonly (string | number)[])[]) {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  downloadText(
    filename,
    `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`,
    'text/csv',
  );
}

/** An on-screen SVG chart as a PNG, drawn at twice its size on the page's background. */
export async function downloadSvgAsPng(filename: string, svg: SVGSVGElement): Promise<void> {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  // Colours set through CSS variables are resolved on the copy: the image stands alone.
  const style = getComputedStyle(svg);
  copy.setAttribute(
    'style',
    `font-family:${style.fontFamily};font-size:${style.fontSize};color:${style.color}`,
  );
  // A data: URL, not a blob: one — the app's content security policy allows only those
  // for images.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
    new XMLSerializer().serializeToString(copy),
  )}`;
  {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the chart could not be drawn');
    saveBlob(filename, blob);
  }
}
