import { type Hash, createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ProvenantError, SUBJECT_ALGORITHMS } from '@provenant/core';
import type { ArtifactDigests } from '../checks/subject.ts';

/**
 * A download on its way to `target`: written to a temporary file beside it (same directory, so
 * the final rename is atomic; created exclusively, mode 0600, so nobody else can open or replace
 * it meanwhile), hashed as it is written, and renamed over `target` only when committed. Until
 * then `target` is untouched; `discard` removes every trace.
 */
export class StagedFile {
  readonly path: string;
  readonly #target: string;
  #handle: FileHandle | undefined;
  readonly #hashes: [string, Hash][] = SUBJECT_ALGORITHMS.map((alg) => [alg, createHash(alg)]);
  #present = true;

  private constructor(path: string, target: string, handle: FileHandle) {
    this.path = path;
    this.#target = target;
    this.#handle = handle;
  }

  /** Creates the temporary file next to `target`; OUTPUT_UNWRITABLE when the directory cannot take it. */
  static async create(target: string): Promise<StagedFile> {
    // Leading dot: hidden from globs; the name is bounded so a long target name still fits.
    const path = join(dirname(target), `.${basename(target).slice(0, 200)}.${randomBytes(6).toString('hex')}.part`);
    try {
      return new StagedFile(path, target, await open(path, 'wx', 0o600));
    } catch (err) {
      throw unwritable(target, err);
    }
  }

  /** Appends a chunk and feeds it to every hash. */
  async write(chunk: Uint8Array): Promise<void> {
    const handle = this.#open();
    for (const [, hash] of this.#hashes) hash.update(chunk);
    try {
      let done = 0;
      while (done < chunk.byteLength) done += (await handle.write(chunk, done, chunk.byteLength - done)).bytesWritten;
    } catch (err) {
      throw unwritable(this.#target, err);
    }
  }

  /**
   * Flushes and closes the file and returns its digests (sha256, sha384 and sha512, so that any
   * subject the verifier accepts can be compared without reading the file again).
   */
  async finish(): Promise<ArtifactDigests> {
    const handle = this.#open();
    try {
      await handle.sync();
      await handle.close();
      this.#handle = undefined;
    } catch (err) {
      throw unwritable(this.#target, err);
    }
    return Object.fromEntries(this.#hashes.map(([alg, hash]) => [alg, hash.digest('hex')])) as ArtifactDigests;
  }

  /** Gives the finished file its final mode and renames it over the target, atomically. */
  async commit(mode: number): Promise<void> {
    try {
      const handle = await open(this.path, 'r');
      try {
        await handle.chmod(mode);
      } finally {
        await handle.close();
      }
      await rename(this.path, this.#target);
      this.#present = false;
    } catch (err) {
      throw unwritable(this.#target, err);
    }
  }

  /** Closes and removes the temporary file; safe to call at any point, and more than once. */
  async discard(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => {});
    if (this.#present) {
      this.#present = false;
      await rm(this.path, { force: true });
    }
  }

  #open(): FileHandle {
    if (this.#handle === undefined) throw new ProvenantError('INTERNAL', 'the staged file is closed');
    return this.#handle;
  }
}

function unwritable(target: string, err: unknown): ProvenantError {
  return new ProvenantError('OUTPUT_UNWRITABLE', `cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
}
