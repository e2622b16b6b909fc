import { glob, readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ProvenantError, isValidHexDigest } from '@provenant/core/verification';
import type { ArtifactDigests } from '../checks/subject.ts';

/** One artifact of a batch: a file to hash, or (from a manifest) a digest. `name` is what reports and the trust record call it. */
export interface BatchArtifact {
  name: string;
  path?: string;
  digest?: ArtifactDigests;
}

/** Manifests are checksum files; anything this large is not one. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const GLOB_CHARS = /[*?[\]{}]/;
const HEX_ALGORITHM: Record<number, 'sha256' | 'sha384' | 'sha512'> = { 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/**
 * The artifacts a `--batch` argument names, sorted by name:
 * - a directory: every regular file below it (symbolic links are not followed), named by their path
 *   relative to it, except those under an `exclude` directory (the attestation directory);
 * - a file: a manifest in sha256sum format (`<hex>  <name>`, `<hex> *<name>`; sha384/sha512 by
 *   length; `#` comments), whose artifacts are digests: they need not be on this machine;
 * - anything else with glob characters: the regular files it matches from `cwd`, named relative to it.
 * Throws FILE_UNREADABLE, SUBJECT_INVALID (nothing to verify) or DIGEST_INVALID (a bad manifest line).
 */
export async function resolveBatchTargets(spec: string, options: { cwd: string; exclude?: readonly string[] }): Promise<BatchArtifact[]> {
  const path = resolve(options.cwd, spec);
  const excluded = (options.exclude ?? []).map((d) => resolve(options.cwd, d));
  const info = await stat(path).catch(() => undefined);
  let artifacts: BatchArtifact[];
  if (info?.isDirectory()) artifacts = await directoryArtifacts(path, excluded);
  else if (info?.isFile()) artifacts = parseManifest(await readManifest(path), spec);
  else if (GLOB_CHARS.test(spec)) artifacts = await globArtifacts(spec, options.cwd, excluded);
  else throw new ProvenantError('FILE_UNREADABLE', `--batch ${spec}: no such file or directory`);
  if (artifacts.length === 0) throw new ProvenantError('SUBJECT_INVALID', `--batch ${spec}: no artifacts to verify`);
  return artifacts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function directoryArtifacts(dir: string, excluded: readonly string[]): Promise<BatchArtifact[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !excluded.some((d) => isInside(p, d)))
    .map((p) => ({ name: toPosix(relative(dir, p)), path: p }));
}

async function globArtifacts(pattern: string, cwd: string, excluded: readonly string[]): Promise<BatchArtifact[]> {
  const out: BatchArtifact[] = [];
  for await (const entry of glob(pattern, { cwd, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const p = join(entry.parentPath, entry.name);
    if (excluded.some((d) => isInside(p, d))) continue;
    out.push({ name: toPosix(isAbsolute(pattern) ? p : relative(cwd, p)), path: p });
  }
  return out;
}

async function readManifest(path: string): Promise<string> {
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read manifest ${path}: ${err.code ?? 'error'}`);
  });
  if (data.length > MAX_MANIFEST_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `manifest ${path} is over ${MAX_MANIFEST_BYTES} bytes`);
  return data.toString('utf8');
}

/** Parses a sha256sum-format manifest into digest artifacts. One name with two digests is refused. */
export function parseManifest(text: string, source: string): BatchArtifact[] {
  const byName = new Map<string, BatchArtifact>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([0-9a-fA-F]+) [ *](.+)$/.exec(line);
    const algorithm = m ? HEX_ALGORITHM[m[1]!.length] : undefined;
    const hex = m?.[1]?.toLowerCase();
    if (!m || algorithm === undefined || hex === undefined || !isValidHexDigest(algorithm, hex)) {
      throw new ProvenantError('DIGEST_INVALID', `${source}:${i + 1}: expected "<sha256, sha384 or sha512 hex>  <name>"`);
    }
    const name = m[2]!;
    const previous = byName.get(name);
    if (previous !== undefined) {
      const before = previous.digest?.[algorithm];
      if (before !== undefined && before !== hex) throw new ProvenantError('SUBJECT_INVALID', `${source}:${i + 1}: ${name} is listed with two different ${algorithm} digests`);
      previous.digest = { ...previous.digest, [algorithm]: hex };
      return;
    }
    byName.set(name, { name, digest: { [algorithm]: hex } });
  });
  return [...byName.values()];
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
