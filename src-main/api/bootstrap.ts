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
  // The app shells rebuild an outdated search index in the background (SearchIndexJobs):
  // the workspace opens at once. One-shot commands rebuild it while opening.
  const store = await openStore(dbPath, {
    ...(api.background ? { searchIndex: 'later' as const } : {}),
    ...options,
  });
  try {
    ensureDefaults(store);
    applyDeviceAuthor(store);
  } catch (err) {
    store.close();
    throw err;
  }
  return createApi(store, api);
}
