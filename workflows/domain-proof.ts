/**
 * domainProof (id `domain-proof-<tenant>-<domain>`): checks the domain's TXT record now, then
 * on a schedule, until it is verified, staff override it, or it expires. A DNS failure
 * (SERVFAIL, timeout) is an outcome of a check, shown on the proof and simply checked again.
 */
import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  checkDomainNowSignal,
  domainProofStateQuery,
  overrideDomainProofUpdate,
  type DomainProofInput,
  type DomainProofWorkflow,
  type DomainProofState,
} from '../lib/contracts/domain-proof';
import { EntradaStatusKey } from '../lib/contracts/shared';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumInterval: '1m' } });

export const domainProof: DomainProofWorkflow = async (input: DomainProofInput): Promise<DomainProofState> => {
  const key = { tenantId: input.tenantId, domain: input.domain };
  const state: DomainProofState = { status: 'pending', checks: 0 };
  let checkNow = false;
  let override: { by: string; reason: string } | undefined;

  setHandler(domainProofStateQuery, () => state);
  setHandler(checkDomainNowSignal, () => void (checkNow = true));
  setHandler(
    overrideDomainProofUpdate,
    async (request) => {
      override = request;
      await condition(() => state.status !== 'pending');
      return state.status;
    },
    {
      validator: (request) => {
        if (state.status !== 'pending') throw new Error(`the proof is already ${state.status}`);
        if (!request?.by || typeof request.reason !== 'string' || request.reason.trim().length < 10)
          throw new Error('an override needs a reason of at least 10 characters');
      },
    },
  );

  const show = () => upsertSearchAttributes([{ key: EntradaStatusKey, value: `domain-proof-${state.status}` }]);
  show();
  while (state.status === 'pending') {
    if (override) {
      state.status = await acts.overrideDomainProof({ ...key, ...override });
      break;
    }
    const result = await acts.checkDomainProof(key);
    state.checks++;
    state.lastOutcome = result.outcome;
    state.status = result.status;
    if (state.status !== 'pending') break;
    const left = Date.parse(input.expiresAt) - Date.now();
    if (left <= 0) {
      await acts.expireDomainProof(key);
      state.status = 'expired';
      break;
    }
    checkNow = false;
    await condition(() => checkNow || !!override, Math.min(input.recheckMs, left));
  }
  show();
  return state;
};
