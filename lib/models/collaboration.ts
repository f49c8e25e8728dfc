import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/** The smaller collaboration objects a user owns: contacts, hub messages, meetings. */

const contactSchema = new Schema(
  {
    ownerId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    /** Set when the contact is a user of this service. */
    contactUserId: { type: Types.ObjectId, ref: 'User', index: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, trim: true, maxlength: 200 },
  },
  { timestamps: true },
);
contactSchema.index({ ownerId: 1, email: 1 }, { unique: true });

const messageSchema = new Schema(
  {
    hubId: { type: Types.ObjectId, ref: 'Hub', required: true, index: true },
    authorId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    body: { type: String, required: true, maxlength: 10_000 },
  },
  { timestamps: true },
);

const meetingSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 200 },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, min: 1, max: 24 * 60, default: 30 },
    organizerId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    hubId: { type: Types.ObjectId, ref: 'Hub' },
    participantIds: { type: [{ type: Types.ObjectId, ref: 'User' }], default: [], index: true },
  },
  { timestamps: true },
);

export type Contact = InferSchemaType<typeof contactSchema>;
export type Message = InferSchemaType<typeof messageSchema>;
export type Meeting = InferSchemaType<typeof meetingSchema>;
export const ContactModel = model('Contact', contactSchema);
export const MessageModel = model('Message', messageSchema);
export const MeetingModel = model('Meeting', meetingSchema);
