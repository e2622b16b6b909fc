import { glob, lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type DigestSet, DigestWorker, ProvenantError, type SubjectAlgorithm, digestFile, isSubjectAlgorithm, requireDigestRef } from '@provenant/core';

/** A statement subject: a normalised name and its digests. */
export interface Subject {
  name: string;
  digest: DigestSet;
}

/** What to attest: files on disk, digests of artifacts elsewhere, and checksum files. */
export interface SubjectSpec {
  /** Paths, directories (every regular file below) or glob patterns, relative to `cwd`. */
  paths?: readonly string[];
  /** `name@sha256:<hex>` (or sha384/sha512) for artifacts that are not on disk. */
  digests?: readonly string[];
  /** Files in `sha256sum` format (`<hex>  <name>` or `<hex> *<name>`). */
  checksumFiles?: readonly string[];
  /**
   * Container images already pinned to digests (resolveImageSubjects): `registry/repository` and
   * `sha256:<hex>`. An index and its platform manifests share a name, so these are kept per
   * (name, digest) rather than merged by name.
   */
  images?: readonly { name: string; digest: string }[];
  /** Algorithms for files on disk; default sha256. npm tarballs (`.tgz`) always get sha512 as well, as npm records. */
  algorithms?: readonly SubjectAlgorithm[];
  /** Called while hashing with bytes done and bytes in total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called once every file is being hashed (or there is nothing to hash): other work started
   * from here overlaps the hashing instead of delaying its start.
   */
  onHashingStarted?: () => void;
}

const GLOB_CHARS = /[*?[\]{}]/;
/** Hashing more files than this at once would only thrash the disk. */
const HASH_CONCURRENCY = 4;
/**
 * Files at least this large are hashed in a worker thread, leaving the main thread free to load
 * the signing code and run the collectors meanwhile; smaller ones are not worth a worker's start-up.
 */
const OFF_THREAD_BYTES = 32 * 1024 * 1024;

/**
 * Resolves a SubjectSpec into sorted, de-duplicated subjects. Names are posix paths relative to
 * `cwd`; nothing may resolve outside `cwd` (a `..` path or a symlink leading out is refused).
 */
export async function resolveSubjects(cwd: string, spec: SubjectSpec): Promise<Subject[]> {
  const root = await realpath(cwd).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot open --cwd ${cwd}: ${err.code ?? 'error'}`);
  });
  const bySubjectName = new Map<string, Subject>();
  const add = (subject: Subject, origin: string) => {
    const existing = bySubjectName.get(subject.name);
    if (!existing) {
      bySubjectName.set(subject.name, subject);
      return;
    }
    for (const [alg, hex] of Object.entries(subject.digest)) {
      if (existing.digest[alg] !== undefined && existing.digest[alg] !== hex) {
        throw new ProvenantError('SUBJECT_INVALID', `subject ${subject.name} is given twice with different ${alg} digests (${origin})`);
      }
      existing.digest[alg] = hex;
    }
  };

  const files = new Map<string, string>(); // subject name -> absolute path
  for (const pattern of spec.paths ?? []) {
    for (const file of await expandPath(root, pattern)) files.set(file.name, file.path);
  }
  for (const s of await hashAll(files, spec.algorithms ?? ['sha256'], spec.onProgress, spec.onHashingStarted)) add(s, 'on disk');
  for (const text of spec.digests ?? []) add(parseSubjectDigest(text), '--subject-digest');
  for (const path of spec.checksumFiles ?? []) {
    const text = await readFile(resolve(cwd, path), 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new ProvenantError('FILE_UNREADABLE', `cannot read checksum file ${path}: ${err.code ?? 'error'}`);
    });
    for (const s of parseChecksums(text, path)) add(s, path);
  }
  const images = new Map<string, Subject>();
  for (const image of spec.images ?? []) {
    const { algorithm, hex } = requireDigestRef(image.digest);
    if (bySubjectName.has(image.name)) throw new ProvenantError('SUBJECT_INVALID', `subject ${image.name} is both an image and a file or digest subject`);
    images.set(`${image.name}@${image.digest}`, { name: image.name, digest: { [algorithm]: hex } });
  }
  if (bySubjectName.size === 0 && images.size === 0) throw new ProvenantError('SUBJECT_INVALID', 'no subjects: give --subject, --subject-digest, --subject-checksums or --subject-image');
  return [...bySubjectName.values(), ...images.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `name@sha256:<hex>` -> subject. The name is split at the last `@`, so scoped names keep theirs. */
export function parseSubjectDigest(text: string): Subject {
  const at = text.lastIndexOf('@');
  if (at <= 0) throw new ProvenantError('SUBJECT_INVALID', `--subject-digest must be NAME@sha256:<hex>, got ${clip(text)}`);
  const name = normaliseName(text.slice(0, at), text);
  const { algorithm, hex } = requireDigestRef(text.slice(at + 1));
  return { name, digest: { [algorithm]: hex } };
}

const CHECKSUM_LINE = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}) [ *](.+)$/;
const ALG_BY_LENGTH: Record<number, SubjectAlgorithm> = { 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** Parses sha256sum/sha384sum/sha512sum output; blank lines are skipped, anything else malformed is an error. */
export function parseChecksums(text: string, source = 'checksums'): Subject[] {
  const out: Subject[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = CHECKSUM_LINE.exec(line);
    if (!m) throw new ProvenantError('SUBJECT_INVALID', `${source}:${i + 1}: not a '<hex>  <name>' checksum line`);
    const hex = m[1]!.toLowerCase();
    out.push({ name: normaliseName(m[2]!, `${source}:${i + 1}`), digest: { [ALG_BY_LENGTH[hex.length]!]: hex } });
  });
  return out;
}

/** Normalises a subject name to a relative posix path with no `.`/`..` segments. */
function normaliseName(name: string, origin: string): string {
  const parts = name.replaceAll('\\', '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new ProvenantError('SUBJECT_INVALID', `subject name ${clip(name)} is empty or contains '..' (${origin})`);
  }
  return parts.join('/');
}

interface FoundFile {
  name: string;
  path: string;
}

async function expandPath(root: string, pattern: string): Promise<FoundFile[]> {
  if (GLOB_CHARS.test(pattern)) {
    if (isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
      throw new ProvenantError('SUBJECT_OUTSIDE_ROOT', `glob ${clip(pattern)} must be relative to --cwd and must not contain '..'`);
    }
    const out: FoundFile[] = [];
    for await (const entry of glob(pattern, { cwd: root })) {
      const abs = join(root, entry);
      const st = await lstat(abs);
      if (st.isDirectory()) continue;
      const file = await checkedFile(root, abs, pattern);
      if (file) out.push(file);
    }
    if (out.length === 0) throw new ProvenantError('SUBJECT_INVALID', `--subject ${clip(pattern)} matched no files`);
    return out;
  }
  const abs = resolve(root, pattern);
  if (!isInside(root, abs)) throw new ProvenantError('SUBJECT_OUTSIDE_ROOT', `--subject ${clip(pattern)} is outside --cwd ${root}`);
  const st = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `--subject ${clip(pattern)}: ${err.code === 'ENOENT' ? 'no such file or directory' : (err.code ?? 'error')}`);
  });
  if (st.isDirectory()) {
    const out: FoundFile[] = [];
    await walk(root, abs, out, new Set([await realpath(abs)]));
    if (out.length === 0) throw new ProvenantError('SUBJECT_INVALID', `--subject ${clip(pattern)} is a directory with no regular files`);
    return out;
  }
  const file = await checkedFile(root, abs, pattern);
  if (!file) throw new ProvenantError('SUBJECT_INVALID', `--subject ${clip(pattern)} is not a regular file`);
  return [file];
}

/** Every regular file below `dir`; symlinks are followed only while they stay inside the root. */
async function walk(root: string, dir: string, out: FoundFile[], seen: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(root, abs, out, seen);
    } else if (entry.isSymbolicLink()) {
      const target = await realpath(abs).catch(() => undefined);
      if (target === undefined) throw new ProvenantError('SUBJECT_INVALID', `${rel(root, abs)} is a dangling symlink`);
      if (!isInside(root, target)) throw new ProvenantError('SUBJECT_OUTSIDE_ROOT', `${rel(root, abs)} is a symlink leading outside --cwd (to ${target})`);
      const st = await stat(target);
      if (st.isDirectory()) {
        if (seen.has(target)) continue;
        seen.add(target);
        await walk(root, abs, out, seen);
      } else if (st.isFile()) {
        out.push({ name: rel(root, abs), path: target });
      }
    } else if (entry.isFile()) {
      out.push({ name: rel(root, abs), path: abs });
    }
  }
}

async function checkedFile(root: string, abs: string, origin: string): Promise<FoundFile | undefined> {
  const target = await realpath(abs).catch(() => {
    throw new ProvenantError('SUBJECT_INVALID', `${clip(origin)}: ${rel(root, abs)} is a dangling symlink`);
  });
  if (!isInside(root, target)) throw new ProvenantError('SUBJECT_OUTSIDE_ROOT', `${rel(root, abs)} leads outside --cwd (to ${target})`);
  const st = await stat(target);
  return st.isFile() ? { name: rel(root, abs), path: target } : undefined;
}

async function hashAll(
  files: Map<string, string>,
  algorithms: readonly SubjectAlgorithm[],
  onProgress?: (done: number, total: number) => void,
  onHashingStarted?: () => void,
): Promise<Subject[]> {
  for (const alg of algorithms) if (!isSubjectAlgorithm(alg)) throw new ProvenantError('USAGE', `unsupported digest algorithm ${alg}`);
  const entries = [...files.entries()];
  const sizes = await Promise.all(entries.map(async ([, p]) => (await stat(p)).size));
  // Start the worker thread at once: it boots while the small files are hashed here.
  let offThread = sizes.some((size) => size >= OFF_THREAD_BYTES) ? new DigestWorker() : undefined;
  const total = sizes.reduce((a, b) => a + b, 0);
  const doneByFile = new Array<number>(entries.length).fill(0);
  let done = 0;
  const results: Subject[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      const [name, path] = entries[i]!;
      const algs = name.endsWith('.tgz') && !algorithms.includes('sha512') ? [...algorithms, 'sha512' as const] : algorithms;
      const progress = onProgress && ((bytes: number) => {
        done += bytes - doneByFile[i]!;
        doneByFile[i] = bytes;
        onProgress(done, total);
      });
      const size = sizes[i]!;
      if (size >= OFF_THREAD_BYTES) {
        offThread ??= new DigestWorker();
        results[i] = { name, digest: (await offThread.digest(path, algs, progress)).digest };
      } else {
        results[i] = { name, digest: (await digestFile(path, algs, progress, size)).digest };
      }
    }
  };
  try {
    const running = Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, entries.length) }, worker));
    onHashingStarted?.();
    await running;
  } finally {
    await offThread?.close();
  }
  return results;
}

function isInside(root: string, abs: string): boolean {
  const r = relative(root, abs);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

function rel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}
