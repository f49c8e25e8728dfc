/**
 * Stubbed activities for workflow unit tests: every activity the worker knows is registered,
 * each call is recorded (name, input, queue and attempt, in order), and one a test did not stub fails the
 * workflow with a non-retryable `NotStubbed` instead of touching a real database or mailbox.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type Activities, type ActivityDeps } from '../../activities';

export type ActivityName = keyof Activities;
type Input<K extends ActivityName> = Parameters<Activities[K]>[0];
type Output<K extends ActivityName> = Awaited<ReturnType<Activities[K]>>;
export type Stubs = { [K in ActivityName]?: (input: Input<K>) => Output<K> | Promise<Output<K>> };

export interface ActivityCall {
  name: ActivityName;
  input: unknown;
  /** Where and how it ran: purges belong on the purge queue; retries show as attempts. */
  taskQueue: string;
  attempt: number;
}

/** The names come from the real factory, so a renamed activity breaks these tests too. */
const ACTIVITY_NAMES = Object.keys(createActivities({} as ActivityDeps)) as ActivityName[];

export function stubActivities(stubs: Stubs) {
  const calls: ActivityCall[] = [];
  const activities = Object.fromEntries(
    ACTIVITY_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        const { taskQueue, attempt } = Context.current().info;
        calls.push({ name, input, taskQueue, attempt });
        const stub = stubs[name] as ((input: unknown) => unknown) | undefined;
        if (!stub) throw ApplicationFailure.nonRetryable(`activity ${name} is not stubbed in this test`, 'NotStubbed');
        return stub(input);
      },
    ]),
  );
  return {
    activities,
    calls,
    /** Every input the activity was called with, in order. */
    inputsOf<K extends ActivityName>(name: K): Input<K>[] {
      return calls.filter((c) => c.name === name).map((c) => c.input as Input<K>);
    },
    names: () => calls.map((c) => c.name),
  };
}
