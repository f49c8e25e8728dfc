/**
 * Reads that callers asking at the same time share, without anyone getting an answer older
 * than their question. A read answers a caller only if it was sent after the caller asked: a
 * caller that finds a read of its key in flight waits for the next one, which starts when that
 * read ends and which every caller arriving meanwhile shares. So whatever was committed before a
 * caller asked is in its answer, exactly as with a read of its own, while under load one command
 * serves a whole queue of callers (the tenant's settings version read by every SSO sign-in,
 * lib/saml/tenant-config.ts).
 */
export function freshReads<T>(): (key: string, read: () => Promise<T>) => Promise<T> {
  type Slot = { current?: Promise<T>; next?: Promise<T> };
  const slots = new Map<string, Slot>();

  const send = (key: string, slot: Slot, read: () => Promise<T>): Promise<T> => {
    const sent: Promise<T> = read().finally(() => {
      if (slot.current === sent) slot.current = undefined;
      if (!slot.current && !slot.next) slots.delete(key);
    });
    slot.current = sent;
    return sent;
  };

  // The key names what is read (say, the database and the tenancy); `read` sends that read.
  return (key, read) => {
    let slot = slots.get(key);
    if (!slot) slots.set(key, (slot = {}));
    if (!slot.current) return send(key, slot, read);
    const queued = slot;
    // Its outcome does not matter to the waiters: they get a read of their own either way.
    queued.next ??= queued
      .current!.catch(() => undefined)
      .then(() => {
        queued.next = undefined;
        return send(key, queued, read);
      });
    return queued.next;
  };
}
