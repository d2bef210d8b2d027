// What entering a stage does to a deal: a won or lost stage closes it (a lost deal must
// say why), an open stage reopens it. Pure: the entity rules apply it on every path that
// changes a deal's stage.

type Kind = string | null;

export type ClosingOutcome =
  | { needsReason: true }
  | {
      needsReason: false;
      /** Fields to add to the change (empty: nothing to close or reopen). */
      set: { closed_at?: number | null; lost_reason?: null };
    };

export function closingChanges(
  fromKind: Kind,
  toKind: Kind,
  current: { closed_at?: unknown; lost_reason?: unknown },
  given: { closed_at?: unknown; lost_reason?: unknown },
  now: number,
): ClosingOutcome {
  // Between two stages of one kind (a removed stage's deals moved on) nothing closes or
  // reopens: the deal keeps its close time and reason.
  if (fromKind === toKind) return { needsReason: false, set: {} };
  if (toKind === 'lost') {
    const reason = given.lost_reason;
    if (typeof reason !== 'string' || reason.trim() === '') return { needsReason: true };
    return { needsReason: false, set: given.closed_at == null ? { closed_at: now } : {} };
  }
  if (toKind === 'won')
    return {
      needsReason: false,
      set: {
        ...(given.closed_at == null ? { closed_at: now } : {}),
        ...(current.lost_reason != null ? { lost_reason: null } : {}),
      },
    };
  return {
    needsReason: false,
    set: {
      ...(current.closed_at != null ? { closed_at: null } : {}),
      ...(current.lost_reason != null ? { lost_reason: null } : {}),
    },
  };
}
