/**
 * Schemes whose user name is a login rather than a credential: in `ssh://git@host/repo` the `git`
 * is needed to connect and tells nobody anything secret. Everywhere else (https, git, ftp, ...)
 * the user name slot is routinely used to carry a token (`https://x-access-token:TOKEN@github.com`,
 * `https://TOKEN@github.com`), so it is always removed.
 */
const LOGIN_USER_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git']);

const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** A `scheme://` URL cut into the pieces credential handling cares about. */
export interface UrlParts {
  /** The scheme as written (case preserved). */
  scheme: string;
  /** Everything before the last `@` of the authority, or undefined when there is none. */
  userinfo: string | undefined;
  /** Host, port and path: what is left after userinfo, without query and fragment. */
  hostAndPath: string;
  /** The query without its `?`, or undefined. */
  query: string | undefined;
}

/**
 * Splits a `scheme://` URL without normalising it (unlike `new URL`, which would add a trailing
 * slash or re-encode the path, changing what git reported). Returns undefined for anything that is
 * not a scheme URL: scp-like remotes (`git@github.com:o/r.git`) and local paths.
 *
 * The authority is taken to end at the first `/`, and the userinfo at the LAST `@` before it, so a
 * password containing an unencoded `@`, `?` or `#` is still treated as userinfo. That can only err
 * towards removing too much, never towards leaking.
 */
export function parseUrlParts(url: string): UrlParts | undefined {
  const match = SCHEME_PREFIX.exec(url);
  if (!match) return undefined;
  const scheme = match[1]!;
  const afterScheme = url.slice(match[0].length);
  const slash = afterScheme.indexOf('/');
  const authorityEnd = slash === -1 ? afterScheme.length : slash;
  const at = authorityEnd === 0 ? -1 : afterScheme.lastIndexOf('@', authorityEnd - 1);
  const userinfo = at === -1 ? undefined : afterScheme.slice(0, at);
  const rest = afterScheme.slice(at + 1);
  const cut = rest.search(/[?#]/);
  const hostAndPath = cut === -1 ? rest : rest.slice(0, cut);
  let query: string | undefined;
  if (cut !== -1 && rest[cut] === '?') {
    const hash = rest.indexOf('#', cut);
    query = rest.slice(cut + 1, hash === -1 ? undefined : hash);
  }
  return { scheme, userinfo, hostAndPath, query };
}

/** True when the userinfo of a URL with this scheme carries a credential (see LOGIN_USER_SCHEMES). */
export function isCredentialUserinfo(scheme: string, userinfo: string | undefined): boolean {
  if (userinfo === undefined) return false;
  if (LOGIN_USER_SCHEMES.has(scheme.toLowerCase())) return userinfo.includes(':');
  return true;
}

/**
 * Removes credentials from a repository URL so that it can be recorded.
 *
 * - `https://user:token@host/x` -> `https://host/x`, `https://token@host` -> `https://host`
 *   (any userinfo of a non-ssh scheme is treated as a credential);
 * - `ssh://user:pass@host/x` -> `ssh://user@host/x` (the ssh login is kept, the password dropped);
 * - the query and fragment are always dropped: they are where tokens hide
 *   (`?private_token=...`, `?X-Amz-Signature=...`) and never identify a repository;
 * - scp-like `git@github.com:o/r.git` and local paths are returned unchanged: their user part is
 *   the ssh login, not a secret.
 */
export function stripUrlCredentials(url: string): string {
  const parts = parseUrlParts(url);
  if (!parts) return url;
  let user = '';
  if (parts.userinfo !== undefined && LOGIN_USER_SCHEMES.has(parts.scheme.toLowerCase())) {
    const login = parts.userinfo.split(':', 1)[0]!;
    if (login !== '') user = `${login}@`;
  }
  return `${parts.scheme}://${user}${parts.hostAndPath}`;
}
