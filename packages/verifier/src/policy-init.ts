import { ProvenantError, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '@provenant/core';
import { stringify } from 'yaml';
import type { CertificateIdentity } from './certificate-identity.ts';
import type { AttestationSummary } from './inspect-attestation.ts';
import { parsePolicy } from './policy-file.ts';

/** Options of initPolicy. */
export interface PolicyInitOptions {
  /** The attestation file, named in the header comment. */
  from: string;
  /** When the policy was written, for the header comment. */
  now: Date;
  /** Oldest acceptable build; default `30d`. */
  maxAge?: string;
}

/** OIDC issuers of hosted build platforms whose hosted runners count as SLSA Build L2 signers. */
const HOSTED_ISSUERS: Readonly<Record<string, string>> = {
  'https://token.actions.githubusercontent.com': 'github-hosted',
  'https://gitlab.com': 'gitlab-hosted',
};

/**
 * A starting policy (YAML, with a comment on every line) from an attestation that is trusted today:
 * its predicate type, builder, source repository and ref, build type, signer, a root of trust for
 * its builder, and a maximum age. Each value is generalised just enough to admit the next build:
 * - a builder id or keyless SAN that pins a git ref (`…@refs/tags/v1.2.0`) is admitted by its part
 *   before the `@` (builder prefix) or by an anchored regexp over any tag;
 * - a branch ref stays exact; a tag ref becomes `refs/tags/*`; any other ref stays exact;
 * - the root of trust grants level 2 only to a keyless signer of a hosted platform's issuer on a
 *   platform-hosted runner, else level 1; level 3 is left for a person to grant.
 * The attestation is read, not verified: the header says so. The result is checked with
 * parsePolicy before it is returned. Throws STATEMENT_INVALID when it is not SLSA provenance.
 */
export function initPolicy(summary: AttestationSummary, options: PolicyInitOptions): string {
  const view = summary.view;
  if (view === undefined) {
    throw new ProvenantError('STATEMENT_INVALID', `${options.from} holds no readable in-toto statement${summary.findings[0] ? `: ${summary.findings[0].message}` : ''}`);
  }
  if (view.predicateType !== SLSA_PROVENANCE_V1 && view.predicateType !== SLSA_PROVENANCE_V02) {
    throw new ProvenantError('STATEMENT_INVALID', `${options.from} is not SLSA provenance (predicate type ${view.predicateType})`);
  }
  const lines: string[] = [
    `# provenant policy, written by \`provenant policy init\` from ${options.from} on ${options.now.toISOString().slice(0, 10)}.`,
    '# The attestation was read, not verified: verify it (`provenant verify ... --policy THIS_FILE`) before',
    '# relying on this policy, and review every line. `provenant policy lint THIS_FILE` checks it.',
    'apiVersion: provenant.dev/v1',
    'kind: Policy',
    '# Only SLSA provenance of this version is accepted (not SBOMs, VSAs or other statements).',
    'predicateTypes:',
    `  - ${scalar(view.predicateType)}`,
  ];
  const builder = view.builderId === undefined ? undefined : builderConstraint(view.builderId);
  if (builder !== undefined) {
    lines.push(
      builder.kind === 'prefix'
        ? `# The build platform: this builder at any ref (its id pinned ${view.builderId!.slice(builder.value.length + 1)}; matched at the "@").`
        : '# The build platform: exactly this builder id.',
      'builder:',
      `  ${builder.kind === 'prefix' ? 'idPrefixes' : 'ids'}:`,
      `    - ${scalar(builder.value)}`,
    );
  }
  if (view.source !== undefined) {
    lines.push('# Where the source must come from (a fork or another repository fails), and from which refs.', 'source:', '  uris:', `    - ${scalar(view.source.uri)}`);
    const ref = view.source.ref;
    if (ref !== undefined) {
      const tag = ref.startsWith('refs/tags/');
      lines.push(tag ? '  # Built from a tag: any tag (`*` stays within one path segment).' : `  # Built from ${ref.startsWith('refs/heads/') ? 'a branch' : 'this ref'}: only this one.`, '  refs:', `    - ${scalar(tag ? 'refs/tags/*' : ref)}`);
    }
  }
  if (view.buildType !== undefined) {
    lines.push('# How the provenance is to be read: its external parameters mean what this build type says.', 'buildTypes:', `  - ${scalar(view.buildType)}`);
  }
  const signer = signerLines(summary);
  if (summary.certificate !== undefined && signer.identity !== undefined) {
    lines.push('# Who may sign keyless: the signing certificate (SAN and OIDC issuer) must match.', 'identities:', ...signer.identity.map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)));
  }
  if (builder !== undefined) {
    const level = signer.level;
    lines.push(
      '# Roots of trust: the SLSA Build level artifacts of this builder reach when this signer signed.',
      `# Level ${level}: ${level === 2 ? 'signed by a hosted build platform (its OIDC identity, a platform-hosted runner)' : 'provenance exists and verifies; raise to 2 only if this signer is a hosted build platform'}.`,
      '# Level 3 (a hardened, isolated builder) is for you to grant, from the platform\'s SLSA claims.',
      'trustedBuilders:',
      `  - ${builder.kind === 'prefix' ? 'builderIdPrefix' : 'builderId'}: ${scalar(builder.value)}`,
    );
    if (signer.keyId !== undefined) lines.push('    signer:', `      keyId: ${scalar(signer.keyId)}`);
    else if (signer.identity !== undefined) lines.push('    signer:', '      identity:', ...signer.identity.map((l) => `        ${l}`));
    else lines.push('    # No signer: the bundle names no key. Without one, level 1 is the most an entry grants.');
    lines.push(`    maxLevel: ${level}`);
  }
  lines.push('# The oldest build accepted, from its finish time: re-verifying an old release fails after this.', `maxAge: ${scalar(options.maxAge ?? '30d')}`);
  const text = `${lines.join('\n')}\n`;
  try {
    parsePolicy(text, 'generated policy');
  } catch (err) {
    throw new ProvenantError('INTERNAL', `policy init wrote a policy that does not parse: ${(err as Error).message}`, { cause: err });
  }
  return text;
}

/** A builder id that pins a git ref is admitted by its part before the `@`; any other, exactly. */
function builderConstraint(id: string): { kind: 'exact' | 'prefix'; value: string } {
  const at = id.indexOf('@refs/');
  return at > 0 ? { kind: 'prefix', value: id.slice(0, at) } : { kind: 'exact', value: id };
}

function signerLines(summary: AttestationSummary): { keyId?: string; identity?: string[]; level: 1 | 2 } {
  const cert = summary.certificate;
  if (cert === undefined) {
    const keyId = summary.keyHints.find((h) => /^[0-9a-fA-F]{64}$/.test(h));
    return keyId === undefined ? { level: 1 } : { keyId, level: 1 };
  }
  return { identity: identityLines(cert), level: hostedSigner(cert) ? 2 : 1 };
}

function identityLines(cert: CertificateIdentity): string[] {
  const lines: string[] = [];
  const san = cert.subjectAlternativeName ?? '';
  const tagAt = san.indexOf('@refs/tags/');
  if (tagAt > 0) lines.push(`subjectAlternativeNameRegexp: ${scalar(`${escapeRegExp(san.slice(0, tagAt))}@refs/tags/.+`)}`);
  else lines.push(`subjectAlternativeName: ${scalar(san)}`);
  lines.push(cert.issuer === undefined ? 'noIssuer: true' : `issuer: ${scalar(cert.issuer)}`);
  const repository = cert.extensions.sourceRepositoryURI;
  if (repository !== undefined) lines.push('extensions:', `  sourceRepositoryURI: ${scalar(repository)}`);
  return lines;
}

/** A keyless signer from a hosted platform's issuer, on a runner the certificate says is platform-hosted. */
function hostedSigner(cert: CertificateIdentity): boolean {
  const hosted = cert.issuer === undefined ? undefined : HOSTED_ISSUERS[cert.issuer];
  return hosted !== undefined && cert.extensions.runnerEnvironment === hosted;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A YAML scalar, quoted only when plain text would be read as something else. */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}
