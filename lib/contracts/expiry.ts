/**
 * The expiry sweeper's contract (workflows/expiry-sweeper.ts, activities/expiry.ts): statuses
 * and results. Pure definitions.
 */
export const EXPIRY_STATUSES = ['sweeping', 'swept'] as const;
export type ExpiryStatus = (typeof EXPIRY_STATUSES)[number];

export interface SweptCollection {
  collection: string;
  deleted: number;
}

export interface ExpirySweepResult {
  swept: SweptCollection[];
  deleted: number;
}
