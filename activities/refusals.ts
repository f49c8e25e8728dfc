import { Refusal, toFailure } from '../lib/contracts/refusal';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any activity signature
type Activity = (...args: any[]) => Promise<unknown>;

/**
 * The activity boundary of the refusal model: a Refusal thrown by an activity or a use case
 * it calls leaves as the ApplicationFailure Temporal understands, typed by its kind and
 * non-retryable (lib/contracts/refusal.ts). Anything else stays a retryable failure.
 */
export function refusalsAsFailures<T extends Record<string, Activity>>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, run]) => [
    name,
    async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        throw err instanceof Refusal ? toFailure(err) : err;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
