import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CertificateIdentity } from '../certificate-identity.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { verifyCertificateStatement } from './certificate-statement.ts';

const COMMIT = 'a'.repeat(40);
const view = (source?: ProvenanceView['source']): ProvenanceView => ({
  statementType: 'https://in-toto.io/Statement/v1',
  predicateType: 'https://slsa.dev/provenance/v1',
  subjects: [],
  dependencies: [],
  locations: { sourceUri: 'predicate.buildDefinition.externalParameters.workflow.repository', ref: 'predicate.buildDefinition.externalParameters.workflow.ref' },
  ...(source ? { source } : {}),
});
const cert = (extensions: CertificateIdentity['extensions'], issuer = 'https://token.actions.githubusercontent.com'): CertificateIdentity => ({ subjectAlternativeName: 'x', issuer, extensions });
const codes = (c: CertificateIdentity, v: ProvenanceView) => verifyCertificateStatement(c, v).map((f) => [f.code, f.actual]);

describe('verifyCertificateStatement', () => {
  const github = cert({ sourceRepositoryURI: 'https://github.com/Acme/App', sourceRepositoryDigest: COMMIT, sourceRepositoryRef: 'refs/tags/v1' });

  it('passes when the statement claims the certificate\'s source (URIs normalised, digests case-blind)', () => {
    assert.deepEqual(codes(github, view({ uri: 'https://github.com/Acme/App', ref: 'refs/tags/v1', commit: COMMIT.toUpperCase() })), []);
  });

  it('names each field the statement claims differently', () => {
    assert.deepEqual(codes(github, view({ uri: 'https://github.com/acme/other', ref: 'refs/heads/main', commit: 'b'.repeat(40) })), [
      ['CERTIFICATE_STATEMENT_MISMATCH', 'https://github.com/acme/other'],
      ['CERTIFICATE_STATEMENT_MISMATCH', 'b'.repeat(40)],
      ['CERTIFICATE_STATEMENT_MISMATCH', 'refs/heads/main'],
    ]);
  });

  it('compares only what both record', () => {
    assert.deepEqual(codes(github, view()), [], 'a statement without a source (npm publish, a release)');
    assert.deepEqual(codes(github, view({ uri: 'https://github.com/Acme/App' })), []);
    assert.deepEqual(codes(cert({}), view({ uri: 'https://github.com/acme/other', commit: COMMIT })), [], 'a certificate without source extensions');
  });

  it('reads the deprecated GitHub extensions of older certificates, for GitHub\'s issuer only', () => {
    const legacy = { githubWorkflowRepository: 'acme/app', githubWorkflowSHA: COMMIT, githubWorkflowRef: 'refs/heads/main' };
    assert.deepEqual(codes(cert(legacy), view({ uri: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: COMMIT })), []);
    assert.deepEqual(codes(cert(legacy), view({ uri: 'https://github.com/acme/fork', ref: 'refs/heads/main', commit: COMMIT })), [['CERTIFICATE_STATEMENT_MISMATCH', 'https://github.com/acme/fork']]);
    assert.deepEqual(codes(cert(legacy, 'https://gitlab.example'), view({ uri: 'https://github.com/acme/fork' })), []);
  });
});
