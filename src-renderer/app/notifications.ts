// Due tasks raise a desktop notification: the Notification API works in Electron (shown by
// the OS) and in web mode once the user allowed it. Each task is announced once per device.
import { useEffect } from 'react';
import i18n from '../i18n/index.js';
import { api } from '../api/client.js';
import { localDay } from '../components/dates.js';
import { useUi } from './uiStore.js';

const KEY = 'leadbook.notifiedTasks';
const CHECK_EVERY_MS = 60_000;

function announced(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export function useDueTaskNotifications(): void {
  useEffect(() => {
    const check = async () => {
      const tasks = await api.call('activities.agenda', {
        view: 'today',
        ...localDay(),
        limit: 1000,
      });
      const now = Date.now();
      const seen = announced();
      const due = tasks.filter((a) => a.due_at !== null && a.due_at <= now && !seen.has(a.id));
      for (const task of due) seen.add(task.id);
      const first = due[0];
      if (first) {
        // One notice per check: a morning with many due tasks is one reminder, not a pile.
        const title = i18n.t('notify.due');
        const body =
          due.length === 1 ? (first.subject ?? '') : i18n.t('notify.many', { count: due.length });
        if (notificationsSupported() && Notification.permission === 'granted') {
          const n = new Notification(title, { body, tag: due.length === 1 ? first.id : 'due' });
          n.onclick = () => {
            window.focus();
            if (due.length === 1 && first.lead_id) useUi.getState().openLead(first.lead_id);
            else useUi.getState().setPage('activities');
          };
        } else {
          useUi.getState().showToast(due.length === 1 ? `${title}: ${body}` : body);
        }
      }
      // Only today's ids matter: keep the list short.
      localStorage.setItem(KEY, JSON.stringify([...seen].slice(-500)));
    };
    const run = () => void check().catch(() => undefined);
    run();
    const timer = setInterval(run, CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
}
