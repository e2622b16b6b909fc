import type { CertificateIdentity } from '../certificate-identity.ts';
import type { Finding } from '../finding.ts';
import { GITHUB_ACTIONS_ISSUER } from '../github-builders.ts';
import { normaliseSourceUri } from '../source-uri.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/**
 * The source a keyless certificate vouches for (Fulcio's Source Repository URI, Digest and Ref,
 * else the deprecated GitHub workflow extensions) must be the one the statement claims. The
 * statement is the signer's word; the certificate is the identity provider's. A field either side
 * does not record is not compared.
 */
export function verifyCertificateStatement(cert: CertificateIdentity, view: ProvenanceView): Finding[] {
  const source = view.source;
  if (source === undefined) return [];
  const claimed = certificateSource(cert);
  const findings: Finding[] = [];
  const path = (field: string) => view.locations.sourceUri ?? `predicate.${field}`;
  if (claimed.uri !== undefined && normaliseSourceUri(claimed.uri) !== source.uri) {
    findings.push(mismatch('repository', claimed.uri, source.uri, path('source')));
  }
  if (claimed.commit !== undefined && source.commit !== undefined && claimed.commit.toLowerCase() !== source.commit.toLowerCase()) {
    findings.push(mismatch('commit', claimed.commit, source.commit, path('source')));
  }
  if (claimed.ref !== undefined && source.ref !== undefined && claimed.ref !== source.ref) {
    findings.push(mismatch('ref', claimed.ref, source.ref, view.locations.ref ?? path('source')));
  }
  return findings;
}

/**
 * The source a certificate vouches for: Source Repository URI, Digest and Ref, else (GitHub's
 * issuer only) the deprecated workflow repository, SHA and ref extensions of older certificates.
 */
export function certificateSource(cert: CertificateIdentity): { uri?: string; commit?: string; ref?: string } {
  const ext = cert.extensions;
  const legacy = cert.issuer === GITHUB_ACTIONS_ISSUER;
  const repo = ext.githubWorkflowRepository;
  const out: { uri?: string; commit?: string; ref?: string } = {};
  const uri = ext.sourceRepositoryURI ?? (legacy && repo !== undefined ? `https://github.com/${repo}` : undefined);
  const commit = ext.sourceRepositoryDigest ?? (legacy ? ext.githubWorkflowSHA : undefined);
  const ref = ext.sourceRepositoryRef ?? (legacy ? ext.githubWorkflowRef : undefined);
  if (uri !== undefined) out.uri = uri;
  if (commit !== undefined) out.commit = commit;
  if (ref !== undefined) out.ref = ref;
  return out;
}

function mismatch(what: string, certificate: string, statement: string, path: string): Finding {
  return {
    code: 'CERTIFICATE_STATEMENT_MISMATCH',
    message: `the statement claims source ${what} ${statement}, and the signing certificate says ${certificate}`,
    path,
    expected: certificate,
    actual: statement,
  };
}
