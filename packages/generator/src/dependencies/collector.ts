import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ProvenantError } from '@provenant/core';
import picomatch from 'picomatch';
import type { Collector, CollectorContext } from '../context.ts';
import { LOCKFILE_FORMATS } from './formats.ts';
import type { LockfileFormat } from './lockfile-format.ts';
import type { DependencyFacts } from './model.ts';

/** Lockfiles are large but not this large; the cap keeps a stray file from exhausting memory. */
export const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

/**
 * Directories discovery never enters: installed packages, vendored code, VCS data, build output,
 * and test fixtures (their lockfiles describe test inputs, not what the build used).
 */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', 'vendor', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'target', '.next', '.nuxt',
  '.turbo', 'coverage', '__pycache__', '.venv', 'venv', '.tox', '.yarn', 'bower_components',
  'fixtures', '__fixtures__', 'testdata',
]);

/** How deep discovery goes below cwd: deep enough for monorepos, bounded against symlink mazes. */
const MAX_DEPTH = 8;

export interface LockfileCollectorOptions {
  /** Lockfiles to read (relative to cwd); default: discover them below cwd. */
  lockfiles?: readonly string[];
  /** Formats to recognise; default LOCKFILE_FORMATS. */
  formats?: readonly LockfileFormat[];
}

/**
 * Reads the resolved dependencies of every lockfile: the ones named, or those found by a
 * recursive search from cwd that skips SKIPPED_DIRECTORIES. Results are sorted by path.
 */
export function lockfileCollector(options: LockfileCollectorOptions = {}): Collector<DependencyFacts[]> {
  const formats = options.formats ?? LOCKFILE_FORMATS;
  return {
    name: 'lockfiles',
    async detect(ctx) {
      return (await lockfilesToRead(ctx, options.lockfiles, formats)).length > 0;
    },
    async collect(ctx) {
      const found = await lockfilesToRead(ctx, options.lockfiles, formats);
      const facts: DependencyFacts[] = [];
      for (const { path, format } of found) facts.push(await readOne(ctx, path, format));
      return facts;
    },
  };
}

interface Found {
  path: string;
  format: LockfileFormat;
}

async function lockfilesToRead(ctx: CollectorContext, explicit: readonly string[] | undefined, formats: readonly LockfileFormat[]): Promise<Found[]> {
  if (explicit !== undefined) {
    return explicit.map((p) => {
      const path = resolve(ctx.cwd, p);
      const format = formatFor(basename(path), formats);
      if (!format) throw new ProvenantError('USAGE', `--lockfile ${p}: not a lockfile name provenant knows (${formats.flatMap((f) => f.fileNames).join(', ')})`);
      return { path, format };
    });
  }
  const found: Found[] = [];
  await walk(ctx, ctx.cwd, 0, formats, found);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(ctx: CollectorContext, dir: string, depth: number, formats: readonly LockfileFormat[], out: Found[]): Promise<void> {
  let names: string[];
  try {
    names = await ctx.fs.readdir(dir);
  } catch {
    return;
  }
  const here = new Set(names);
  for (const format of formats) {
    // One lockfile per manager per directory: the first name in the format's order wins.
    const name = format.fileNames.find((n) => here.has(n));
    if (name !== undefined && (await isFile(ctx, join(dir, name)))) out.push({ path: join(dir, name), format });
  }
  if (depth >= MAX_DEPTH) return;
  for (const name of names.sort()) {
    if (SKIPPED_DIRECTORIES.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      const st = await ctx.fs.lstat(path);
      if (st.isDirectory() && !st.isSymbolicLink()) await walk(ctx, path, depth + 1, formats, out);
    } catch {
      // unreadable entries are skipped: discovery is best effort, named lockfiles are not
    }
  }
}

function formatFor(name: string, formats: readonly LockfileFormat[]): LockfileFormat | undefined {
  return formats.find((f) => f.fileNames.includes(name));
}

async function readOne(ctx: CollectorContext, path: string, format: LockfileFormat): Promise<DependencyFacts> {
  const lockfile = relative(ctx.cwd, path).split(sep).join('/');
  const text = await readText(ctx, path, lockfile);
  const facts = await format.parse({
    text,
    path: lockfile,
    readSibling: async (name) => {
      const sibling = join(dirname(path), name);
      return (await isFile(ctx, sibling)) ? readText(ctx, sibling, name) : undefined;
    },
    globFolders: (pattern) => globFolders(ctx, dirname(path), pattern),
  });
  return { lockfile, ...facts };
}

/** How deep a workspace glob is followed below the lockfile (`packages/**` in a monorepo). */
const MAX_GLOB_DEPTH = 4;

async function globFolders(ctx: CollectorContext, base: string, pattern: string): Promise<string[]> {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean.startsWith('/') || clean.split('/').includes('..')) return [];
  const isMatch = picomatch(clean, { dot: false });
  const out: string[] = [];
  const visit = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_GLOB_DEPTH) return;
    let names: string[];
    try {
      names = await ctx.fs.readdir(rel === '' ? base : join(base, rel));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = rel === '' ? name : `${rel}/${name}`;
      try {
        const st = await ctx.fs.lstat(join(base, child));
        if (!st.isDirectory() || st.isSymbolicLink()) continue;
      } catch {
        continue;
      }
      if (isMatch(child)) out.push(child);
      await visit(child, depth + 1);
    }
  };
  await visit('', 1);
  return out;
}

async function readText(ctx: CollectorContext, path: string, shown: string): Promise<string> {
  let size: number;
  try {
    size = (await ctx.fs.stat(path)).size;
  } catch (error) {
    throw new ProvenantError('FILE_UNREADABLE', `${shown}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  if (size > MAX_LOCKFILE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${shown}: ${size} bytes is over the ${MAX_LOCKFILE_BYTES}-byte limit for lockfiles`);
  return (await ctx.fs.readFile(path)).toString('utf8');
}

async function isFile(ctx: CollectorContext, path: string): Promise<boolean> {
  try {
    return (await ctx.fs.stat(path)).isFile();
  } catch {
    return false;
  }
}
