import { afterAll, beforeAll, expect, test } from 'vitest';
import { AuditEventModel } from '../../lib/models';
import type { systemCheck } from '../../workflows';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await env.startWorkers();
});
afterAll(() => env.teardown());

test('a workflow on the real Temporal server writes to MongoDB and sends an email over SMTP', async () => {
  const result = await env.temporal.workflow.execute<typeof systemCheck>('systemCheck', {
    taskQueue: env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `system-check-${env.id}`,
    args: [{ checkId: env.id, notify: 'ops@example.test' }],
  });

  const event = await AuditEventModel.findById(result.auditEventId).lean();
  expect(event).toMatchObject({ action: 'system.check', outcome: 'success', target: { type: 'system-check', id: env.id } });

  const email = await env.inbox.waitFor((m) => m.to.includes('ops@example.test'));
  expect(email.subject).toBe(`Entrada system check ${env.id}`);
  expect(email.text).toContain(result.auditEventId);
  expect(result.emailed).toBe(true);
});

test('the same check run twice sends its email once (idempotent by key)', async () => {
  const before = env.inbox.to('ops@example.test').length;
  const again = await env.temporal.workflow.execute<typeof systemCheck>('systemCheck', {
    taskQueue: env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `system-check-${env.id}-again`,
    args: [{ checkId: env.id, notify: 'ops@example.test' }],
  });
  expect(again.emailed).toBe(false);
  expect(env.inbox.to('ops@example.test')).toHaveLength(before);
});
