/**
 * The independent IdP (tools/pysaml2-idp: pysaml2 with xmlsec1) as a child process: started with
 * our SP's metadata and the one person it signs in, stopped by the test file's afterAll. Its
 * answer to an AuthnRequest is the auto-post page a browser would submit to our ACS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT, toolPaths } from '../../scripts/lib/tools';

const START_TIMEOUT_MS = 20_000;

export interface Pysaml2Person {
  email: string;
  givenName: string;
  surname: string;
  persistentId: string;
}

export interface Pysaml2Idp {
  url: string;
  entityId: string;
  metadataUrl: string;
  /** What a browser does with the IdP's page: GET the SSO URL, read the auto-post form. */
  answer(location: string): Promise<{ action: string; samlResponse: string; relayState?: string }>;
  stop(): void;
}

export async function startPysaml2Idp(spMetadataXml: string, person: Pysaml2Person): Promise<Pysaml2Idp> {
  const { python } = toolPaths();
  if (!python) throw new Error('Run `npm run provision` again: .tools/paths.env predates pysaml2.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pysaml2-sp-'));
  const spMetadata = path.join(dir, 'sp.xml');
  fs.writeFileSync(spMetadata, spMetadataXml);
  const child = spawn(
    python,
    [
      path.join(ROOT, 'tools/pysaml2-idp/idp.py'),
      ...['--sp-metadata', spMetadata, '--email', person.email, '--given-name', person.givenName],
      ...['--surname', person.surname, '--persistent-id', person.persistentId],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await listening(child);
  return {
    url,
    entityId: `${url}/idp`,
    metadataUrl: `${url}/metadata`,
    async answer(location) {
      const page = await fetch(location, { signal: AbortSignal.timeout(10_000) });
      const html = await page.text();
      expect(page.status, html).toBe(200);
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      expect(action, html).toBeTruthy();
      return { action: action!, samlResponse: field('SAMLResponse')!, relayState: field('RelayState') };
    },
    stop() {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Its "listening <url>" line, or its stderr when it exits or stays silent. */
function listening(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`the pysaml2 IdP ${why}: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.on('exit', (code) => fail(`exited with ${code}`));
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^listening (\S+)$/m.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(url);
      }
    });
  });
}
