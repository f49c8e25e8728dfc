import path from 'node:path';
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { ensureTestServices } from '../scripts/lib/test-services';
import { dataDir } from '../scripts/lib/services';
import { ROOT } from '../scripts/lib/tools';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
  }
}

/** Once per run: real services up, workflow code bundled once for every test file's worker. */
export default async function setup(project: TestProject) {
  const stop = await ensureTestServices();
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows/index.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
  });
  const bundlePath = path.join(dataDir('test'), `workflow-bundle-${process.pid}.js`);
  fs.writeFileSync(bundlePath, code);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    fs.rmSync(bundlePath, { force: true });
    await stop();
  };
}
