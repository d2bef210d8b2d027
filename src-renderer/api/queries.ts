import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';

/** Database status (counts, welcome flag, file path), shared by every view that shows it. */
export function useAppStatus() {
  return useQuery({ queryKey: ['app.status'], queryFn: () => api.call('app.status', {}) });
}
