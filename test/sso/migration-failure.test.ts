/**
 * The sign-in waits for a migration's `accountReady` answer (update-with-start); these are the
 * ways that answer does not come: the migration fails, or Temporal is unavailable while the
 * progress page asks. No worker runs unless a test starts one.
 */
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { beforeAll, expect, inject, test, vi } from 'vitest';
import { createActivities } from '../../activities';
import { AuditEventModel, UserModel } from '../../lib/models';
import { temporalDown } from '../support/faults';
import { createUser } from '../support/people';
import { connectTenant, finishPendingSignIn, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ config: { MIGRATION_ACS_WAIT: '1s' }, entra: true });
let tenant: SsoTenant;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['contoso.example'] });
});

test('a migration that fails ends the sign-in on a clear page, and the account keeps its password', async () => {
  const ida = await createUser({ email: 'ida@contoso.example' });
  tenant.emulated.addUser({ email: 'ida@contoso.example' });
  // The Entra identity turns out to be bound to another account: the migration stops there,
  // before the password is disabled.
  const connection = await NativeConnection.connect({ address: stack.env.config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: stack.env.namespace,
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: {
      ...createActivities(stack.env.deps),
      linkMigratedIdentity: () => {
        throw ApplicationFailure.create({ type: 'Conflict', nonRetryable: true, message: 'Entra identity already bound to another user' });
      },
    },
  });
  const res = await worker.runUntil(new SsoBrowser(stack.env, tenant).signIn('ida@contoso.example'));
  await connection.close();

  // The update never answers; the workflow's failure does.
  expect(await res.text()).toContain('We could not finish preparing your Entrada account');
  expect(res.status).toBe(403);
  const refused = await AuditEventModel.findOne({ action: 'saml.rejected', 'details.reason': 'account-preparation-failed' }).lean();
  expect(refused?.details).toMatchObject({ expected: 'completed', received: 'failed' });
  const user = await UserModel.findById(ida._id).lean();
  expect(user).toMatchObject({ kind: 'standard', status: 'migrating' }); // the sweeper retries it later
  expect(user?.passwordHash).toBeTruthy();
});

test('Temporal unavailable while the progress page asks: 503 "try again", and a later ask finishes the sign-in', async () => {
  const ned = await createUser({ email: 'ned@contoso.example' });
  tenant.emulated.addUser({ email: 'ned@contoso.example' });
  const browser = new SsoBrowser(stack.env, tenant);
  const res = await browser.signIn('ned@contoso.example');
  expect(res.status).toBe(200); // no worker yet: the ACS waited its second, then showed the progress page

  vi.spyOn(stack.env.temporal.workflowService, 'updateWorkflowExecution').mockRejectedValueOnce(temporalDown());
  const poll = await browser.http.api('GET', `/saml/migration/${ned._id}/status`);
  expect(poll.status).toBe(503);

  await stack.env.startWorkers();
  expect((await finishPendingSignIn(browser, res, 60_000)).status).toBe(303);
  expect(await browser.whoAmI()).toBe('ned@contoso.example');
});
