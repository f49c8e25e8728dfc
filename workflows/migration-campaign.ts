/**
 * migrationCampaign (id `migration-campaign-<tenant>-<domain>`): round by round, nudges every
 * standard account of the domain that has not migrated yet (a page at a time), records
 * progress after each round (and, given `progressEveryMs`, that often while it waits), then waits
 * for the deadline if there is one. Staff or the tenancy's admins pause, resume, extend the
 * deadline or roll back, as Updates, any time before the deadline.
 */
import { condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  campaignStateQuery,
  campaignWorkflowId,
  extendCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  rollbackCampaignUpdate,
  type CampaignInput,
  type CampaignState,
  type CampaignWorkflow,
} from '../lib/contracts/migration-campaign';
import { EntradaStatusKey } from '../lib/contracts/shared';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '5m', heartbeatTimeout: '1m', retry: { maximumInterval: '1m' } });

export const migrationCampaign: CampaignWorkflow = async (input: CampaignInput): Promise<CampaignState> => {
  const started = Date.now();
  const campaignId = campaignWorkflowId(input.tenantId, input.domain);
  const state: CampaignState = {
    status: 'waiting',
    roundsDone: 0,
    rounds: input.roundOffsetsMs.length,
    deadline: input.deadline,
    progress: { migrated: 0, remaining: 0 },
    sent: 0,
  };
  let paused = false;
  let rolledBack = false;
  const beforeDeadline = (_request: { by: string }) => {
    if (rolledBack || state.status === 'deadline-passed' || state.status === 'completed')
      throw new Error(`the campaign is ${state.status}`);
  };

  setHandler(campaignStateQuery, () => state);
  const setPaused = async (value: boolean) => {
    paused = value;
    await record();
    return state;
  };
  setHandler(pauseCampaignUpdate, (_request) => setPaused(true), { validator: beforeDeadline });
  setHandler(resumeCampaignUpdate, (_request) => setPaused(false), { validator: beforeDeadline });
  setHandler(
    extendCampaignUpdate,
    async ({ deadline }) => {
      state.deadline = deadline;
      await record();
      return state;
    },
    {
      validator: (request) => {
        beforeDeadline(request);
        const { deadline } = request;
        const at = Date.parse(deadline);
        if (Number.isNaN(at) || at <= Date.now() || (state.deadline && at <= Date.parse(state.deadline)))
          throw new Error(
            `the new deadline must be in the future and later than the current one (${state.deadline ?? 'none'}); got ${deadline}`,
          );
      },
    },
  );
  setHandler(
    rollbackCampaignUpdate,
    async (_request) => {
      rolledBack = true;
      await condition(() => state.status === 'rolled-back');
      return state;
    },
    {
      validator: (request) => {
        beforeDeadline(request);
        if (typeof request.reason !== 'string' || request.reason.trim().length < 10)
          throw new Error('a rollback needs a reason of at least 10 characters');
      },
    },
  );

  await record();
  for (let round = 0; round < input.roundOffsetsMs.length && !rolledBack; round++) {
    const due = started + input.roundOffsetsMs[round];
    state.nextRoundAt = new Date(due).toISOString();
    show();
    while (!rolledBack && (paused || Date.now() < due)) {
      if (paused) await wait(() => !paused || rolledBack);
      else await wait(() => paused || rolledBack, due);
    }
    if (rolledBack) break;
    state.status = 'nudging';
    show();
    let after: string | undefined;
    do {
      if (paused) await condition(() => !paused || rolledBack);
      if (rolledBack) break;
      const page = await acts.nudgeCampaignPage({ campaignId, tenantId: input.tenantId, domain: input.domain, round, after });
      state.sent += page.sent;
      after = page.next;
    } while (after);
    state.roundsDone = round + 1;
    // What the record (the portal, the console) shows until the next round or the deadline.
    state.status = state.roundsDone === state.rounds && state.deadline ? 'awaiting-deadline' : 'waiting';
    state.progress = await acts.campaignProgress({ domain: input.domain });
    await record();
  }
  state.nextRoundAt = undefined;
  // After the last round: wait for the deadline (extendable), unless rolled back.
  while (!rolledBack && state.deadline && Date.now() < Date.parse(state.deadline)) {
    state.status = 'awaiting-deadline';
    show();
    const until = state.deadline;
    await wait(() => rolledBack || state.deadline !== until, Date.parse(until));
  }
  state.status = rolledBack ? 'rolled-back' : state.deadline ? 'deadline-passed' : 'completed';
  state.progress = await acts.campaignProgress({ domain: input.domain });
  await record();
  return state;

  /**
   * Waits for `done`, or until the time `at`. Users migrate whenever they sign in, so with
   * `progressEveryMs` it re-counts progress that often meanwhile, for the portal and the Temporal UI.
   */
  async function wait(done: () => boolean, at?: number): Promise<void> {
    const every = input.progressEveryMs;
    for (;;) {
      const left = at === undefined ? undefined : at - Date.now();
      if (left !== undefined && left <= 0) return;
      if (!every) {
        if (left === undefined) await condition(done);
        else await condition(done, left);
        return;
      }
      if (await condition(done, Math.min(left ?? every, every))) return;
      if (at !== undefined && Date.now() >= at) return;
      const progress = await acts.campaignProgress({ domain: input.domain });
      if (progress.migrated !== state.progress.migrated || progress.remaining !== state.progress.remaining) {
        state.progress = progress;
        await record();
      }
    }
  }
  function show() {
    const status = paused && !rolledBack ? 'paused' : state.status;
    upsertSearchAttributes([{ key: EntradaStatusKey, value: `campaign-${status}` }]);
    const { migrated, remaining } = state.progress;
    setCurrentDetails(
      `**Migration campaign** ${input.domain} (${input.tenantId}) — ${status}; ${migrated} of ${migrated + remaining} migrated; round ${state.roundsDone}/${state.rounds}; ${state.sent} nudges sent${state.deadline ? `; deadline ${state.deadline}` : ''}`,
    );
  }
  async function record() {
    show();
    await acts.recordCampaign({
      tenantId: input.tenantId,
      domain: input.domain,
      status: paused ? 'paused' : state.status,
      deadline: state.deadline,
      progress: state.progress,
    });
  }
};
