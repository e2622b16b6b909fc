import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { isJsonObject, jsonType, lockfileInvalid, parseJsonLockfile } from './lockfile-json.ts';
import { pickDistributionDigest } from './python-digest.ts';
import { normalizePythonName, pypiPurl, sortPythonPackages } from './python-names.ts';

const GIT_COMMIT = /^[0-9a-f]{40}$/;
const SECTIONS: [string, DependencyScope][] = [['default', 'prod'], ['develop', 'dev']];

/**
 * Parses Pipfile.lock (pipfile-spec 6): one package per name across `default` (prod) and
 * `develop` (dev); a name in both is one package, `prod`. Versions are the `==` pins; VCS, path
 * and URL entries have none. `hashes` name no files, so only a lone hash becomes the digest (see
 * pickDistributionDigest). The lockfile records no graph: packages carry no `dependencies`.
 * `direct` comes from the Pipfile's `[packages]` and `[dev-packages]`, passed as `declared`.
 */
export function parsePipfileLock(
  text: string,
  source: string,
  declared: ReadonlySet<string> | undefined,
): { lockfileVersion: number | undefined; packages: ResolvedPackage[]; roots: string[] } {
  const data = parseJsonLockfile(text, source);
  const meta = isJsonObject(data['_meta']) ? data['_meta'] : {};
  const spec = meta['pipfile-spec'];
  const byName = new Map<string, ResolvedPackage>();
  for (const [section, scope] of SECTIONS) {
    const table = data[section] ?? {};
    if (!isJsonObject(table)) throw lockfileInvalid(source, `${section} must be an object, got ${jsonType(table)}`);
    for (const [rawName, entry] of Object.entries(table)) {
      if (!isJsonObject(entry)) throw lockfileInvalid(source, `${section}.${rawName} must be an object, got ${jsonType(entry)}`);
      const name = normalizePythonName(rawName);
      const seen = byName.get(name);
      if (seen) {
        if (scope === 'prod') seen.scope = 'prod';
        continue;
      }
      byName.set(name, toPackage(name, entry, scope, declared?.has(name) ?? false, source, `${section}.${rawName}`));
    }
  }
  const packages = sortPythonPackages([...byName.values()]);
  const roots = packages.filter((p) => p.direct).map((p) => p.purl).sort();
  return { lockfileVersion: typeof spec === 'number' ? spec : undefined, packages, roots };
}

function toPackage(name: string, entry: Record<string, unknown>, scope: DependencyScope, direct: boolean, source: string, where: string): ResolvedPackage {
  const pin = entry['version'];
  if (pin !== undefined && typeof pin !== 'string') throw lockfileInvalid(source, `${where}.version must be a string, got ${jsonType(pin)}`);
  const version = pin?.startsWith('==') ? pin.replace(/^===?/, '') : '';
  const hashes = entry['hashes'] ?? [];
  if (!Array.isArray(hashes) || hashes.some((h) => typeof h !== 'string')) throw lockfileInvalid(source, `${where}.hashes must be an array of strings`);
  let sourceKind: SourceKind = 'registry';
  let digest = pickDistributionDigest((hashes as string[]).map((hash) => ({ file: undefined, hash })));
  let downloadLocation: string | undefined;
  if (typeof entry['git'] === 'string') {
    sourceKind = 'git';
    const ref = entry['ref'];
    digest = typeof ref === 'string' && GIT_COMMIT.test(ref) ? { gitCommit: ref } : {};
    downloadLocation = `${entry['git'].startsWith('git+') ? '' : 'git+'}${entry['git']}${typeof ref === 'string' ? `@${ref}` : ''}`;
  } else if (typeof entry['file'] === 'string' && /^https?:\/\//.test(entry['file'])) {
    sourceKind = 'remote-tarball';
    downloadLocation = entry['file'];
  } else if (typeof entry['path'] === 'string' || typeof entry['file'] === 'string') {
    sourceKind = 'file';
  }
  return {
    ecosystem: 'pypi',
    name,
    version,
    purl: pypiPurl(name, version, source),
    digest,
    ...(downloadLocation === undefined ? {} : { downloadLocation }),
    scope,
    direct,
    sourceKind,
  };
}
