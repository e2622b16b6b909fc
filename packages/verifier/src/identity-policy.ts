import { type FulcioExtensions, isFulcioExtensionName } from './fulcio-extensions.ts';

/**
 * Who may sign keyless: constraints on the signing certificate, named after cosign's flags. An
 * identity is usable (a trust constraint) when it constrains the SAN (exactly or by regexp) and
 * the OIDC issuer (exactly, by regexp, or as absent); every field that is set must hold.
 */
export interface IdentityPolicy {
  /** The SAN, exactly (cosign `--certificate-identity`). */
  subjectAlternativeName?: string;
  /**
   * A regular expression the whole SAN must match (cosign `--certificate-identity-regexp`). Always
   * anchored at both ends: `https://github\.com/acme/.*` does not admit
   * `https://evil.example/?https://github.com/acme/x`.
   */
  subjectAlternativeNameRegexp?: string;
  /** The OIDC issuer, exactly (cosign `--certificate-oidc-issuer`). */
  issuer?: string;
  /** A regular expression the whole issuer must match, anchored (cosign `--certificate-oidc-issuer-regexp`). */
  issuerRegexp?: string;
  /**
   * The certificate must carry no OIDC issuer: for a CA that certifies its own service, such as
   * GitHub's release attester (`https://dotcom.releases.github.com`). Counts as the issuer constraint.
   */
  noIssuer?: boolean;
  /** Fulcio extensions that must be present with exactly these values, e.g. `{ sourceRepositoryURI: 'https://github.com/acme/app' }`. */
  extensions?: FulcioExtensions;
  /** The runner environment extension must name a platform-hosted runner (`github-hosted`); `self-hosted` or absent fails. */
  denySelfHostedRunners?: boolean;
}

/** An identity policy with its regular expressions compiled (anchored). */
export interface CompiledIdentity {
  policy: IdentityPolicy;
  san?: RegExp;
  issuer?: RegExp;
}

/**
 * What is wrong with an identity policy, one message per problem; empty when it is usable. A
 * policy built in code bypasses the policy file's schema, so this is checked again before use.
 */
export function identityProblems(identity: unknown, where = 'identity'): string[] {
  if (identity === null || typeof identity !== 'object' || Array.isArray(identity)) return [`${where} must be an object`];
  const id = identity as Record<string, unknown>;
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value = id[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      problems.push(`${where}.${key} must be a non-empty string`);
      return undefined;
    }
    return value;
  };
  const san = text('subjectAlternativeName');
  const sanRegexp = text('subjectAlternativeNameRegexp');
  const issuer = text('issuer');
  const issuerRegexp = text('issuerRegexp');
  for (const key of ['noIssuer', 'denySelfHostedRunners']) {
    if (id[key] !== undefined && typeof id[key] !== 'boolean') problems.push(`${where}.${key} must be true or false`);
  }
  const noIssuer = id.noIssuer === true;
  if ((san === undefined) === (sanRegexp === undefined)) problems.push(`${where} needs exactly one of subjectAlternativeName and subjectAlternativeNameRegexp`);
  if ([issuer, issuerRegexp, noIssuer || undefined].filter((v) => v !== undefined).length !== 1) {
    problems.push(`${where} needs exactly one of issuer, issuerRegexp and noIssuer`);
  }
  for (const [key, source] of [
    ['subjectAlternativeNameRegexp', sanRegexp],
    ['issuerRegexp', issuerRegexp],
  ] as const) {
    if (source !== undefined && compileAnchored(source) === undefined) problems.push(`${where}.${key} is not a valid regular expression: ${source.slice(0, 80)}`);
  }
  const extensions = id.extensions;
  if (extensions !== undefined) {
    if (extensions === null || typeof extensions !== 'object' || Array.isArray(extensions)) problems.push(`${where}.extensions must be an object`);
    else {
      for (const [name, value] of Object.entries(extensions)) {
        if (!isFulcioExtensionName(name)) problems.push(`${where}.extensions.${name} is not a Fulcio extension provenant knows`);
        else if (typeof value !== 'string' || value === '') problems.push(`${where}.extensions.${name} must be a non-empty string`);
      }
    }
  }
  return problems;
}

/** Compiles a usable identity policy (see identityProblems); regexps are anchored at both ends. */
export function compileIdentity(policy: IdentityPolicy): CompiledIdentity {
  const compiled: CompiledIdentity = { policy };
  if (policy.subjectAlternativeNameRegexp !== undefined) compiled.san = compileAnchored(policy.subjectAlternativeNameRegexp);
  if (policy.issuerRegexp !== undefined) compiled.issuer = compileAnchored(policy.issuerRegexp);
  return compiled;
}

/**
 * `^(?:source)$`. The source is compiled alone first: a source that is a regexp by itself has
 * balanced groups, so it cannot close the wrapping group and escape the anchors (`a)|(b`).
 */
export function compileAnchored(source: string): RegExp | undefined {
  try {
    new RegExp(source);
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}
