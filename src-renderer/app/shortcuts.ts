// App-wide keyboard shortcuts. Single letters only act when the user is not typing in a
// field; Alt+N opens capture even then (browsers keep Ctrl+N for themselves; the desktop
// shell's menu adds Ctrl/⌘+N).
import { useEffect } from 'react';
import { isTyping } from '../components/keys.js';
import { useUi, type Page } from './uiStore.js';

export const goKeys: Record<string, Page> = {
  h: 'home',
  c: 'capture',
  l: 'leads',
  i: 'imports',
  d: 'duplicates',
  p: 'pipeline',
  f: 'forecast',
  a: 'activities',
  r: 'reports',
  s: 'settings',
};

/** Shown by the help overlay: [keys, i18n key of what they do]. */
export const shortcutList: readonly (readonly [string, string])[] = [
  ['N  /  Alt+N', 'help.capture'],
  ['Enter', 'help.saveNext'],
  ['Esc', 'help.clear'],
  ['/  ·  Ctrl+K', 'help.search'],
  ['G → H C L I D P F A R S', 'help.go'],
  ['C · E · M · O · T', 'help.log'],
  ['V', 'help.convert'],
  ['↑ ↓ · J K · Enter · X', 'help.list'],
  ['Shift+Click', 'help.range'],
  ['?', 'help.help'],
];

export function focusCapture(): void {
  useUi.getState().setPage('capture');
  // The capture form mounts on the next frame when coming from another page.
  requestAnimationFrame(() =>
    document.querySelector<HTMLInputElement>('.capture-form input[name="name"]')?.focus(),
  );
}

export function focusSearch(): void {
  useUi.getState().setPage('leads');
  requestAnimationFrame(() => document.getElementById('lead-search')?.focus());
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    let pendingGo = false;
    let goTimer: ReturnType<typeof setTimeout> | undefined;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const ui = useUi.getState();
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyN') {
        e.preventDefault();
        focusCapture();
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (e.key === 'Escape' && ui.helpOpen) {
        ui.setHelpOpen(false);
        return;
      }
      if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      // Inside the lead panel its own letters (C, E, M, O, T) are handled first and
      // arrive here already prevented.
      if (pendingGo) {
        pendingGo = false;
        clearTimeout(goTimer);
        const page = goKeys[e.key.toLowerCase()];
        if (page) {
          e.preventDefault();
          if (page === 'capture') focusCapture();
          else ui.setPage(page);
        }
        return;
      }
      switch (e.key) {
        case '?':
          e.preventDefault();
          ui.setHelpOpen(!ui.helpOpen);
          break;
        case '/':
          e.preventDefault();
          focusSearch();
          break;
        case 'n':
        case 'N':
          e.preventDefault();
          focusCapture();
          break;
        case 'g':
        case 'G':
          pendingGo = true;
          goTimer = setTimeout(() => (pendingGo = false), 1500);
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      clearTimeout(goTimer);
    };
  }, []);
}
