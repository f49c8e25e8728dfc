import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium (installed by `scripts/provision.sh --browser`), headless, driven by
 * playwright-core: never a downloaded browser. The background-networking flags keep it from
 * dialling out on a machine whose only network is loopback.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
