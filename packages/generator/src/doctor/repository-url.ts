import { looksLikeSecret } from '../collectors/secrets.ts';
import { parseUrlParts, stripUrlCredentials } from '../collectors/url-credentials.ts';

/** npm's shorthand prefixes (`github:owner/repo`); a bare `owner/repo` means GitHub. */
const SHORTHAND_HOSTS: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };

/**
 * A repository URL reduced to `host/path`, so that the forms npm and git write for the same
 * repository compare equal: `git+https://github.com/o/r.git`, `https://github.com/o/r`,
 * `git@github.com:o/r.git`, `ssh://git@github.com/o/r`, `git://github.com/o/r.git`,
 * `github:o/r` and `o/r` all give `github.com/o/r`. The host is lower-cased and any port,
 * credentials, query and trailing `.git` or `/` dropped; the path keeps its case. Undefined for
 * anything that names no host and path (a local path, an empty string).
 */
export function normaliseRepositoryUrl(url: string): string | undefined {
  const s = url.trim();
  const shorthand = /^(github|gitlab|bitbucket):([^/\s:]+\/[^/\s:]+)$/.exec(s);
  if (shorthand) return join(SHORTHAND_HOSTS[shorthand[1]!]!, shorthand[2]!);
  if (/^[\w.-]+\/[\w.-]+$/.test(s)) return join('github.com', s);
  const unprefixed = s.replace(/^git\+/i, '');
  // scp-like `[user@]host:path`, never `scheme://` (the `:` of a scheme is followed by `//`).
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(unprefixed);
  if (scp && !/^[a-z]$/i.test(scp[1]!)) return join(scp[1]!, scp[2]!);
  const parts = parseUrlParts(unprefixed);
  if (!parts || !['https', 'http', 'ssh', 'git'].includes(parts.scheme.toLowerCase())) return undefined;
  const slash = parts.hostAndPath.indexOf('/');
  if (slash === -1) return undefined;
  return join(parts.hostAndPath.slice(0, slash).replace(/:\d*$/, ''), parts.hostAndPath.slice(slash + 1));
}

function join(host: string, path: string): string | undefined {
  const cleanPath = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  if (host === '' || cleanPath === '') return undefined;
  return `${host.toLowerCase()}/${cleanPath}`;
}

/** A URL fit to print: credentials, query and fragment removed; withheld if what is left still looks secret. */
export function printableUrl(url: string): string {
  const stripped = stripUrlCredentials(url);
  return looksLikeSecret(stripped) ? '(a URL that looks like it holds a secret)' : stripped;
}
