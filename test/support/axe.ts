import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Runs axe-core (the npm package, injected into the page) against the WCAG 2 A/AA rules and
 * returns each violation as "rule: help → selectors", so a failing test names what to fix.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate<axe.AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] } })`,
  );
  return results.violations.map((v) => `${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
