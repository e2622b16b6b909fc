import { isProvenantError } from '@provenant/core';
import { LineCounter, parseDocument } from 'yaml';
import type { IdentityPolicy } from './identity-policy.ts';
import type { Policy } from './policy.ts';
import { parsePolicy } from './policy-file.ts';

/** One problem in a policy file, at a 1-based line and column. */
export interface PolicyLintProblem {
  severity: 'error' | 'warning';
  line: number;
  col: number;
  message: string;
}

/**
 * Checks a policy file without verifying anything. Errors are what parsePolicy refuses (the file
 * would fail `provenant verify` with POLICY_INVALID). Warnings, only for a valid file, are weak
 * spots: no source constraint (any repository's build passes), no builder constraint, a builder id
 * prefix that is a bare host or not a URL (every builder there passes), and a SAN regexp that does
 * not start with a literal host (or escapes none of its dots), so that a look-alike host matches.
 */
export function lintPolicy(text: string, source = 'policy'): PolicyLintProblem[] {
  let policy: Policy;
  try {
    policy = parsePolicy(text, source);
  } catch (err) {
    if (!isProvenantError(err) || err.code !== 'POLICY_INVALID') throw err;
    return err.message
      .split('\n')
      .map((line): PolicyLintProblem => {
        const m = /^(\d+):(\d+): (.*)$/.exec(line.startsWith(`${source}:`) ? line.slice(source.length + 1) : line);
        return m ? { severity: 'error', line: Number(m[1]), col: Number(m[2]), message: m[3]! } : { severity: 'error', line: 1, col: 1, message: line };
      })
      .sort((a, b) => a.line - b.line || a.col - b.col);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = (path: (string | number)[]): { line: number; col: number } => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  };
  const warnings: PolicyLintProblem[] = [];
  const warn = (path: (string | number)[], message: string) => warnings.push({ severity: 'warning', ...at(path), message });

  if (policy.source?.uris === undefined) warn(['source'], 'no source constraint (source.uris): a build of any repository, a fork included, passes');
  if (policy.builder === undefined && policy.githubBuilder === undefined) warn(['builder'], 'no builder constraint (builder.ids or builder.idPrefixes): provenance from any build platform passes');
  policy.builder?.idPrefixes?.forEach((prefix, i) => {
    const why = broadPrefix(prefix);
    if (why) warn(['builder', 'idPrefixes', i], `builder prefix ${JSON.stringify(prefix)} is too broad: ${why}`);
  });
  policy.trustedBuilders?.forEach((entry, i) => {
    const why = entry.builderIdPrefix === undefined ? undefined : broadPrefix(entry.builderIdPrefix);
    if (why) warn(['trustedBuilders', i, 'builderIdPrefix'], `trusted builder prefix ${JSON.stringify(entry.builderIdPrefix)} is too broad: ${why}`);
    if (entry.signer?.identity) identityWarning(entry.signer.identity, ['trustedBuilders', i, 'signer', 'identity', 'subjectAlternativeNameRegexp'], warn);
  });
  for (const [i, identity] of (policy.identities ?? []).entries()) identityWarning(identity, ['identities', i, 'subjectAlternativeNameRegexp'], warn);
  return warnings.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Why a builder id prefix admits too much, or undefined: it must be a URL with a path below its host. */
function broadPrefix(prefix: string): string | undefined {
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    return 'it is not a URL, so it names no build platform';
  }
  if (url.host === '') return 'it names no host';
  if (url.pathname === '' || url.pathname === '/') return `it admits every builder on ${url.host}; name the builder (a path below the host)`;
  return undefined;
}

/** A literal `scheme://host` at the start of a regexp: letters, digits, `-`, and escaped dots. */
const LITERAL_HOST = /^\^?[a-z][a-z0-9+.-]*:\/\/((?:[A-Za-z0-9-]|\\\.)+)(?::\d+)?(?:\/|\\\/|\$?$)/;
/** An email SAN regexp ending in a literal `@domain`. */
const LITERAL_EMAIL_DOMAIN = /@(?:[A-Za-z0-9-]+\\\.)+[A-Za-z]{2,}\$?$/;

function identityWarning(identity: IdentityPolicy, path: (string | number)[], warn: (path: (string | number)[], message: string) => void): void {
  const source = identity.subjectAlternativeNameRegexp;
  if (source === undefined) return;
  if (LITERAL_HOST.test(source) || LITERAL_EMAIL_DOMAIN.test(source)) return;
  const unescaped = /^\^?[a-z][a-z0-9+.-]*:\/\/[A-Za-z0-9-]+\.[A-Za-z]/.test(source);
  warn(
    path,
    unescaped
      ? `SAN regexp ${JSON.stringify(source)} does not escape the dots of its host: "." matches any character, so a look-alike host matches (write \\.)`
      : `SAN regexp ${JSON.stringify(source)} has no literal host: it can match an identity from any host; start it with https://<host>/ (dots escaped)`,
  );
}
