import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/** File metadata; the bytes live in the GridFS bucket `blobs` under `blobId`. */
const fileSchema = new Schema(
  {
    ownerId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    hubId: { type: Types.ObjectId, ref: 'Hub', index: true },
    name: { type: String, required: true, trim: true, maxlength: 255 },
    size: { type: Number, required: true, min: 0 },
    contentType: { type: String, required: true, default: 'application/octet-stream' },
    blobId: { type: Types.ObjectId, required: true },
    sharedWith: { type: [{ type: Types.ObjectId, ref: 'User' }], default: [], index: true },
  },
  { timestamps: true },
);

export type FileMeta = InferSchemaType<typeof fileSchema>;
export const FileModel = model('File', fileSchema);
export const BLOB_BUCKET = 'blobs';
