/**
 * Image upload: the file is stored in the media folder under a fresh name, whole or not at all,
 * and optimizeImage is started on it in the background; the answer does not wait for it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { writeAtomically } from '../../activities/atomic-write';
import type { AppDependencies } from '../app';
import { HttpError } from '../errors';

/** The formats optimizeImage handles, and the extension each is stored under. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/avif': '.avif',
};

export function imageRoutes(app: FastifyInstance, { client, config }: AppDependencies): void {
  app.post('/images', async (request, reply) => {
    if (!request.isMultipart()) throw new HttpError(415, 'send the image as multipart/form-data in a field named "image"');
    const part = await request.file();
    if (!part) throw new HttpError(400, 'the form has no file field named "image"');
    const extension = EXTENSIONS[part.mimetype];
    if (part.fieldname !== 'image' || !extension) {
      part.file.resume(); // drain the refused file, so the answer can go out
      if (part.fieldname !== 'image') throw new HttpError(400, `the image must be sent in a field named "image", not "${part.fieldname}"`);
      throw new HttpError(415, `image must be one of ${Object.keys(EXTENSIONS).join(', ')}; got ${part.mimetype}`);
    }
    const { mediaDir } = config.paths;
    await mkdir(mediaDir, { recursive: true });
    // Random names: no clash between uploads, and nobody can guess another user's file.
    const name = `${randomUUID()}${extension}`;
    await writeAtomically(path.join(mediaDir, name), randomUUID(), async (file) => {
      for await (const chunk of part.file) await file.write(chunk);
      // Past the limit the parser stops passing bytes on and marks the part truncated: refuse it,
      // and writeAtomically removes what was written.
      if (part.file.truncated) throw new HttpError(413, `the file is larger than the upload limit of ${config.app.uploadLimitBytes} bytes`);
    });
    // Relative to the media folder, where optimizeImage resolves it: no server paths in histories.
    const optimize = await client.tasks.optimizeImage.delay(name);
    return reply.code(202).send({ file: name, taskId: optimize.id });
  });
}
