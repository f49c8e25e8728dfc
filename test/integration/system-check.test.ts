import { expect, test } from 'vitest';
import { AuditEventModel } from '../../lib/models';
import type { systemCheck } from '../../workflows';
import { useStack } from '../support/stack';

const stack = useStack({ workers: true, web: false });

test('a workflow on the real Temporal server writes to MongoDB and sends an email over SMTP', async () => {
  const result = await stack.env.temporal.workflow.execute<typeof systemCheck>('systemCheck', {
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `system-check-${stack.env.id}`,
    args: [{ checkId: stack.env.id, notify: 'ops@example.test' }],
  });

  const event = await AuditEventModel.findById(result.auditEventId).lean();
  expect(event).toMatchObject({ action: 'system.check', outcome: 'success', target: { type: 'system-check', id: stack.env.id } });

  const email = await stack.env.inbox.waitFor((m) => m.to.includes('ops@example.test'));
  expect(email.subject).toBe(`Entrada system check ${stack.env.id}`);
  expect(email.text).toContain(result.auditEventId);
  expect(result.emailed).toBe(true);
});

test('the same check run twice sends its email once (idempotent by key)', async () => {
  const before = stack.env.inbox.to('ops@example.test').length;
  const again = await stack.env.temporal.workflow.execute<typeof systemCheck>('systemCheck', {
    taskQueue: stack.env.config.TEMPORAL_TASK_QUEUE,
    workflowId: `system-check-${stack.env.id}-again`,
    args: [{ checkId: stack.env.id, notify: 'ops@example.test' }],
  });
  expect(again.emailed).toBe(false);
  expect(stack.env.inbox.to('ops@example.test')).toHaveLength(before);
});
