import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CertificateIdentity } from '../certificate-identity.ts';
import { verifyIdentity } from './identity.ts';

const CERT: CertificateIdentity = {
  subjectAlternativeName: 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1',
  issuer: 'https://token.actions.githubusercontent.com',
  extensions: { sourceRepositoryURI: 'https://github.com/acme/app', runnerEnvironment: 'github-hosted', sourceRepositoryOwnerIdentifier: '42' },
};
const codes = (cert: CertificateIdentity, ...ids: Parameters<typeof verifyIdentity>[1]) => verifyIdentity(cert, ids).map((f) => f.code);

describe('verifyIdentity', () => {
  it('passes an identity whose every field holds', () => {
    assert.deepEqual(codes(CERT, { subjectAlternativeName: CERT.subjectAlternativeName, issuer: CERT.issuer, extensions: { sourceRepositoryOwnerIdentifier: '42' }, denySelfHostedRunners: true }), []);
    assert.deepEqual(codes(CERT, { subjectAlternativeNameRegexp: 'https://github\\.com/acme/app/\\.github/workflows/.+@refs/tags/v.*', issuerRegexp: 'https://token\\.actions\\.githubusercontent\\.com' }), []);
  });

  it('names each field that fails', () => {
    assert.deepEqual(codes(CERT, { subjectAlternativeName: 'https://github.com/acme/app', issuer: 'https://accounts.google.com', extensions: { sourceRepositoryURI: 'https://github.com/acme/other' } }), [
      'IDENTITY_MISMATCH',
      'ISSUER_MISMATCH',
      'CERTIFICATE_EXTENSION_MISMATCH',
    ]);
  });

  it('anchors regexps: a prefix or a contained pattern does not match', () => {
    assert.deepEqual(codes(CERT, { subjectAlternativeNameRegexp: 'https://github\\.com/acme', issuer: CERT.issuer! }), ['IDENTITY_MISMATCH']);
    const evil = { ...CERT, subjectAlternativeName: 'https://evil.example/?https://github.com/acme/x' };
    assert.deepEqual(codes(evil, { subjectAlternativeNameRegexp: 'https://github.com/acme/.*', issuer: CERT.issuer! }), ['IDENTITY_MISMATCH']);
  });

  it('noIssuer admits only a certificate without one', () => {
    const attester: CertificateIdentity = { subjectAlternativeName: 'https://dotcom.releases.github.com', extensions: {} };
    assert.deepEqual(codes(attester, { subjectAlternativeName: 'https://dotcom.releases.github.com', noIssuer: true }), []);
    assert.deepEqual(codes({ ...attester, issuer: 'https://token.actions.githubusercontent.com' }, { subjectAlternativeName: 'https://dotcom.releases.github.com', noIssuer: true }), ['ISSUER_MISMATCH']);
    assert.deepEqual(codes(attester, { subjectAlternativeName: 'https://dotcom.releases.github.com', issuer: 'https://token.actions.githubusercontent.com' }), ['ISSUER_MISMATCH']);
  });

  it('denies self-hosted runners, and a certificate that does not say', () => {
    const id = { subjectAlternativeName: CERT.subjectAlternativeName!, issuer: CERT.issuer!, denySelfHostedRunners: true };
    assert.deepEqual(codes({ ...CERT, extensions: { runnerEnvironment: 'self-hosted' } }, id), ['CERTIFICATE_EXTENSION_MISMATCH']);
    assert.deepEqual(codes({ ...CERT, extensions: {} }, id), ['CERTIFICATE_EXTENSION_MISMATCH']);
  });

  it('passes when any identity matches; otherwise reports the closest', () => {
    const far = { subjectAlternativeName: 'x', issuer: 'y' };
    const near = { subjectAlternativeName: CERT.subjectAlternativeName!, issuer: 'y' };
    assert.deepEqual(codes(CERT, far, { subjectAlternativeName: CERT.subjectAlternativeName!, issuer: CERT.issuer! }), []);
    const findings = verifyIdentity(CERT, [far, near]);
    assert.deepEqual(findings.map((f) => f.code), ['ISSUER_MISMATCH']);
    assert.match(findings[0]!.message, /no identity of 2 matches/);
  });
});
