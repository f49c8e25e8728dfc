/**
 * Waits until `probe` gives a truthy value and returns it (vitest's `expect.poll` asserts but
 * returns nothing, and these waits need the value, e.g. the status that was waited for).
 * `what` names the wait in the timeout's error; a function is called then, for context such as
 * a process's last output.
 */
export async function until<T>(
  what: string | (() => string),
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
