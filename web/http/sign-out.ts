import type { Request } from 'express';
import { audit } from '../../lib/audit';
import { requestContext } from './request-context';

/** Ends the session (server side too: the MongoDB session document is destroyed). */
export async function signOut(req: Request): Promise<void> {
  const user = req.user;
  if (user) {
    await audit({
      action: 'auth.signout',
      outcome: 'success',
      actor: { kind: 'user', userId: user.id, email: user.email },
      target: { type: 'user', id: user.id },
      tenantId: user.tenantId ?? undefined,
      ...requestContext(req),
    });
  }
  await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
