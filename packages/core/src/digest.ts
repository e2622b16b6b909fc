import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { ProvenantError } from './errors.ts';

/** Digest algorithms provenant computes and accepts for artifact subjects. */
export const SUBJECT_ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const;
export type SubjectAlgorithm = (typeof SUBJECT_ALGORITHMS)[number];

/** An in-toto DigestSet: algorithm name -> lowercase hex (or another encoding the algorithm defines). */
export type DigestSet = Record<string, string>;

const HEX_LENGTH: Record<SubjectAlgorithm, number> = { sha256: 64, sha384: 96, sha512: 128 };

export function isSubjectAlgorithm(name: string): name is SubjectAlgorithm {
  return (SUBJECT_ALGORITHMS as readonly string[]).includes(name);
}

/** Hashes bytes already in memory with each algorithm. */
export function digestBytes(data: Uint8Array, algorithms: readonly SubjectAlgorithm[] = ['sha256']): DigestSet {
  const out: DigestSet = {};
  for (const alg of algorithms) out[alg] = createHash(alg).update(data).digest('hex');
  return out;
}

// Two large buffers reused across calls: while one is being hashed the next read fills the other,
// so disk and CPU overlap. 4 MiB amortises the per-read cost of the libuv thread pool.
const CHUNK = 4 * 1024 * 1024;
let pool: [Buffer, Buffer] | undefined;
let poolBusy = false;

/** Called with the number of bytes hashed so far. */
export type HashProgress = (bytesDone: number) => void;

/**
 * Hashes a file with every requested algorithm in a single streaming read.
 * Concurrent calls are safe; only one at a time uses the shared buffers.
 */
export async function digestFile(
  path: string,
  algorithms: readonly SubjectAlgorithm[] = ['sha256'],
  onProgress?: HashProgress,
  sizeHint?: number,
): Promise<{ digest: DigestSet; size: number }> {
  // Small files: one read into a fresh buffer beats the double-buffer machinery.
  if (sizeHint !== undefined && sizeHint < CHUNK) return digestSmallFile(path, algorithms, onProgress);
  const ownPool = poolBusy;
  let buffers: [Buffer, Buffer];
  if (ownPool) {
    buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  } else {
    pool = pool ?? [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    buffers = pool;
    poolBusy = true;
  }
  const hashes = algorithms.map((alg) => createHash(alg));
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    let size = 0;
    let which = 0;
    let pending = handle.read(buffers[0], 0, CHUNK, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const current = buffers[which]!;
      which ^= 1;
      pending = handle.read(buffers[which]!, 0, CHUNK, null);
      const view = bytesRead === CHUNK ? current : current.subarray(0, bytesRead);
      for (const h of hashes) h.update(view);
      size += bytesRead;
      onProgress?.(size);
    }
    const digest: DigestSet = {};
    algorithms.forEach((alg, i) => {
      digest[alg] = hashes[i]!.digest('hex');
    });
    return { digest, size };
  } catch (err) {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  } finally {
    await handle?.close();
    if (!ownPool) poolBusy = false;
  }
}

async function digestSmallFile(path: string, algorithms: readonly SubjectAlgorithm[], onProgress?: HashProgress): Promise<{ digest: DigestSet; size: number }> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  onProgress?.(data.length);
  return { digest: digestBytes(data, algorithms), size: data.length };
}

/**
 * Parses `alg:hex` (e.g. `sha256:ab12...`). The hex must have the algorithm's exact length.
 * Returns undefined when the text is not of that form, so callers can fall back to a path.
 */
export function parseDigestRef(text: string): { algorithm: SubjectAlgorithm; hex: string } | undefined {
  const m = /^(sha256|sha384|sha512):([0-9a-fA-F]+)$/.exec(text);
  if (!m) return undefined;
  const algorithm = m[1] as SubjectAlgorithm;
  const hex = m[2]!.toLowerCase();
  if (hex.length !== HEX_LENGTH[algorithm]) return undefined;
  return { algorithm, hex };
}

/** Like parseDigestRef, but throws DIGEST_INVALID. */
export function requireDigestRef(text: string): { algorithm: SubjectAlgorithm; hex: string } {
  const ref = parseDigestRef(text);
  if (!ref) throw new ProvenantError('DIGEST_INVALID', `not a digest of the form sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>: ${truncate(text)}`);
  return ref;
}

/** True when `hex` is lowercase hex of the right length for `algorithm`. */
export function isValidHexDigest(algorithm: SubjectAlgorithm, hex: string): boolean {
  return hex.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(hex);
}

const SRI_ALGORITHMS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/**
 * Converts a Subresource Integrity string (`sha512-<base64> sha1-<base64>`, as npm, yarn and pnpm
 * record) to a DigestSet with hex values. Unknown algorithms are ignored; malformed entries too.
 */
export function integrityToDigestSet(integrity: string): DigestSet {
  const out: DigestSet = {};
  for (const token of integrity.trim().split(/\s+/)) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)(\?.*)?$/.exec(token);
    if (!m) continue;
    const alg = SRI_ALGORITHMS[m[1]!]!;
    const bytes = Buffer.from(m[2]!, 'base64');
    if (bytes.length === 0) continue;
    out[alg] ??= bytes.toString('hex');
  }
  return out;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
