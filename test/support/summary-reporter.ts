/**
 * A vitest reporter for the end of every run: where the suite's time goes, by top-level test
 * folder and slowest file, and how many tests needed a retry (the suite sets none, so any
 * retry comes from a test that asks for one and is worth a look).
 */
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

interface FileTime {
  file: string;
  folder: string;
  seconds: number;
  tests: number;
}

const SLOWEST = 5;

/** Everything a file held a worker for: environment, import, setup, its tests and hooks. */
function fileTime(module: TestModule): FileTime {
  const d = module.diagnostic();
  const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
  const file = path.relative(process.cwd(), module.moduleId).split(path.sep).join('/');
  const folder = file.split('/').slice(0, 2).join('/');
  return { file, folder, seconds: ms / 1000, tests: [...module.children.allTests()].length };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const files = modules.map(fileTime);
    const folders = new Map<string, { files: number; tests: number; seconds: number }>();
    for (const f of files) {
      const sum = folders.get(f.folder) ?? { files: 0, tests: 0, seconds: 0 };
      folders.set(f.folder, { files: sum.files + 1, tests: sum.tests + f.tests, seconds: sum.seconds + f.seconds });
    }
    const total = files.reduce((s, f) => s + f.seconds, 0);
    const width = Math.max(...files.map((f) => f.folder.length), 6);
    const lines = ['', 'Time by folder (each file from start to end; files run in parallel, so the sum exceeds the wall time):'];
    for (const [folder, sum] of [...folders].sort((a, b) => b[1].seconds - a[1].seconds)) {
      const share = total ? Math.round((100 * sum.seconds) / total) : 0;
      lines.push(
        `  ${folder.padEnd(width)} ${String(sum.files).padStart(3)} files ${String(sum.tests).padStart(4)} tests ${sum.seconds.toFixed(1).padStart(7)} s ${String(share).padStart(3)} %`,
      );
    }
    lines.push(
      `  ${'total'.padEnd(width)} ${String(files.length).padStart(3)} files ${String(files.reduce((s, f) => s + f.tests, 0)).padStart(4)} tests ${total.toFixed(1).padStart(7)} s`,
    );
    const slowest = [...files].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST);
    lines.push(`Slowest files: ${slowest.map((f) => `${f.file} ${f.seconds.toFixed(1)} s`).join(', ')}`);

    const retried = modules.flatMap((m) => [...m.children.allTests()]).filter((t) => (t.diagnostic()?.retryCount ?? 0) > 0);
    const flaky = retried.filter((t) => t.diagnostic()?.flaky);
    lines.push(`Retried: ${retried.length} tests, ${flaky.length} flaky (failed, then passed on a retry)`);
    for (const t of retried)
      lines.push(
        `  ${t.diagnostic()?.flaky ? 'flaky' : 'failed'}: ${t.module.moduleId.replace(`${process.cwd()}/`, '')} > ${t.fullName} (${t.diagnostic()?.retryCount} retries)`,
      );
    console.log(lines.join('\n'));
  }
}
