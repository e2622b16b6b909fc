import type { SourceKind } from './npm-lockfile-model.ts';

/** The public npm registry, the one npm assumes when a lockfile leaves out `resolved`. */
export const NPM_REGISTRY = 'https://registry.npmjs.org';

// Hosts that serve npm tarballs under paths that need not contain `/-/`.
const REGISTRY_HOSTS = new Set(['registry.npmjs.org', 'registry.yarnpkg.com']);
const GIT_PREFIXES = ['git+', 'git://', 'git@', 'github:', 'gitlab:', 'bitbucket:', 'gist:'];
// npm's hosted-git shortcut `user/repo` or `user/repo#ref` (no scheme, no leading @ or dot).
const HOSTED_SHORTCUT = /^[^@./:#\s][^/:#\s]*\/[^/:#\s]+(?:#.*)?$/;

/** True for a git URL as npm writes it into `resolved` (`git+https://…#sha`, `github:user/repo#sha`). */
export function isGitUrl(spec: string): boolean {
  return GIT_PREFIXES.some((p) => spec.startsWith(p));
}

/**
 * True for a git spec as npm 5/6 wrote it into a v1 `version`, which may also be the hosted
 * shortcut `user/repo#sha`. Only for that field: a bare relative path would match the shortcut.
 */
export function isGitSpec(spec: string): boolean {
  return isGitUrl(spec) || HOSTED_SHORTCUT.test(spec);
}

/**
 * Where a package came from, from its `resolved`. Registry tarballs are recognised by the public
 * registries' hosts or by the `/<name>/-/<file>.tgz` layout every npm registry uses (so private
 * registries count as registries); any other http(s) URL is a remote tarball. No `resolved` means
 * npm left it out because the package came from the configured registry.
 */
export function classifySource(resolved: string | undefined): SourceKind {
  if (resolved === undefined || resolved === '') return 'registry';
  if (isGitUrl(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (/^https?:\/\//i.test(resolved)) {
    let url: URL;
    try {
      url = new URL(resolved);
    } catch {
      return 'remote-tarball';
    }
    if (REGISTRY_HOSTS.has(url.hostname.toLowerCase())) return 'registry';
    return /\/-\/[^/]+\.tgz$/.test(url.pathname) ? 'registry' : 'remote-tarball';
  }
  // A scheme we do not know is fetched from somewhere else; a bare path is local.
  return /^[a-z][a-z0-9+.-]*:/i.test(resolved) ? 'remote-tarball' : 'file';
}

/**
 * The public registry's tarball URL of `name@version`, the way npm builds it:
 * `https://registry.npmjs.org/@scope/name/-/name-1.2.3.tgz` (the file name drops the scope).
 */
export function registryTarballUrl(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${NPM_REGISTRY}/${name}/-/${base}-${version}.tgz`;
}

// semver's strict grammar (semver.parse without `loose`): optional `v`, no leading zeros.
const NUM = '(?:0|[1-9]\\d*)';
const IDENT = `(?:${NUM}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(`^v?(${NUM}\\.${NUM}\\.${NUM}(?:-${IDENT}(?:\\.${IDENT})*)?)(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`);

/** The normalised version (`1.2.3-pre`, build metadata dropped) of a strict semver string, else undefined. */
export function parseSemver(text: string): string | undefined {
  return SEMVER.exec(text.trim())?.[1];
}

/**
 * What a v1 lockfile's tarball entry is, guessed from the tarball's file name exactly as Arborist
 * does (lib/version-from-tgz.js), so that both agree on packages v1 recorded without a version:
 * a registry URL `/@scope/name/-/name-1.2.3.tgz` names the package, otherwise the file must be
 * `<name without scope>-<semver>.tgz` of the name it was installed under.
 */
export function versionFromTarball(name: string, tarball: string): { name: string; version: string } | undefined {
  const base = tarball.slice(tarball.lastIndexOf('/') + 1);
  if (!base.endsWith('.tgz')) return undefined;
  if (/^https?:\//.test(tarball)) {
    let pathname: string | undefined;
    try {
      pathname = new URL(tarball).pathname;
    } catch {
      pathname = undefined;
    }
    const parts = pathname?.slice(1).split('/-/') ?? [];
    if (parts.length > 1 && parts[parts.length - 1] === base) {
      const pre = (parts[parts.length - 2] ?? '').split(/\/|%2f/i);
      return fromBase(base, pre[pre.length - 2], pre[pre.length - 1] ?? '');
    }
  }
  const split = name.split(/\/|%2f/i);
  return fromBase(base, split[split.length - 2], split[split.length - 1] ?? '');
}

function fromBase(base: string, scope: string | undefined, project: string): { name: string; version: string } | undefined {
  if (!base.startsWith(`${project}-`)) return undefined;
  const version = parseSemver(base.slice(project.length + 1, -'.tgz'.length));
  if (version === undefined) return undefined;
  return { name: scope?.startsWith('@') ? `${scope}/${project}` : project, version };
}
