import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ProvenantError } from './errors.ts';

/**
 * Writes a file so that readers see either the old content or the whole new content: the data goes
 * to a temporary file in the same directory, is flushed, and is renamed over the target. A failure
 * removes the temporary file, so a failed run never leaves a partial or empty output.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o644);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (err) {
    throw new ProvenantError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  } finally {
    if (created) await rm(tmp, { force: true });
  }
}
