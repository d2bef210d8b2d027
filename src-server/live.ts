// Wake-ups for the live channel. Within one process a push wakes its own listeners; with
// PostgreSQL every process LISTENs, and a push in any of them NOTIFYs all (in the push's
// transaction, so nobody is woken before the entries can be read).
export type HeadListener = (head: number) => void;

export class LiveHub {
  private readonly listeners = new Map<string, Set<HeadListener>>();

  subscribe(workspaceId: string, listener: HeadListener): () => void {
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(workspaceId);
    };
  }

  publish(workspaceId: string, head: number): void {
    for (const l of [...(this.listeners.get(workspaceId) ?? [])]) l(head);
  }

  /** A NOTIFY payload: "<workspace id>:<head>". */
  publishPayload(payload: string): void {
    const at = payload.lastIndexOf(':');
    const head = Number(payload.slice(at + 1));
    if (at > 0 && Number.isSafeInteger(head)) this.publish(payload.slice(0, at), head);
  }

  get size(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
