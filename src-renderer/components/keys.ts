// Keyboard helpers shared by the shortcut handlers.

const nonTextInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color']);

/** True while the user is typing into a field (or choosing in a list, where letters jump
 * to options): single-letter shortcuts must not fire. A focused checkbox is not typing. */
export function isTyping(e: { target: EventTarget | null }): boolean {
  const el = e.target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (el instanceof HTMLInputElement) return !nonTextInputs.has(el.type);
  return !!el.closest('textarea, select, [contenteditable="true"]');
}
