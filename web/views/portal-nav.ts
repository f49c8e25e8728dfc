/** The tenancy admin portal's own navigation, shown at the top of every portal page. */
import { html, type SafeHtml } from './html';

export const PORTAL_SECTIONS = [
  { key: 'progress', label: 'Progress', path: '' },
  { key: 'connect', label: 'Connect', path: '/connect' },
  { key: 'test', label: 'Test', path: '/test' },
  { key: 'domains', label: 'Domains', path: '/domains' },
  { key: 'access', label: 'Access', path: '/access' },
  { key: 'users', label: 'Users', path: '/users' },
  { key: 'logging', label: 'Logging', path: '/logging' },
] as const;
export type PortalSection = (typeof PORTAL_SECTIONS)[number]['key'];

export function portalNav(tenantId: string, current: PortalSection): SafeHtml {
  return html`<nav aria-label="Admin portal" class="portal-nav" style="display:flex;flex-wrap:wrap;gap:6px;margin-bottom:16px">${PORTAL_SECTIONS.map(
    (s) =>
      s.key === current
        ? html`<a class="pill" aria-current="page" href="/portal/${tenantId}${s.path}" style="background:#2f5bea;color:#fff;font-size:14px;padding:4px 12px">${s.label}</a>`
        : html`<a class="pill" href="/portal/${tenantId}${s.path}" style="color:#1d2330;font-size:14px;padding:4px 12px">${s.label}</a>`,
  )}</nav>`;
}

/** A portal page's content under its navigation. */
export const withPortalNav = (tenantId: string, current: PortalSection, content: SafeHtml): SafeHtml =>
  html`${portalNav(tenantId, current)}${content}`;
