import { useSyncExternalStore } from 'react';

/** Under this width the sidebar shows icons only and panels float over the list. */
export const NARROW_WINDOW = 1200;
const query = `(max-width: ${NARROW_WINDOW - 0.02}px)`;

const subscribe = (onChange: () => void) => {
  const list = window.matchMedia(query);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
};

/** Whether the window is narrower than NARROW_WINDOW, followed as it is resized. */
export function useNarrowWindow(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
