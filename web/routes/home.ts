import { Router } from 'express';
import { html } from '../views/html';
import { renderPage } from '../views/page';

const AREAS = [
  { href: '/files', title: 'Files', text: 'Upload, download and share files.' },
  { href: '/hubs', title: 'Hubs', text: 'Shared spaces for a team: members, files and messages.' },
  { href: '/contacts', title: 'Contacts', text: 'The people you work with.' },
  { href: '/meetings', title: 'Meetings', text: 'What is coming up, and with whom.' },
];

/** `/`: a welcome for visitors, the way into each area for people signed in. */
export function homeRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const user = req.user;
    if (!user) {
      return renderPage(
        req,
        res,
        { title: 'Welcome' },
        html`<div class="card" style="max-width:560px;margin:auto">
<h1>Welcome to Entrada</h1>
<p>Files, hubs, contacts, messages and meetings for your organisation, with sign-in through your organisation's Microsoft Entra ID or an Entrada password.</p>
<p><a class="button" href="/signin">Sign in</a> <a class="button" href="/register" style="background:#e8ebf1;color:#1d2330">Create account</a></p>
</div>`,
      );
    }
    // Set by the email-confirmation redirect; a fixed text, so a URL cannot write to the page.
    const notice =
      req.query.notice === 'confirmed' ? { kind: 'success' as const, text: 'Email confirmed. Welcome to Entrada!' } : undefined;
    renderPage(
      req,
      res,
      { title: 'Home', notice },
      html`<h1>Hello, ${user.displayName || user.email}</h1>
<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:16px">
${AREAS.map((a) => html`<a class="card" href="${a.href}" style="text-decoration:none;color:inherit"><h2>${a.title}</h2><p class="muted">${a.text}</p></a>`)}
${user.isStaff ? html`<a class="card" href="/staff" style="text-decoration:none;color:inherit"><h2>Staff console</h2><p class="muted">Users, audit trail and onboarding.</p></a>` : ''}
</div>
${user.kind === 'standard' ? html`<p class="muted">Leaving? <a href="/account/delete">Delete your account</a> and everything you own.</p>` : ''}`,
    );
  });
  return router;
}
