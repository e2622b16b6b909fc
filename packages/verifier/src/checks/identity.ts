import type { CertificateIdentity } from '../certificate-identity.ts';
import type { Finding } from '../finding.ts';
import { type FulcioExtensionName, FULCIO_EXTENSIONS } from '../fulcio-extensions.ts';
import { type IdentityPolicy, compileIdentity } from '../identity-policy.ts';

const LEAF = 'verificationMaterial.certificate';
const OID_OF = new Map<string, string>(FULCIO_EXTENSIONS.map((e) => [e.name, e.oid]));

/**
 * The certificate must satisfy one of the identities (all of its fields). When none does, the
 * findings are those of the identity that came closest (fewest failed fields, the first on a tie),
 * so that the one-identity case, the usual one, names every field that failed.
 */
export function verifyIdentity(cert: CertificateIdentity, identities: readonly IdentityPolicy[]): Finding[] {
  let best: Finding[] | undefined;
  for (const identity of identities) {
    const findings = identityFindings(cert, identity);
    if (findings.length === 0) return [];
    if (best === undefined || findings.length < best.length) best = findings;
  }
  if (best === undefined) return [];
  if (identities.length > 1) {
    for (const f of best) f.message = `${f.message} (no identity of ${identities.length} matches; the closest is shown)`;
  }
  return best;
}

function identityFindings(cert: CertificateIdentity, policy: IdentityPolicy): Finding[] {
  const id = compileIdentity(policy);
  const findings: Finding[] = [];
  const san = cert.subjectAlternativeName;
  if (policy.subjectAlternativeName !== undefined && san !== policy.subjectAlternativeName) {
    findings.push({ code: 'IDENTITY_MISMATCH', message: `the certificate identity (SAN) is ${show(san)}, not ${policy.subjectAlternativeName}`, path: LEAF, expected: policy.subjectAlternativeName, actual: san });
  }
  if (id.san && (san === undefined || !id.san.test(san))) {
    findings.push({ code: 'IDENTITY_MISMATCH', message: `the certificate identity (SAN) ${show(san)} does not match ${policy.subjectAlternativeNameRegexp} (anchored at both ends)`, path: LEAF, expected: id.san.source, actual: san });
  }
  const issuer = cert.issuer;
  if (policy.issuer !== undefined && issuer !== policy.issuer) {
    findings.push({ code: 'ISSUER_MISMATCH', message: `the certificate's OIDC issuer is ${show(issuer)}, not ${policy.issuer}`, path: LEAF, expected: policy.issuer, actual: issuer });
  }
  if (id.issuer && (issuer === undefined || !id.issuer.test(issuer))) {
    findings.push({ code: 'ISSUER_MISMATCH', message: `the certificate's OIDC issuer ${show(issuer)} does not match ${policy.issuerRegexp} (anchored at both ends)`, path: LEAF, expected: id.issuer.source, actual: issuer });
  }
  if (policy.noIssuer === true && issuer !== undefined) {
    findings.push({ code: 'ISSUER_MISMATCH', message: `the certificate names OIDC issuer ${issuer}, and the identity wants a certificate without one`, path: LEAF, expected: null, actual: issuer });
  }
  for (const [name, expected] of Object.entries(policy.extensions ?? {}) as [FulcioExtensionName, string][]) {
    const actual = cert.extensions[name];
    if (actual !== expected) {
      findings.push({
        code: 'CERTIFICATE_EXTENSION_MISMATCH',
        message: `certificate extension ${name} (${OID_OF.get(name)}) is ${show(actual)}, not ${expected}`,
        path: `${LEAF}.extensions.${name}`,
        expected,
        actual,
      });
    }
  }
  if (policy.denySelfHostedRunners === true) {
    const runner = cert.extensions.runnerEnvironment;
    if (runner === undefined || runner === 'self-hosted' || !/^[a-z0-9][a-z0-9-]*-hosted$/.test(runner)) {
      findings.push({
        code: 'CERTIFICATE_EXTENSION_MISMATCH',
        message: `the build ran on ${runner === undefined ? 'a runner the certificate does not name' : `a ${runner} runner`}, and self-hosted runners are denied`,
        path: `${LEAF}.extensions.runnerEnvironment`,
        expected: 'a platform-hosted runner (e.g. github-hosted)',
        actual: runner,
      });
    }
  }
  return findings;
}

function show(value: string | undefined): string {
  return value === undefined ? '(none)' : value;
}
