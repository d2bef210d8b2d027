import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { create } from 'zustand';
import type { ImportJobState, ProcInput } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';

const POLL_MS = 250;

export const jobEnded = (s: ImportJobState | undefined): boolean =>
  s !== undefined && (s.phase === 'done' || s.phase === 'failed' || s.phase === 'cancelled');

/** The import being saved outlives the import page: leave it to look something up, come
 * back, and its progress is still there. */
const useRunningImport = create<{ id: string | null; set: (id: string | null) => void }>((set) => ({
  id: null,
  set: (id) => set({ id }),
}));

/** One background import (or preview) at a time: start it, follow its progress, cancel
 * it. Starting another cancels the one before (a preview of an outdated mapping is
 * worthless). */
export function useImportJob(kind: 'preview' | 'run') {
  const [localId, setLocalId] = useState<string | null>(null);
  const running = useRunningImport();
  const [jobId, setJobId] = kind === 'run' ? [running.id, running.set] : [localId, setLocalId];
  const [startError, setStartError] = useState<unknown>(null);
  const current = useRef<string | null>(jobId);
  const job = useQuery({
    // Not under 'leads': a change event must not refetch a job's state for nothing.
    queryKey: ['import-job', jobId],
    queryFn: () => api.call('imports.job', { id: jobId! }),
    enabled: jobId !== null,
    refetchInterval: (q) => (jobEnded(q.state.data) ? false : POLL_MS),
    staleTime: Infinity,
    retry: false,
  });
  const cancel = useCallback(() => {
    const id = current.current;
    if (id) void api.call('imports.cancel', { id }).catch(() => {});
  }, []);
  const start = useCallback(
    async (input: ProcInput<'imports.start'>) => {
      cancel();
      setStartError(null);
      try {
        const s = await api.call('imports.start', input);
        current.current = s.id;
        setJobId(s.id);
      } catch (err) {
        setStartError(err);
      }
    },
    [cancel, setJobId],
  );
  // A preview nobody will look at is stopped when its page goes; an import goes on.
  useEffect(() => (kind === 'preview' ? cancel : undefined), [kind, cancel]);
  const reset = useCallback(() => {
    cancel();
    current.current = null;
    setJobId(null);
    setStartError(null);
  }, [cancel, setJobId]);
  const state = jobId ? job.data : undefined;
  return {
    state,
    running: jobId !== null && !jobEnded(state),
    error: startError ?? job.error,
    start,
    cancel,
    reset,
  };
}
