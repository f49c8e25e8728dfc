import { Router } from 'express';
import type { WebDeps } from '../../deps';
import { requireStaff } from '../../http/guards';
import { html } from '../../views/html';
import { renderPage } from '../../views/page';
import { auditSection } from './audit';
import type { StaffSection } from './section';
import { usersSection } from './users';
import { tenantsSection } from './tenants';
import { staffDeletionRouter } from './deletions';
import { provisioningSection } from './provisioning';
import { auditStreamsSection } from './audit-streams';

/**
 * The staff console: pages under /staff, JSON under /api/staff, all behind `requireStaff`
 * (staff session, or a bearer token from `npm run cli -- staff:token`).
 *
 * To add an area, write `web/routes/staff/<area>.ts` exporting a StaffSection and list it
 * here: it gets mounted at /staff/<path> and /api/staff/<path>, and appears on the console home.
 */
const SECTIONS: StaffSection[] = [usersSection, auditSection, tenantsSection, provisioningSection, auditStreamsSection];

export function staffRouter(deps: WebDeps): Router {
  const pages = Router();
  pages.use(requireStaff);
  pages.get('/', (req, res) => {
    renderPage(
      req,
      res,
      { title: 'Staff console' },
      html`<h1>Staff console</h1>
<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px">
${SECTIONS.map((s) => html`<a class="card" href="/staff/${s.path}" style="text-decoration:none;color:inherit"><h2>${s.title}</h2><p class="muted">${s.description}</p></a>`)}
</div>`,
    );
  });

  const api = Router();
  api.use(requireStaff);
  api.get('/', (_req, res) => {
    res.json({
      sections: SECTIONS.map((s) => ({
        path: s.path,
        title: s.title,
        pages: `/staff/${s.path}`,
        api: s.api ? `/api/staff/${s.path}` : null,
      })),
    });
  });

  for (const section of SECTIONS) {
    if (section.pages) pages.use(`/${section.path}`, section.pages(deps));
    if (section.api) api.use(`/${section.path}`, section.api(deps));
  }

  const router = Router();
  router.use(staffDeletionRouter(deps));
  router.use('/staff', pages);
  router.use('/api/staff', api);
  return router;
}
