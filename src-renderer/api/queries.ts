import { mayWriteTeamConfig, type SyncStatus } from '../../src-main/contract/index.js';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localName } from '../components/format.js';
import { api } from './client.js';

/** Database status (counts, welcome flag, file path), shared by every view that shows it. */
export function useAppStatus() {
  return useQuery({ queryKey: ['app.status'], queryFn: () => api.call('app.status', {}) });
}

/** Team members, for owner pickers and names in lists (a team is tens, not thousands). */
export function useUsers() {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.call('users.list', { sort: { field: 'name', dir: 'asc' }, limit: 1000 }),
    select: (r) => r.rows,
  });
}

/** Events and campaigns, newest first. */
export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns', 'all'],
    queryFn: () =>
      api.call('campaigns.list', { sort: { field: 'start_date', dir: 'desc' }, limit: 1000 }),
    select: (r) => r.rows,
  });
}

/** Pipeline stages in board order (a handful), for names in timelines and pickers —
 * removed ones too, since a deal's history may name them (pickers skip them). */
export function useStages() {
  return useQuery({
    queryKey: ['stages', 'all'],
    queryFn: () =>
      api.call('stages.list', {
        sort: { field: 'sort_order', dir: 'asc' },
        limit: 1000,
        deleted: 'include',
      }),
    select: (r) => r.rows,
  });
}

/** A stage's name in the reader's language by its id; null for an id no stage has. */
export function useStageName(): (id: string | null | undefined) => string | null {
  const stages = useStages();
  const { i18n } = useTranslation();
  return (id) => {
    const s = id ? stages.data?.find((x) => x.id === id) : undefined;
    return s ? localName(s, i18n.language) : null;
  };
}

/** The team's settings (currency, lost reasons, exchange rates, …), one cache entry that
 * every saver invalidates with the key ['settings']. */
export function useTeamSettings() {
  return useQuery({ queryKey: ['settings'], queryFn: () => api.call('settings.get', {}) });
}

/** This device's preferences: who uses it, and the booth's current event. */
export function useDevice() {
  return useQuery({ queryKey: ['device'], queryFn: () => api.call('device.get', {}) });
}

/** id → display name for users and campaigns, for table cells. */
export function useNames() {
  const users = useUsers();
  const campaigns = useCampaigns();
  return useMemo(
    () => ({
      users: new Map((users.data ?? []).map((u) => [u.id, u.name ?? ''])),
      campaigns: new Map((campaigns.data ?? []).map((c) => [c.id, c.name ?? ''])),
    }),
    [users.data, campaigns.data],
  );
}

/** The newer of two sync statuses: an answer to a request sent before a change must not
 * undo the change's event (the badge would then stay on "syncing" until the next change). */
export function newerSyncStatus(old: SyncStatus | undefined, next: SyncStatus): SyncStatus {
  return old && old.revision > next.revision ? old : next;
}

/** Keeps a sync status (from an event or a call's answer) unless a newer one is shown. */
export function keepSyncStatus(queryClient: QueryClient, status: SyncStatus): void {
  queryClient.setQueryData<SyncStatus>(['sync.status'], (old) => newerSyncStatus(old, status));
}

/** Team sync status; kept current by the API's sync events (see main.tsx). */
export function useSyncStatus() {
  return useQuery({
    queryKey: ['sync.status'],
    queryFn: () => api.call('sync.status', {}),
    structuralSharing: (old, next) =>
      newerSyncStatus(old as SyncStatus | undefined, next as SyncStatus),
  });
}

/** True when this laptop's user is a rep of a synced team: team settings (targets too)
 * are read-only — the API refuses them first, the server would refuse them too. */
export function useTeamConfigReadOnly(): boolean {
  const role = useSyncStatus().data?.role ?? null;
  return role !== null && !mayWriteTeamConfig(role);
}

/** The workspace's custom fields (Settings › Fields), shared by every screen that shows
 * or picks one. */
export function useCustomFields() {
  return useQuery({
    queryKey: ['customFields'],
    queryFn: () => api.call('customFields.list', {}),
  });
}

/** A field's name for a person: a custom field (`cf.<key>`) by its label, others as
 * `builtIn` says. */
export function useFieldLabel(builtIn: (field: string) => string): (field: string) => string {
  const custom = useCustomFields().data ?? [];
  return (field) =>
    field.startsWith('cf.')
      ? (custom.find((c) => `cf.${c.key}` === field)?.label ?? field.slice(3))
      : builtIn(field);
}
