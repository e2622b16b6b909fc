/** A source location split into repository and revision, as provenance spells it. */
export interface GitLocation {
  /** Normalised repository URI (see normaliseSourceUri). */
  uri: string;
  /** The part after `@` in `git+https://host/o/r@refs/heads/main`, when present. */
  ref?: string;
}

/**
 * Normalises a repository URI so that spellings of one repository compare equal: drops a `git+`
 * scheme prefix, a trailing `/` and `.git`, and lowercases scheme and host. The path keeps its case:
 * whether it is case-sensitive depends on the host.
 */
export function normaliseSourceUri(uri: string): string {
  let out = uri.trim();
  if (out.startsWith('git+')) out = out.slice(4);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/.exec(out);
  if (m) out = m[1]!.toLowerCase() + lowercaseHost(m[2]!) + m[3]!;
  for (;;) {
    if (out.endsWith('/')) out = out.slice(0, -1);
    else if (out.endsWith('.git')) out = out.slice(0, -4);
    else return out;
  }
}

/**
 * A repository as slsa-verifier's `--source-uri` takes it: `github.com/o/r` without a scheme means
 * `https://github.com/o/r` (its NormalizeGitURI); anything with a scheme is returned as given.
 */
export function sourceUriFromSlsaVerifier(uri: string): string {
  const text = uri.trim();
  return text.includes('://') ? text : `https://${text}`;
}

/**
 * Splits `git+https://github.com/o/r@refs/heads/main` (SLSA's git URI with a revision) into the
 * normalised repository and the ref. Only an `@` after the host counts, so user info in the
 * authority (`https://user@host/...`) is not mistaken for a revision.
 */
export function splitGitUri(uri: string): GitLocation {
  const text = uri.trim();
  const authorityStart = text.indexOf('://');
  const pathStart = authorityStart < 0 ? 0 : text.indexOf('/', authorityStart + 3);
  const at = pathStart < 0 ? -1 : text.indexOf('@', pathStart);
  if (at < 0) return { uri: normaliseSourceUri(text) };
  const ref = text.slice(at + 1);
  return ref === '' ? { uri: normaliseSourceUri(text.slice(0, at)) } : { uri: normaliseSourceUri(text.slice(0, at)), ref };
}

function lowercaseHost(authority: string): string {
  const at = authority.lastIndexOf('@');
  return at < 0 ? authority.toLowerCase() : authority.slice(0, at + 1) + authority.slice(at + 1).toLowerCase();
}
