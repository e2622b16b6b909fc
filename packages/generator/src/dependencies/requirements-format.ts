import { posix } from 'node:path';
import type { LockfileFormat, LockfileInput } from './lockfile-format.ts';
import type { ResolvedPackage, SourceKind } from './model.ts';
import { lockfileInvalid } from './lockfile-json.ts';
import { pickDistributionDigest } from './python-digest.ts';
import { normalizePythonName, pypiPurl, sortPythonPackages } from './python-names.ts';
import { type RequirementLine, type RequirementsFile, parseRequirementsFile } from './requirements-parse.ts';

/** Bounds on `-r`/`-c` includes: deeper or wider trees are not real requirement sets. */
const MAX_INCLUDE_DEPTH = 8;
const MAX_INCLUDED_FILES = 64;
const GIT_COMMIT = /^[0-9a-f]{40}$/;

/**
 * pip's requirements.txt, with `-r` includes and `-c` constraints read through readSibling
 * (paths relative to the including file; a path that leaves the lockfile's directory is refused).
 *
 * - Every requirement line is a package. Only an `==`/`===` pin gives a version; an unpinned line
 *   (`requests>=2`) is still recorded, with an empty version and a purl without one, so that the
 *   provenance shows what was left open. A `-c` constraint adds no package; it fills in the pin
 *   and hashes of a package listed without them.
 * - `--hash` gives the digest when there is one hash; several hashes name no file, so none (see
 *   pickDistributionDigest).
 * - pip-compile's `# via` annotations, when present, give `direct` (via `-r …` or `name (pyproject.toml)`)
 *   and the edges (`# via parent`). Otherwise requirements.in beside the file names the direct
 *   dependencies; without it none is direct, and packages carry no `dependencies`.
 * - Everything is `prod`: a requirements file does not say what it is installed for.
 */
export const requirementsFormat: LockfileFormat = {
  manager: 'pip',
  ecosystem: 'pypi',
  fileNames: ['requirements.txt'],
  async parse(input) {
    const { packages, roots } = await parseRequirementsSet(input);
    return { ecosystem: 'pypi', manager: 'pip', packages, roots };
  },
};

/** Reads a requirements file and what it includes; see requirementsFormat. */
export async function parseRequirementsSet({ text, path, readSibling }: LockfileInput): Promise<{ packages: ResolvedPackage[]; roots: string[] }> {
  const lines: RequirementLine[] = [];
  const constraints = new Map<string, RequirementLine>();
  let annotated = false;
  const seen = new Set<string>();
  const visit = async (file: RequirementsFile, dir: string, depth: number, asConstraint: boolean): Promise<void> => {
    annotated ||= file.annotated && !asConstraint;
    for (const req of file.requirements) {
      if (!asConstraint) lines.push(req);
      else if (req.version !== '' && !constraints.has(req.name)) constraints.set(req.name, req);
    }
    for (const [targets, constraint] of [[file.includes, asConstraint], [file.constraints, true]] as const) {
      for (const target of targets) {
        const rel = includedPath(dir, target, path);
        if (seen.has(rel)) continue;
        seen.add(rel);
        if (depth >= MAX_INCLUDE_DEPTH || seen.size > MAX_INCLUDED_FILES) throw lockfileInvalid(path, `${target}: too many nested -r/-c includes`);
        const included = await readSibling(rel);
        if (included === undefined) throw lockfileInvalid(path, `${target}: included file not found`);
        await visit(parseRequirementsFile(included, `${path} -> ${rel}`), posix.dirname(rel), depth + 1, constraint);
      }
    }
  };
  seen.add(posix.basename(path));
  await visit(parseRequirementsFile(text, path), '.', 0, false);

  let declared: Set<string> | undefined;
  if (!annotated) {
    const manifest = await readSibling('requirements.in');
    if (manifest !== undefined) declared = new Set(parseRequirementsFile(manifest, 'requirements.in').requirements.map((r) => r.name));
  }

  const byId = new Map<string, { pkg: ResolvedPackage; line: RequirementLine }>();
  for (const line of lines) {
    const pinned = line.version === '' && line.url === undefined ? constraints.get(line.name) : undefined;
    const effective = pinned === undefined ? line : { ...line, version: pinned.version, hashes: line.hashes.length > 0 ? line.hashes : pinned.hashes };
    const id = `${effective.name}@${effective.version}`;
    const have = byId.get(id);
    if (have) {
      have.line.via.push(...line.via);
      continue;
    }
    byId.set(id, { pkg: toPackage(effective, path), line: { ...effective, via: [...line.via] } });
  }

  const entries = [...byId.values()];
  for (const { pkg, line } of entries) {
    pkg.direct = annotated ? line.via.some((v) => v.startsWith('-r') || /\(.+\)$/.test(v)) : (declared?.has(line.name) ?? false);
  }
  if (annotated) {
    const byName = new Map<string, ResolvedPackage[]>();
    for (const { pkg } of entries) {
      const list = byName.get(pkg.name);
      if (list) list.push(pkg);
      else byName.set(pkg.name, [pkg]);
    }
    for (const { pkg } of entries) pkg.dependencies = [];
    for (const { pkg, line } of entries) {
      for (const parent of line.via) {
        for (const p of byName.get(normalizePythonName(parent.replace(/\s*\(.*\)$/, ''))) ?? []) p.dependencies!.push(pkg.purl);
      }
    }
  }
  const packages = sortPythonPackages(entries.map((e) => e.pkg));
  return { packages, roots: [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort() };
}

/** The include's path relative to the lockfile's directory; refuses URLs, absolute paths and `..` escapes. */
function includedPath(dir: string, target: string, source: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/') || target.includes('\\')) {
    throw lockfileInvalid(source, `${target}: only files beside the lockfile are followed`);
  }
  const rel = posix.normalize(posix.join(dir, target));
  if (rel === '..' || rel.startsWith('../')) throw lockfileInvalid(source, `${target}: leaves the lockfile's directory, not followed`);
  return rel;
}

function toPackage(line: RequirementLine, source: string): ResolvedPackage {
  let sourceKind: SourceKind = 'registry';
  let digest = pickDistributionDigest(line.hashes.map((hash) => ({ file: undefined, hash })));
  let downloadLocation: string | undefined;
  const url = line.url;
  if (url !== undefined) {
    if (/^(git\+|git:)/.test(url)) {
      sourceKind = 'git';
      const ref = /@([0-9a-f]{40})(?:[#?]|$)/.exec(url)?.[1];
      digest = ref !== undefined && GIT_COMMIT.test(ref) ? { gitCommit: ref } : {};
      downloadLocation = url.split('#')[0];
    } else if (/^https?:\/\//.test(url)) {
      sourceKind = 'remote-tarball';
      downloadLocation = url.split('#')[0];
    } else sourceKind = 'file';
  }
  return {
    ecosystem: 'pypi',
    name: line.name,
    version: line.version,
    purl: pypiPurl(line.name, line.version, source),
    digest,
    ...(downloadLocation === undefined ? {} : { downloadLocation }),
    scope: 'prod',
    direct: false,
    sourceKind,
  };
}
