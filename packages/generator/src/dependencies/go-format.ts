import { PackageURL } from 'packageurl-js';
import { type GoMod, compareGoVersions, isLocalReplacement, listsWholeBuildList, parseGoMod } from './go-mod.ts';
import { type GoSumEntry, parseGoSum } from './go-sum.ts';
import type { LockfileFormat } from './lockfile-format.ts';
import type { ResolvedPackage } from './model.ts';
import { lockfileInvalid } from './lockfile-json.ts';

/** The module proxy the go command uses by default; its zip URLs are derivable. */
export const GO_PROXY = 'https://proxy.golang.org';

/**
 * Go modules: go.sum, with go.mod beside it. One package per module@version that go.mod's build
 * list selects (its `require` lines, after `exclude` and `replace`). go.sum is only the checksum
 * database of everything the go command ever looked at, so it supplies digests, not the list:
 *
 * - a `/go.mod`-only line is a module whose go.mod was read during version selection but whose
 *   code was never downloaded: not a dependency (unless go.mod requires it, then it is one without
 *   a digest);
 * - a module replaced by a directory (`=> ./x`) is local source, not a dependency; one replaced by
 *   another module is recorded as that module;
 * - before `go 1.17`, go.mod need not list indirect dependencies: every module with a zip hash in
 *   go.sum is added too, the highest version per path (what minimal version selection would pick);
 * - with no go.mod at all, every module with a zip hash (highest per path) counts, none direct.
 *
 * The Go toolchain has no dev dependencies (every package is `prod`) and neither file records
 * the module graph, so packages carry no `dependencies`; roots are the direct requirements.
 */
export const goFormat: LockfileFormat = {
  manager: 'go',
  ecosystem: 'golang',
  fileNames: ['go.sum'],
  async parse({ text, path, readSibling }) {
    const sums = parseGoSum(text, path);
    const modText = await readSibling('go.mod');
    const mod = modText === undefined ? undefined : parseGoMod(modText, path.replace(/go\.sum$/, 'go.mod'));
    const packages = goPackages(sums, mod, path);
    const roots = packages.filter((p) => p.direct).map((p) => p.purl).sort();
    return { ecosystem: 'golang', manager: 'go', packages, roots };
  },
};

function goPackages(sums: Map<string, GoSumEntry>, mod: GoMod | undefined, source: string): ResolvedPackage[] {
  const selected = new Map<string, { version: string; direct: boolean }>();
  for (const req of mod?.requires ?? []) selected.set(req.path, { version: req.version, direct: !req.indirect });
  if (mod === undefined || !listsWholeBuildList(mod.goVersion)) {
    const required = new Set(mod?.requires.map((r) => r.path));
    for (const [key, entry] of sums) {
      if (entry.zip === undefined || mod?.excludes.has(key)) continue;
      const at = key.lastIndexOf('@');
      const path = key.slice(0, at);
      const version = key.slice(at + 1);
      const have = selected.get(path);
      if (!required.has(path) && (have === undefined || compareGoVersions(version, have.version) > 0)) selected.set(path, { version, direct: false });
    }
  }
  const byKey = new Map<string, ResolvedPackage>();
  for (const [path, { version, direct }] of selected) {
    const target = replacementOf(path, version, mod);
    if (target === undefined) continue;
    const key = `${target.path}@${target.version}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.direct ||= direct;
      continue;
    }
    const zip = sums.get(key)?.zip;
    byKey.set(key, {
      ecosystem: 'golang',
      name: target.path,
      version: target.version,
      purl: goPurl(target.path, target.version, source),
      digest: zip === undefined ? {} : { dirHash: zip },
      downloadLocation: `${GO_PROXY}/${escapeModulePath(target.path)}/@v/${escapeModulePath(target.version)}.zip`,
      scope: 'prod',
      direct,
      sourceKind: 'registry',
    });
  }
  return [...byKey.values()].sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : compareGoVersions(a.version, b.version)));
}

/** What `path@version` resolves to after go.mod's replace directives; undefined for a directory. */
function replacementOf(path: string, version: string, mod: GoMod | undefined): { path: string; version: string } | undefined {
  const replaces = mod?.replaces ?? [];
  // A version-specific replace wins over one for every version of the path.
  const rule = replaces.find((r) => r.oldPath === path && r.oldVersion === version) ?? replaces.find((r) => r.oldPath === path && r.oldVersion === undefined);
  if (rule === undefined) return { path, version };
  if (rule.newVersion === undefined || isLocalReplacement(rule.newPath)) return undefined;
  return { path: rule.newPath, version: rule.newVersion };
}

/**
 * `pkg:golang/<module path up to the last slash>/<last element>@<version>`, the module path kept
 * as written: Go module paths are case-sensitive.
 */
function goPurl(path: string, version: string, source: string): string {
  const slash = path.lastIndexOf('/');
  try {
    return new PackageURL('golang', slash > 0 ? path.slice(0, slash) : undefined, slash > 0 ? path.slice(slash + 1) : path, version).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${path}@${version}: ${(error as Error).message}`);
  }
}

/** The module proxy's case encoding: each upper-case letter becomes `!` and its lower case. */
export function escapeModulePath(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
