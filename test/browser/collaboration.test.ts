import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, submitSignIn } from '../support/browser';
import { Inbox } from '../../scripts/lib/inbox';
import { randomFile, sha256 } from '../collab/support';
import { createUser, PASSWORD } from '../support/people';
import { useStack } from '../support/stack';

/**
 * In Chromium: Ada registers (confirming by the emailed link), uploads a binary file on the
 * files page and shares it with Bob by email; Bob signs in, finds it under "Shared with me"
 * and downloads exactly the bytes Ada uploaded.
 */

const stack = useStack();
let browser: Browser;

beforeAll(async () => {
  await createUser({ email: 'bob@example.test', displayName: 'Bob Builder' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.env.baseUrl, acceptDownloads: true, viewport: { width: 1100, height: 800 } });
  return context.newPage();
}

test('a registered user uploads a file and shares it; the second user downloads the same bytes', { timeout: 120_000 }, async () => {
  // Ada registers and confirms through the link in her email.
  const ada = await newPage();
  await ada.goto('/register');
  await ada.fill('#displayName', 'Ada Lovelace');
  await ada.fill('#email', 'ada@example.test');
  await ada.fill('#password', PASSWORD);
  await ada.click('form[action="/register"] button');
  await ada.waitForSelector('text=Check your inbox');
  const mail = await stack.env.inbox.waitFor((m) => m.to.includes('ada@example.test') && m.subject.includes('Confirm'));
  await ada.goto(Inbox.link(mail, '/register/confirm'));
  await ada.fill('#password', PASSWORD);
  await ada.click('form[action="/register/confirm"] button');
  await ada.waitForSelector('text=Sign out');

  // She uploads a binary file on the files page.
  const bytes = randomFile(300_000);
  await ada.goto('/files');
  await ada.setInputFiles('#upload-file', { name: 'measurements.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await ada.click('form[enctype="multipart/form-data"] button');
  await ada.waitForSelector('text=File uploaded.');
  const row = ada.locator('tr', { has: ada.locator('a', { hasText: 'measurements.bin' }) });
  await expect(row.textContent()).resolves.toContain('293 KB');

  // ...and shares it with Bob from the row's Manage panel; the file page then lists him.
  await row.locator('summary').click();
  await row.locator('input[name="email"]').fill('bob@example.test');
  await row.locator('button', { hasText: 'Share' }).click();
  await ada.waitForSelector('text=File shared.');
  await expect(ada.locator('main').textContent()).resolves.toContain('bob@example.test');
  await ada.goto('/files');
  await expect(ada.locator('tr', { hasText: 'measurements.bin' }).textContent()).resolves.toContain('1 person');
  await ada.screenshot({ path: '/tmp/collab-files-ada.png', fullPage: true });

  // Bob signs in, finds it shared with him, and downloads it.
  const bob = await newPage();
  await bob.goto('/signin');
  await submitSignIn(bob, 'bob@example.test');
  await bob.waitForSelector('text=Sign out');
  await bob.goto('/files');
  const shared = bob.locator('.card', { hasText: 'Shared with me' });
  await expect(shared.textContent()).resolves.toContain('measurements.bin');
  await expect(shared.textContent()).resolves.toContain('Ada Lovelace');
  await bob.screenshot({ path: '/tmp/collab-files-bob.png', fullPage: true });

  const [download] = await Promise.all([bob.waitForEvent('download'), shared.locator('a', { hasText: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe('measurements.bin');
  const received = await readFile((await download.path())!);
  expect(received.length).toBe(bytes.length);
  expect(sha256(received)).toBe(sha256(bytes));
});
