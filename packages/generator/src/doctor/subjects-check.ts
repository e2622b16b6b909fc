import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';

const CHECK = 'subjects';

/** More subjects than this: a WARN (see checkSubjects). */
export const MAX_SUBJECTS = 1000;

/** The subject flags of `attest`, as given. */
export interface SubjectArgs {
  paths?: readonly string[];
  digests?: readonly string[];
  checksumFiles?: readonly string[];
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Counts the subjects `attest` would record, without hashing anything: files below each directory,
 * files a glob matches, one per --subject-digest, one per checksum line. Each subject is a name and
 * a digest in the signed statement; past MAX_SUBJECTS the statement and bundle grow large, and
 * Sigstore's public Rekor refuses large uploads (100 KB for an attestation, per its README). A path
 * that does not exist, or a glob that matches nothing, is a FAIL: attest would refuse it.
 */
export async function checkSubjects(ctx: CollectorContext, args: SubjectArgs, max = MAX_SUBJECTS): Promise<DoctorCheck> {
  let count = 0;
  const cap = max + 1; // counting stops here: past the limit the exact number does not matter
  for (const pattern of args.paths ?? []) {
    const n = GLOB_CHARS.test(pattern) ? await countGlob(ctx, pattern, cap - count) : await countPath(ctx, pattern, cap - count);
    if (n === undefined) return { level: 'FAIL', check: CHECK, what: `--subject ${pattern} does not exist`, fix: 'build before attesting, or correct the path (it is relative to --cwd)' };
    if (n === 0) return { level: 'FAIL', check: CHECK, what: `--subject ${pattern} matches no file`, fix: 'build before attesting, or correct the pattern (it is relative to --cwd)' };
    count += n;
  }
  count += args.digests?.length ?? 0;
  for (const file of args.checksumFiles ?? []) {
    try {
      const text = (await ctx.fs.readFile(join(ctx.cwd, file))).toString('utf8');
      count += text.split(/\r?\n/).filter((line) => line.trim() !== '').length;
    } catch {
      return { level: 'FAIL', check: CHECK, what: `--subject-checksums ${file} cannot be read`, fix: 'create it before attesting, or correct the path' };
    }
  }
  if (count === 0) return { level: 'OK', check: CHECK, what: 'none given, not checked (pass the same --subject flags as to attest)' };
  if (count > max) {
    return {
      level: 'WARN',
      check: CHECK,
      what: `more than ${max} subjects: each is a name and digest in the signed statement, so the bundle grows large, and Sigstore's public Rekor refuses large uploads`,
      fix: 'attest fewer, larger artifacts (an archive), or a checksum file listing them (--subject SHA256SUMS)',
    };
  }
  return { level: 'OK', check: CHECK, what: `${count} subject${count === 1 ? '' : 's'}` };
}

/** 1 for a file, the number of files below a directory (up to `cap`), undefined if absent. */
async function countPath(ctx: CollectorContext, path: string, cap: number): Promise<number | undefined> {
  const abs = join(ctx.cwd, path);
  try {
    const st = await ctx.fs.stat(abs);
    if (st.isFile()) return 1;
    if (!st.isDirectory()) return 0;
  } catch {
    return undefined;
  }
  return walk(ctx, abs, () => true, cap);
}

/** Files below the glob's fixed leading directories that the glob matches (relative to cwd), up to `cap`. */
async function countGlob(ctx: CollectorContext, pattern: string, cap: number): Promise<number> {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARS.test(segment)) break;
    fixed.push(segment);
  }
  const isMatch = picomatch(pattern, { dot: false });
  return walk(ctx, join(ctx.cwd, ...fixed), (abs) => isMatch(relative(ctx.cwd, abs).split(sep).join('/')), cap);
}

async function walk(ctx: CollectorContext, dir: string, match: (abs: string) => boolean, cap: number): Promise<number> {
  let names: string[];
  try {
    names = await ctx.fs.readdir(dir);
  } catch {
    return 0;
  }
  let count = 0;
  for (const name of names) {
    if (count >= cap) break;
    const abs = join(dir, name);
    try {
      const st = await ctx.fs.lstat(abs);
      if (st.isDirectory() && !st.isSymbolicLink()) count += await walk(ctx, abs, match, cap - count);
      else if (st.isFile() && match(abs)) count++;
    } catch {
      // unreadable entries are not counted
    }
  }
  return count;
}
