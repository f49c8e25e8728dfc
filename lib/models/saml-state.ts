import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A verified IdP-initiated sign-in, held between the ACS (a cross-site POST, which carries no
 * session cookie) and the same-site page that finishes it, where the browser's current session
 * is visible (lib/saml/idp-initiated.ts). `handle` is a random secret; the assertion's claim
 * (`once`) makes it finish once.
 */
const heldSignInSchema = new Schema({
  handle: { type: String, required: true, unique: true },
  tenantId: { type: String, required: true },
  claims: { type: Schema.Types.Mixed, required: true },
  relayState: { type: String, required: true },
  /** The assertion's single-use claim, won when the sign-in is finished (lib/saml/checks/replay.ts). */
  once: {
    type: new Schema({ key: { type: String, required: true }, expiresAt: { type: Date, required: true } }, { _id: false }),
    required: true,
  },
  /** Rows go after it (lib/expiry.ts). */
  expiresAt: { type: Date, required: true },
});

export type HeldSignIn = InferSchemaType<typeof heldSignInSchema>;
export const HeldSignInModel = model('HeldSignIn', heldSignInSchema);
