import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

const inviteSchema = new Schema(
  {
    /** SHA-256 of the token; the token itself is only ever in the email. */
    tokenHash: { type: String, required: true, unique: true },
    email: { type: String, required: true, lowercase: true, trim: true, index: true },
    inviterId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    kind: { type: String, enum: ['corporate', 'standard'], required: true },
    /** Tenant whose nominated domain made this a corporate invite. */
    tenantId: String,
    hubId: { type: Types.ObjectId, ref: 'Hub' },
    hubRole: { type: String, enum: ['admin', 'member'] },
    fileId: { type: Types.ObjectId, ref: 'File' },
    asContact: { type: Boolean, default: false },
    status: { type: String, enum: ['pending', 'accepted', 'revoked'], required: true, default: 'pending' },
    expiresAt: { type: Date, required: true },
    acceptedBy: { type: Types.ObjectId, ref: 'User' },
    acceptedAt: Date,
    /**
     * Makes "one pending invite per inviter, email and target" a unique index, so a double
     * submit cannot create two: `<inviterId>|<email>|<target>` while pending, the invite's
     * own ID once accepted or revoked (which frees the key for a later invite).
     */
    dedupeKey: {
      type: String,
      unique: true,
      default: function (this: { _id: unknown }) {
        return String(this._id);
      },
    },
  },
  { timestamps: true },
);

export type Invite = InferSchemaType<typeof inviteSchema>;
export const InviteModel = model('Invite', inviteSchema);
