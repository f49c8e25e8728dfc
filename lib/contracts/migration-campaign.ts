/**
 * The migration campaign (`migrationCampaign`, one per nominated domain): nudges each standard
 * account of the domain that has not migrated yet, round by round (e.g. day 0, 7, 14), shows
 * progress, and may carry a deadline. Pure contracts, safe in the workflow bundle.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const CAMPAIGN_STATUSES = [
  'waiting',
  'nudging',
  'paused',
  'awaiting-deadline',
  'deadline-passed',
  'completed',
  'rolled-back',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const campaignWorkflowId = (tenantId: string, domain: string) =>
  `migration-campaign-${tenantId.toLowerCase()}-${domain.toLowerCase()}`;

export interface CampaignInput {
  tenantId: string;
  domain: string;
  /** When each round of nudges goes out, from the campaign's start (e.g. 0, 7 and 14 days). */
  roundOffsetsMs: number[];
  /** Optional: after it, the campaign ends (see ARCHITECTURE.md on password sign-in). */
  deadline?: string;
  /** Optional: how often to re-count progress while waiting (a round, the deadline); without it, only after each round. */
  progressEveryMs?: number;
  startedBy: string;
}

export interface CampaignProgress {
  migrated: number;
  /** Standard accounts of the domain still to migrate. */
  remaining: number;
}

export interface CampaignState {
  status: CampaignStatus;
  roundsDone: number;
  rounds: number;
  nextRoundAt?: string;
  deadline?: string;
  progress: CampaignProgress;
  /** Nudges sent so far (each user at most once per round). */
  sent: number;
}

export type CampaignWorkflow = (input: CampaignInput) => Promise<CampaignState>;

export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
export const pauseCampaignUpdate = defineUpdate<CampaignState, [{ by: string }]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignState, [{ by: string }]>('resumeCampaign');
export const extendCampaignUpdate = defineUpdate<CampaignState, [{ by: string; deadline: string }]>('extendCampaign');
/** Stops the campaign before its deadline; no more nudges, no deadline. */
export const rollbackCampaignUpdate = defineUpdate<CampaignState, [{ by: string; reason: string }]>('rollbackCampaign');
