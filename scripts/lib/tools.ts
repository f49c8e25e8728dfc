import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Binary paths written by scripts/provision.sh (.tools/paths.env). */
export function toolPaths(): { temporalCli: string; temporalTestServer: string; ferretdb: string; postgresBin: string; python: string } {
  const file = path.join(ROOT, '.tools/paths.env');
  if (!fs.existsSync(file)) throw new Error('Run `npm run provision` first: .tools/paths.env is missing.');
  const vars = Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return {
    temporalCli: vars.TEMPORAL_CLI,
    temporalTestServer: vars.TEMPORAL_TEST_SERVER,
    ferretdb: vars.FERRETDB,
    postgresBin: vars.POSTGRES_BIN,
    python: vars.PYTHON,
  };
}
