import fs from 'node:fs';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../lib/config';
import { SEARCH_ATTRIBUTES } from '../../lib/contracts/shared';

// docker-compose cannot run on the dev machines (no Docker engine); this keeps the file
// valid YAML, in the shape compose expects, and consistent with the config module.
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true });

test('compose has the production-shaped services', () => {
  expect(Object.keys(compose.services)).toEqual(
    expect.arrayContaining(['mongo', 'temporal-db', 'temporal', 'temporal-ui', 'mailpit', 'web', 'worker']),
  );
  expect(compose.services.mongo.image).toMatch(/^mongo:7/);
  expect(compose.services.web.build).toBe('.');
  expect(compose.services.worker.build).toBe('.');
});

test('web and worker environments pass the config validation', () => {
  for (const name of ['web', 'worker']) {
    const env = Object.fromEntries(
      Object.entries(compose.services[name].environment as Record<string, string>).map(([k, v]) => [
        k,
        // Resolve ${VAR:?msg} / ${VAR:-default} the way compose would, with sample values.
        String(v).replace(/\$\{(\w+):([?-])([^}]*)\}/g, (_m, key: string, op: string, rest: string) =>
          op === '-'
            ? rest
            : key === 'ENTRA_CLIENT_ID'
              ? '11111111-2222-4333-8444-555555555555'
              : key === 'SECRETS_ENCRYPTION_KEY'
                ? Buffer.alloc(32, 7).toString('base64')
                : 'x'.repeat(40),
        ),
      ]),
    );
    const config = parseConfig(env);
    expect(config.NODE_ENV).toBe('production');
    expect(config.MONGO_URL).toBe('mongodb://mongo:27017/entrada');
  }
});

test('every variable compose sets is one the config module knows', () => {
  const known = Object.keys(parseConfig({}));
  const used = Object.keys(compose.services.web.environment);
  expect(used.filter((k) => !known.includes(k))).toEqual([]);
});

test('the search attributes the app uses are registered by the setup job', () => {
  const command = compose.services['temporal-setup'].command.join(' ');
  for (const sa of Object.keys(SEARCH_ATTRIBUTES)) expect(command).toContain(sa);
});

test('every long-running service restarts after a crash; the one-shot setup job does not', () => {
  for (const [name, service] of Object.entries(compose.services as Record<string, { restart?: string }>)) {
    expect([name, service.restart]).toEqual([name, name === 'temporal-setup' ? 'no' : 'unless-stopped']);
  }
});
