import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type OpenOptions } from '../../src-main/store/open.js';

export function tempDir(prefix = 'leadbook-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function memoryStore(options: OpenOptions = {}) {
  return openStore(':memory:', options);
}
