import { ProvenantError } from '@provenant/core/verification';
import type { IdentityPolicy } from '@provenant/verifier';
import { EXTENSION_NAMES, extensionFlag } from './sigstore-identity-flags.ts';

/** What addIdentityOptions adds to a command's options. */
export interface IdentityFlags {
  trustedRoot: string[];
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
  certificateNoOidcIssuer?: boolean;
  denySelfHostedRunners?: boolean;
  [flag: string]: unknown;
}

/**
 * The identity the flags describe, or undefined when none is given. Like cosign, a SAN constraint
 * and an issuer constraint go together: one without the other is a usage error (exit 2).
 */
export function identityFromFlags(flags: IdentityFlags): IdentityPolicy | undefined {
  const identity: IdentityPolicy = {};
  const extensions: Record<string, string> = {};
  for (const name of EXTENSION_NAMES) {
    const value = flags[attributeOf(extensionFlag(name))];
    if (typeof value === 'string') extensions[name] = value;
  }
  if (flags.certificateIdentity !== undefined) identity.subjectAlternativeName = flags.certificateIdentity;
  if (flags.certificateIdentityRegexp !== undefined) identity.subjectAlternativeNameRegexp = flags.certificateIdentityRegexp;
  if (flags.certificateOidcIssuer !== undefined) identity.issuer = flags.certificateOidcIssuer;
  if (flags.certificateOidcIssuerRegexp !== undefined) identity.issuerRegexp = flags.certificateOidcIssuerRegexp;
  if (flags.certificateNoOidcIssuer === true) identity.noIssuer = true;
  if (flags.denySelfHostedRunners === true) identity.denySelfHostedRunners = true;
  if (Object.keys(extensions).length > 0) identity.extensions = extensions as IdentityPolicy['extensions'];
  if (Object.keys(identity).length === 0) return undefined;
  const sans = [identity.subjectAlternativeName, identity.subjectAlternativeNameRegexp].filter((v) => v !== undefined).length;
  const issuers = [identity.issuer, identity.issuerRegexp, identity.noIssuer].filter((v) => v !== undefined).length;
  if (sans !== 1) throw new ProvenantError('USAGE', 'a keyless identity needs exactly one of --certificate-identity and --certificate-identity-regexp');
  if (issuers !== 1) throw new ProvenantError('USAGE', 'a keyless identity needs exactly one of --certificate-oidc-issuer, --certificate-oidc-issuer-regexp and --certificate-no-oidc-issuer');
  for (const [flag, source] of [
    ['--certificate-identity-regexp', identity.subjectAlternativeNameRegexp],
    ['--certificate-oidc-issuer-regexp', identity.issuerRegexp],
  ] as const) {
    if (source === undefined) continue;
    try {
      new RegExp(source);
    } catch (err) {
      throw new ProvenantError('USAGE', `${flag}: not a regular expression: ${(err as Error).message}`);
    }
  }
  return identity;
}

/** commander's attribute name of a long flag: `--certificate-source-repository-uri` -> `certificateSourceRepositoryUri`. */
function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
