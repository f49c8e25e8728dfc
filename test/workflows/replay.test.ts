/**
 * Workflows started on earlier code replay on this code: the histories under histories/
 * (recorded by `npm run record:histories` before a workflow changed) run through the current
 * workflow bundle, which fails on any non-determinism — a changed order of activities, timers
 * or child starts without a `patched()` guard. A worker upgraded under a running onboarding or
 * connection must pick it up where it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { expect, inject, test } from 'vitest';
import { historyFromObject } from './histories/format';
import '../support/quiet-runtime';

const dir = path.join(__dirname, 'histories');
const recordings = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { recordedOn: string; workflowId: string }) }));

test('there are recorded histories to replay', () => {
  expect(recordings.map((r) => r.file)).toEqual(expect.arrayContaining(['live.tenantOnboarding.json', 'live.ssoConnection.json']));
});

test.each(recordings)('$file (recorded on $recordedOn) replays on this code', async ({ file }) => {
  const { history, workflowId } = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, historyFromObject(history), workflowId);
});
