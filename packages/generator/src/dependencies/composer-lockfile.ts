import { PackageURL } from 'packageurl-js';
import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { isJsonObject, jsonType, lockfileInvalid, parseJsonLockfile } from './lockfile-json.ts';

const SHA1_HEX = /^[0-9a-f]{40}$/;

interface ComposerEntry {
  name: string;
  version: string;
  scope: DependencyScope;
  raw: Record<string, unknown>;
  requires: string[];
}

/**
 * Parses composer.lock: `packages` are `prod`, `packages-dev` are `dev`. Edges are `require`
 * names that are locked packages, or that a locked package `provide`s or `replace`s; platform
 * requirements (`php`, `ext-*`, `lib-*`, `composer-*`) are not packages. `dist.shasum` gives
 * `sha1` when Composer filled it in (it is empty for GitHub zipballs); a package installed from
 * a VCS checkout (no dist) gives the commit as `gitCommit`. `declared` holds composer.json's
 * `require` and `require-dev` names, which are the direct dependencies.
 */
export function parseComposerLock(
  text: string,
  source: string,
  declared: ReadonlySet<string> | undefined,
): { packages: ResolvedPackage[]; roots: string[] } {
  const data = parseJsonLockfile(text, source);
  const entries = [...readSection(data, 'packages', 'prod', source), ...readSection(data, 'packages-dev', 'dev', source)];
  const providers = new Map<string, ComposerEntry[]>();
  const add = (name: string, e: ComposerEntry) => {
    const list = providers.get(name);
    if (list) list.push(e);
    else providers.set(name, [e]);
  };
  for (const e of entries) {
    add(e.name, e);
    for (const key of ['provide', 'replace']) {
      const table = e.raw[key];
      if (isJsonObject(table)) for (const name of Object.keys(table)) if (name.toLowerCase() !== e.name) add(name.toLowerCase(), e);
    }
  }
  const purls = new Map(entries.map((e) => [e, composerPurl(e, source)]));
  const packages = entries.map(
    (e): ResolvedPackage => ({
      ecosystem: 'composer',
      name: e.name,
      version: e.version,
      purl: purls.get(e)!,
      ...sourceFacts(e, source),
      scope: e.scope,
      direct: declared?.has(e.name) ?? false,
      dependencies: [...new Set(e.requires.flatMap((r) => (providers.get(r) ?? []).filter((p) => p !== e).map((p) => purls.get(p)!)))].sort(),
    }),
  );
  packages.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return { packages, roots: [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort() };
}

function readSection(data: Record<string, unknown>, key: string, scope: DependencyScope, source: string): ComposerEntry[] {
  const list = data[key] ?? [];
  if (!Array.isArray(list)) throw lockfileInvalid(source, `${key} must be an array, got ${jsonType(list)}`);
  return list.map((raw, i) => {
    const where = `${key}[${i}]`;
    if (!isJsonObject(raw)) throw lockfileInvalid(source, `${where} must be an object, got ${jsonType(raw)}`);
    const name = raw['name'];
    const version = raw['version'];
    if (typeof name !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(name)) throw lockfileInvalid(source, `${where}.name must be "vendor/package"`);
    if (typeof version !== 'string') throw lockfileInvalid(source, `${where}.version must be a string, got ${jsonType(version)}`);
    const require = raw['require'] ?? {};
    if (!isJsonObject(require)) throw lockfileInvalid(source, `${where}.require must be an object`);
    return { name: name.toLowerCase(), version, scope, raw, requires: Object.keys(require).map((r) => r.toLowerCase()) };
  });
}

function sourceFacts(e: ComposerEntry, source: string): { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } {
  const dist = e.raw['dist'];
  const src = e.raw['source'];
  if (dist !== undefined && !isJsonObject(dist)) throw lockfileInvalid(source, `${e.name}: dist must be an object`);
  if (src !== undefined && !isJsonObject(src)) throw lockfileInvalid(source, `${e.name}: source must be an object`);
  if (dist !== undefined) {
    const shasum = dist['shasum'];
    const url = dist['url'];
    const digest: Record<string, string> = typeof shasum === 'string' && SHA1_HEX.test(shasum) ? { sha1: shasum } : {};
    // `path` repositories and `artifact` repositories (zips in a local folder) are local files.
    if (dist['type'] === 'path' || typeof url !== 'string' || !/^https?:\/\//.test(url)) return { digest, sourceKind: 'file' };
    return { digest, downloadLocation: url, sourceKind: 'registry' };
  }
  if (src?.['type'] === 'git') {
    const ref = src['reference'];
    const url = src['url'];
    return {
      digest: typeof ref === 'string' && SHA1_HEX.test(ref) ? { gitCommit: ref } : {},
      ...(typeof url === 'string' ? { downloadLocation: `git+${url}${typeof ref === 'string' ? `@${ref}` : ''}` } : {}),
      sourceKind: 'git',
    };
  }
  // Metapackages have neither dist nor source; other VCS checkouts (hg, svn) carry no git commit.
  return { digest: {}, sourceKind: src === undefined ? 'registry' : 'git' };
}

/** `pkg:composer/<vendor>/<name>@<version>` (Composer names are case-insensitive: lower case). */
function composerPurl(e: ComposerEntry, source: string): string {
  const [vendor, name] = e.name.split('/') as [string, string];
  try {
    return new PackageURL('composer', vendor, name, e.version).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${e.name} ${e.version}: ${(error as Error).message}`);
  }
}
