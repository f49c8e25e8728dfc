import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { openFileContent } from '../../../lib/collab/files';

/**
 * Streams a stored file to the client, always as an attachment: with helmet's
 * `X-Content-Type-Options: nosniff` a stored HTML or SVG file is saved, never rendered on our
 * origin. The stored content type is kept so the browser picks the right application.
 */
export async function sendFileContent(res: Response, content: Awaited<ReturnType<typeof openFileContent>>): Promise<void> {
  res.set({
    'Content-Type': content.contentType,
    'Content-Length': String(content.size),
    'Content-Disposition': attachment(content.name),
    'Cache-Control': 'private, no-store',
  });
  await pipeline(content.stream, res);
}

/** RFC 6266: an ASCII fallback `filename` plus the exact name as UTF-8 in `filename*` (RFC 8187). */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
