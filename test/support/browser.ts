import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORD } from './people';

/**
 * Debian's chromium (installed by `scripts/provision.sh --browser`), headless, driven by
 * playwright-core: never a downloaded browser. The background-networking flags keep it from
 * dialling out on a machine whose only network is loopback.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Fills in the password sign-in form the page shows and submits it, as a person would. */
export async function submitSignIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/signin"] button');
}
