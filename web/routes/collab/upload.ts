import busboy from 'busboy';
import type { Request } from 'express';
import { FailureType } from '../../../lib/contracts/failures';
import { Refusal } from '../../../lib/contracts/refusal';
import { badRequest } from '../../../lib/errors';
import { deleteBlob, writeBlob } from '../../../lib/collab/file-storage';
import type { ReceivedFile } from '../../../lib/collab/files';

/**
 * Reads a multipart/form-data upload (one part named "file") straight into storage, never
 * buffering more than a small file or one GridFS chunk. Whatever goes wrong (over the size
 * limit, the client vanishing mid-stream, a malformed body) the partial blob is gone before
 * this rejects.
 *
 * The request is piped by hand rather than with pipeline(): pipeline would destroy the request
 * (and its socket) on a refusal, and the browser would see a reset instead of the 413 page.
 * Here the rest of a refused body is read and dropped, so the answer always reaches the client.
 */
export function receiveFile(req: Request, maxBytes: number): Promise<ReceivedFile> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new Refusal(FailureType.UnsupportedMedia, 'Send the file as multipart/form-data, in a field named "file".'));
  }
  return new Promise((resolve, reject) => {
    const form = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 20, fieldSize: 8 * 1024, parts: 25 },
    });
    let stored: Promise<ReceivedFile> | undefined;
    let failed = false;

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(form);
      if (!req.complete && !req.destroyed) req.resume();
      form.destroy(); // also ends the file stream, so writeBlob discards what it stored
      // Reject only once the storage side has settled: the caller may answer (and a test may
      // count blobs) the moment this rejects.
      const cleanup =
        stored?.then(
          (file) => deleteBlob(file.blob.id), // nothing to do for inline bytes
          () => undefined,
        ) ?? Promise.resolve();
      void cleanup.finally(() => reject(err));
    };

    form.on('file', (field, stream, info) => {
      if (field !== 'file' || stored) return void stream.resume();
      // Browsers send a `"` in a file name as %22 (WHATWG multipart encoding); give it back.
      const [filename, contentType] = [(info.filename ?? 'upload').replace(/%22/g, '"'), info.mimeType];
      const storing = writeBlob(stream, { filename, contentType, maxBytes }).then((blob) => ({ filename, contentType, blob }));
      storing.catch(fail);
      stored = storing;
    });
    form.on('filesLimit', () => fail(badRequest('Send one file per upload.')));
    form.on('error', (err) => fail(badRequest(`The upload could not be read: ${(err as Error).message}.`)));
    form.on('close', () => {
      if (failed) return;
      if (!stored) return fail(badRequest('The upload has no file: choose a file and send it in the field "file".'));
      stored.then(resolve, fail);
    });
    // A client that went away surfaces as 'error' (ECONNRESET) and/or an early 'close'.
    const interrupted = () =>
      fail(new Refusal(FailureType.InvalidInput, 'The upload was interrupted before it finished.', { reason: 'upload_interrupted' }));
    req.on('error', interrupted);
    req.on('close', () => !req.complete && interrupted());
    req.pipe(form);
  });
}
