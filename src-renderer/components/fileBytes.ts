import { IMPORT_UPLOAD_CHUNK_BYTES } from '../../src-main/contract/index.js';
import { api } from '../api/client.js';

/** A picked file's bytes in base64 (how the API takes file contents). */
export async function readAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Sends a big file to the app in chunks (imports.upload), reading one chunk of it at a
 * time; answers the upload's id. `onProgress` hears the share sent. */
export async function uploadInChunks(
  file: File,
  onProgress: (share: number) => void,
): Promise<string> {
  let id: string | undefined;
  let offset = 0;
  onProgress(0);
  do {
    const chunk = await readAsBase64(file.slice(offset, offset + IMPORT_UPLOAD_CHUNK_BYTES));
    const sent = await api.call('imports.upload', { ...(id ? { id } : {}), offset, chunk });
    id = sent.id;
    offset = sent.bytes;
    onProgress(file.size ? offset / file.size : 1);
  } while (offset < file.size);
  return id;
}
