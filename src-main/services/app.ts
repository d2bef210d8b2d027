import { APP_VERSION, type AppStatus, type DemoResult, type Locale } from '../contract/index.js';
import type { Store } from '../store/store.js';
import { rebuildModelAndRescore } from './scoring.js';

export { APP_VERSION };
const WELCOME_DONE = 'welcome_done';

export function appStatus(store: Store): AppStatus {
  return store.read((r) => {
    // Cached per table version: the status is re-read after every change event.
    const count = (table: 'leads' | 'opportunities' | 'accounts' | 'contacts') =>
      r.count(
        r.qb
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('deleted_at', 'is', null),
        table,
      );
    const counts = {
      leads: count('leads'),
      opportunities: count('opportunities'),
      accounts: count('accounts'),
      contacts: count('contacts'),
    };
    const empty = Object.values(counts).every((n) => n === 0);
    return {
      version: APP_VERSION,
      needsWelcome: empty && store.getMeta(WELCOME_DONE) !== '1',
      counts,
      dbPath: store.path,
      nodeId: store.nodeId,
    };
  });
}

/** "Start empty" on the welcome screen: remembered for this database on this device. */
export function startEmpty(store: Store): AppStatus {
  store.setMeta(WELCOME_DONE, '1');
  return appStatus(store);
}

export async function loadDemo(
  store: Store,
  input: { leads: number; locale: Locale; seed: number },
): Promise<DemoResult> {
  // Loaded when asked for: the fake-data library is a sixth of the app's start-up time
  // (docs/benchmarks.md, issue 21), and only the demo needs it.
  const { generateDemo } = await import('./demo.js');
  const result = generateDemo(store, input);
  // The demo's history (converted and lost leads) trains the model; every lead is scored.
  rebuildModelAndRescore(store);
  store.setMeta(WELCOME_DONE, '1');
  return result;
}
