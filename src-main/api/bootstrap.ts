// Opening Leadbook for a shell: store, built-in rows, API. Transports call this and
// never touch the store themselves.
import { ensureDefaults } from '../services/defaults.js';
import { applyDeviceAuthor } from '../services/device.js';
import { openStore, type OpenOptions } from '../store/open.js';
import { createApi, type ApiOptions, type ApiServer } from './router.js';

export async function openLeadbook(
  dbPath: string,
  options: OpenOptions = {},
  api: ApiOptions = {},
): Promise<ApiServer> {
  const store = await openStore(dbPath, options);
  try {
    ensureDefaults(store);
    applyDeviceAuthor(store);
  } catch (err) {
    store.close();
    throw err;
  }
  return createApi(store, api);
}
