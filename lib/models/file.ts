import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/**
 * Files of at most this many bytes keep their bytes in their own metadata document (`data`);
 * larger ones live in the GridFS bucket `blobs` under `blobId`. Inline, a file is one document
 * instead of three (metadata, GridFS file, chunk), so a purge deletes a batch of them with one
 * equality `deleteMany`. Kept small because a listing reads whole documents on FerretDB (it
 * applies projections after reading): at most 4 KiB more per listed file.
 */
export const INLINE_MAX_BYTES = 4 * 1024;
/**
 * Each inline file gets a random slot in [0, PURGE_SLOTS): a purge of many inline files deletes
 * one slot at a time, an equality FerretDB pushes down, so each command holds about 1/64th of
 * them (bounded memory and progress steps) without reading the rest.
 */
export const PURGE_SLOTS = 64;

const fileSchema = new Schema(
  {
    ownerId: { type: Types.ObjectId, ref: 'User', required: true },
    hubId: { type: Types.ObjectId, ref: 'Hub' },
    name: { type: String, required: true, trim: true, maxlength: 255 },
    size: { type: Number, required: true, min: 0 },
    contentType: { type: String, required: true, default: 'application/octet-stream' },
    /** A GridFS blob (larger files, and every file stored before inline storage existed). */
    blobId: {
      type: Types.ObjectId,
      required(this: { data?: unknown }) {
        return this.data == null;
      },
    },
    /** The bytes of an inline file; only read where they are sent. */
    data: { type: Schema.Types.Buffer, select: false },
    purgeSlot: { type: Number, min: 0, max: PURGE_SLOTS - 1 },
    sharedWith: { type: [{ type: Types.ObjectId, ref: 'User' }], default: [], index: true },
  },
  { timestamps: true },
);
// Lists and purges by owner or hub (the prefix), purge batches by slot; on FerretDB each key
// gets its GIN twin.
fileSchema.index({ ownerId: 1, purgeSlot: 1 });
fileSchema.index({ hubId: 1, purgeSlot: 1 });

export type FileMeta = InferSchemaType<typeof fileSchema>;
export const FileModel = model('File', fileSchema);
export const BLOB_BUCKET = 'blobs';
