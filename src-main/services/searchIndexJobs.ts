// Rebuilding the search index in the background (issue 21): after an upgrade that changes
// what goes into a search document, a 100 000-lead file needs seconds of work, and opening
// it used to wait for all of it. The app now opens at once and a worker rebuilds the
// documents into new indexes, swapped in when done; until then search answers from the old
// ones (or, after a migration that emptied them, says the index is being rebuilt). Stopped
// by a quit, it resumes where it was at the next start.
import type { SearchIndexState } from '../contract/index.js';
import type { Store } from '../store/store.js';
import { searchableTables } from '../domain/searchText.js';
import { JobSlot } from './jobSlot.js';
import type { SearchIndexReply, SearchIndexTask } from './searchIndexWorker.js';
import { spawnServiceWorker } from './workers.js';

export class SearchIndexJobs {
  private run: { slot: JobSlot; ended: Promise<void> } | null = null;
  private last: { indexed: number; failed: boolean } | null = null;

  constructor(private readonly store: Store) {}

  /** Starts the rebuild when the documents follow other rules: in a worker for a file,
   * at once for an in-memory database (which a second connection cannot open). */
  startIfNeeded(): SearchIndexState {
    if (this.run || this.store.readOnly || this.store.searchIndexCurrent()) return this.state();
    if (this.store.path === ':memory:') {
      this.last = { indexed: this.store.ensureSearchIndex(), failed: false };
      return this.state();
    }
    const slot = new JobSlot(new SharedArrayBuffer(JobSlot.bytes));
    const total = this.store.read((r) =>
      searchableTables.reduce(
        (n, t) =>
          n +
          r.count(
            r.qb.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')),
            [t],
          ),
        0,
      ),
    );
    const task: SearchIndexTask = {
      dbPath: this.store.path,
      key: this.store.key,
      shared: slot.shared,
      total,
    };
    slot.set('saving', 0, total);
    const ended = new Promise<void>((resolve) => {
      const worker = spawnServiceWorker('searchIndexWorker', task);
      let reply: SearchIndexReply | null = null;
      worker.on('message', (r: SearchIndexReply) => (reply = r));
      worker.on('error', (err) => console.error('leadbook: search index worker crashed', err));
      worker.on('exit', () => {
        const r = reply as SearchIndexReply | null;
        if (r?.type === 'done') this.last = { indexed: r.indexed, failed: false };
        else if (r?.type !== 'stopped') this.last = { indexed: 0, failed: true };
        this.run = null;
        // New indexes were swapped in by the worker's connection: lists and counts drop
        // what they cached, and open searches ask again.
        this.store.noticeOtherWriter(['leads', 'contacts', 'accounts', 'opportunities']);
        resolve();
      });
    });
    this.run = { slot, ended };
    return this.state();
  }

  state(): SearchIndexState {
    if (!this.run)
      return {
        rebuilding: false,
        done: 0,
        total: 0,
        failed: this.last?.failed ?? false,
      };
    const { done, total } = this.run.slot.read();
    return { rebuilding: true, done, total, failed: false };
  }

  async settled(): Promise<SearchIndexState> {
    while (this.run) await this.run.ended;
    return this.state();
  }

  /** On quit: the worker stops after its current page; the next start resumes. */
  async close(): Promise<void> {
    this.run?.slot.cancel();
    await this.settled();
  }
}
