import { hashToken } from '../../lib/secret-tokens';
import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from '../../lib/errors';
import { StaffTokenModel, UserModel } from '../../lib/models';
import { toSessionUser } from '../../lib/accounts/session-user';

/** Pages redirect to sign-in; the JSON API answers 401. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.originalUrl.startsWith('/api/')) return next(unauthorized());
  res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
};

/**
 * Staff only: a staff session, or `Authorization: Bearer <token>` issued by
 * `npm run cli -- staff:token <email>` (for scripts and the staff JSON API).
 */
export const requireStaff: RequestHandler = async (req, res, next) => {
  const header = req.get('authorization');
  if (header?.startsWith('Bearer ')) {
    const token = await StaffTokenModel.findOneAndUpdate(
      { tokenHash: hashToken(header.slice(7).trim()), revokedAt: null },
      { $set: { lastUsedAt: new Date() } },
    ).lean();
    const user = token && (await UserModel.findOne({ _id: token.userId, isStaff: true, status: 'active' }).lean());
    if (!user) return next(unauthorized('Invalid or revoked staff token.'));
    req.user = toSessionUser(user);
    return next();
  }
  if (!req.user) return requireUser(req, res, next);
  if (!req.user.isStaff) return next(forbidden('Staff only.'));
  next();
};
