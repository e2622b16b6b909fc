import { parseSemver } from './npm-lockfile-source.ts';

/**
 * pnpm's dependency paths, the keys of its `packages` (v6) and `snapshots` (v9) sections, as
 * pnpm's own `@pnpm/dependency-path` reads them:
 *
 * - v6: `/name@1.2.3`, `/@scope/name@1.2.3(peer@1.0.0)`, or a non-registry key such as
 *   `file:libs/x` or `github.com/user/repo/<sha>`;
 * - v9: `name@1.2.3`, `@scope/name@1.2.3(peer@1.0.0)(patch_hash=…)`, `name@file:libs/x`,
 *   `name@https://codeload.github.com/…`.
 *
 * The parenthesised groups at the end name the peers the package was resolved with (and a
 * patch): they make different snapshots of one package, not different packages.
 */

/** The major lockfile formats read here. */
export type PnpmMajor = 6 | 9;

/**
 * The key a dependency reference points at, or undefined for `link:` (a local project).
 * pnpm's `refToRelative`: a bare version (with its peer suffix) is the dependency's own name at
 * that version; a reference that already names a package (an alias, `ms@2.1.3` in v9,
 * `/ms@2.1.3` in v6) or is a non-registry key is the key itself.
 */
export function refToKey(major: PnpmMajor, reference: string, name: string): string | undefined {
  if (reference.startsWith('link:')) return undefined;
  if (major === 6) {
    if (reference.startsWith('file:')) return reference;
    const bracket = reference.indexOf('(');
    if (!reference.includes('/') || (bracket >= 0 && reference.lastIndexOf('/', bracket) === -1)) return `/${name}@${reference}`;
    return reference;
  }
  if (reference.startsWith('@')) return reference;
  const at = reference.indexOf('@');
  if (at === -1) return `${name}@${reference}`;
  const colon = reference.indexOf(':');
  const bracket = reference.indexOf('(');
  if ((colon === -1 || at < colon) && (bracket === -1 || at < bracket)) return reference;
  return `${name}@${reference}`;
}

/**
 * A key without its trailing parenthesised groups: the v9 `packages` key of a snapshot. Groups
 * nest (`a@1.0.0(b@2.0.0(c@3.0.0))`), so parentheses are balanced rather than cut at the first `(`.
 * Unbalanced input is returned whole. Linear: each character is looked at once.
 */
export function withoutPeers(key: string): string {
  let end = key.length;
  while (end > 0 && key.charCodeAt(end - 1) === 0x29 /* ) */) {
    let depth = 0;
    let i = end - 1;
    for (; i >= 0; i--) {
      const c = key.charCodeAt(i);
      if (c === 0x29) depth++;
      else if (c === 0x28 /* ( */ && --depth === 0) break;
    }
    if (i < 0) return key.slice(0, end);
    end = i;
  }
  return key.slice(0, end);
}

/**
 * The name and semver version a key spells, as `@pnpm/dependency-path`'s `parse`: the version is
 * undefined when the part after the name is not a semver (a `file:` or URL resolution), and
 * both are undefined for v6 keys that do not start with `/`.
 */
export function nameVersionOfKey(major: PnpmMajor, key: string): { name?: string; version?: string } {
  const start = major === 6 ? 1 : 0;
  if (major === 6 && !key.startsWith('/')) return {};
  const at = key.indexOf('@', start + 1);
  if (at === -1) return {};
  const name = key.slice(start, at);
  const rest = withoutPeers(key.slice(at + 1));
  return parseSemver(rest) === undefined ? { name } : { name, version: rest };
}
