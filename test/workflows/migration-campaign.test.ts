/** migrationCampaign with stubbed activities on the time-skipping server: rounds on schedule, paging, pause, extend, rollback. */
import { expect, test } from 'vitest';
import {
  campaignStateQuery,
  extendCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  rollbackCampaignUpdate,
  type CampaignInput,
  type CampaignWorkflow,
} from '../../lib/contracts/migration-campaign';
import { EntradaStatusKey } from '../../lib/contracts/shared';
import { stubActivities } from '../support/stub-activities';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();
const DAY = 24 * 3600_000;
/** The server's clock: earlier tests have skipped it ahead of the real one. */
const now = () => server.env.currentTimeMs();

const input = (extra: Partial<CampaignInput> = {}): CampaignInput => ({
  tenantId: 'tid-contoso',
  domain: 'contoso.example',
  roundOffsetsMs: [0, 7 * DAY, 14 * DAY],
  startedBy: 'sam@entrada.test',
  ...extra,
});

/** Two pages per round (cursor "p2" after the first), one nudge each; progress moves as rounds pass. */
function campaignStubs() {
  let rounds = 0;
  return stubActivities({
    nudgeCampaignPage: ({ after }) => (after ? { sent: 1 } : { sent: 1, next: 'p2' }),
    campaignProgress: () => ({ migrated: rounds, remaining: 3 - rounds++ }),
    recordCampaign: () => undefined,
  });
}

test('nudges round by round on the schedule, a page at a time, then passes its deadline', async () => {
  const stub = campaignStubs();
  const { result, status } = await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await server.client.workflow.start<CampaignWorkflow>('migrationCampaign', {
      taskQueue,
      workflowId: `campaign-${taskQueue}`,
      args: [input({ deadline: new Date((await now()) + 21 * DAY).toISOString() })],
    });
    return { result: await handle.result(), status: (await handle.describe()).typedSearchAttributes.get(EntradaStatusKey) };
  });
  const pages = stub.inputsOf('nudgeCampaignPage').map((p) => [p.round, p.after ?? null]);
  expect(pages).toEqual([
    [0, null],
    [0, 'p2'],
    [1, null],
    [1, 'p2'],
    [2, null],
    [2, 'p2'],
  ]);
  expect(result).toMatchObject({ status: 'deadline-passed', roundsDone: 3, sent: 6 });
  expect(status).toBe('campaign-deadline-passed');
  expect(stub.inputsOf('recordCampaign').at(-1)).toMatchObject({ status: 'deadline-passed' });
});

test('paused, no round goes out until resumed; the deadline can be extended, and a rollback ends it before the deadline', async () => {
  const stub = campaignStubs();
  await server.withWorker(stub.activities, async (taskQueue) => {
    const deadline = new Date((await now()) + 21 * DAY).toISOString();
    const handle = await server.client.workflow.start<CampaignWorkflow>('migrationCampaign', {
      taskQueue,
      workflowId: `campaign-${taskQueue}`,
      args: [input({ deadline })],
    });
    await expect.poll(async () => (await handle.query(campaignStateQuery)).roundsDone).toBe(1);
    await handle.executeUpdate(pauseCampaignUpdate, { args: [{ by: 'sam' }] });
    await server.sleep(10 * DAY);
    expect((await handle.query(campaignStateQuery)).roundsDone).toBe(1);
    expect(stub.inputsOf('recordCampaign').at(-1)).toMatchObject({ status: 'paused' });
    await handle.executeUpdate(resumeCampaignUpdate, { args: [{ by: 'sam' }] });
    await expect.poll(async () => (await handle.query(campaignStateQuery)).roundsDone).toBe(2);

    await expect(
      handle.executeUpdate(extendCampaignUpdate, { args: [{ by: 'sam', deadline: new Date((await now()) - DAY).toISOString() }] }),
    ).rejects.toThrow();
    const later = new Date(Date.parse(deadline) + 30 * DAY).toISOString();
    expect((await handle.executeUpdate(extendCampaignUpdate, { args: [{ by: 'sam', deadline: later }] })).deadline).toBe(later);

    await expect(handle.executeUpdate(rollbackCampaignUpdate, { args: [{ by: 'sam', reason: 'no' }] })).rejects.toThrow();
    const rolled = await handle.executeUpdate(rollbackCampaignUpdate, { args: [{ by: 'sam', reason: 'Customer asked to wait for Q3' }] });
    expect(rolled.status).toBe('rolled-back');
    expect((await handle.result()).status).toBe('rolled-back');
  });
});

test('with progressEveryMs it re-counts progress while it waits for the deadline, recording each change once', async () => {
  let counts = 0;
  const stub = stubActivities({
    nudgeCampaignPage: () => ({ sent: 1 }),
    // One user migrates a day, until two have.
    campaignProgress: () => {
      const migrated = Math.min(counts++, 2);
      return { migrated, remaining: 3 - migrated };
    },
    recordCampaign: () => undefined,
  });
  const result = await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await server.client.workflow.start<CampaignWorkflow>('migrationCampaign', {
      taskQueue,
      workflowId: `campaign-${taskQueue}`,
      args: [input({ roundOffsetsMs: [0], progressEveryMs: DAY, deadline: new Date((await now()) + 5.5 * DAY).toISOString() })],
    });
    return handle.result();
  });
  expect(result).toMatchObject({ status: 'deadline-passed', progress: { migrated: 2, remaining: 1 } });
  const recorded = stub.inputsOf('recordCampaign').map((r) => [r.status, r.progress.migrated]);
  expect(recorded).toEqual([
    ['waiting', 0],
    ['awaiting-deadline', 0],
    ['awaiting-deadline', 1],
    ['awaiting-deadline', 2],
    ['deadline-passed', 2],
  ]);
  // After the round: a count a day for five days (the deadline's wake-up counts once, at the end).
  expect(stub.inputsOf('campaignProgress')).toHaveLength(7);
});
