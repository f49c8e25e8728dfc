import { Context } from '@temporalio/activity';
import { Types } from 'mongoose';
import { filePurgeProgressSignal } from '../../lib/contracts/deletion';
import { auditedStep, type DeletionStep } from './audited-step';
import { purgeFiles } from './purge-files';

/**
 * Step 3 (purge queue). Every file the user owns, wherever it lives (own space or a hub),
 * blobs and metadata. Files others own and shared with the user are untouched: the filter
 * is the owner, never the share. Progress goes to the workflow by signal so the Temporal UI
 * and the staff console show "purged / total" while this runs.
 */
export async function purgeUserFiles(step: DeletionStep) {
  return auditedStep(step, 'purge-files', async () => {
    const workflow = Context.current().client.workflow.getHandle(step.workflowId);
    const done = await purgeFiles({ ownerId: new Types.ObjectId(step.userId) }, ({ total, purged, bytes }) =>
      workflow.signal(filePurgeProgressSignal, { total, purged, bytes }),
    );
    return { purged: done.purged, bytes: done.bytes };
  });
}
