import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { FULCIO_EXTENSIONS } from '@provenant/verifier';
import { EXTENSION_NAMES, extensionFlag } from './sigstore-identity-flags.ts';
import { identityFromFlags } from './sigstore-identity.ts';

describe('certificate identity flags', () => {
  it('cover every Fulcio extension the verifier knows', () => {
    assert.deepEqual([...EXTENSION_NAMES], FULCIO_EXTENSIONS.map((e) => e.name));
  });

  it('are the extension names in kebab case, cosign\'s for the GitHub ones', () => {
    assert.equal(extensionFlag('sourceRepositoryURI'), '--certificate-source-repository-uri');
    assert.equal(extensionFlag('sourceRepositoryOwnerIdentifier'), '--certificate-source-repository-owner-identifier');
    assert.equal(extensionFlag('githubWorkflowSHA'), '--certificate-github-workflow-sha');
    assert.equal(extensionFlag('githubWorkflowRepository'), '--certificate-github-workflow-repository');
  });

  it('make one identity, a SAN constraint and an issuer constraint together', () => {
    assert.equal(identityFromFlags({ trustedRoot: [] }), undefined);
    assert.deepEqual(identityFromFlags({ trustedRoot: [], certificateIdentityRegexp: 'https://github\\.com/acme/.*', certificateOidcIssuer: 'https://token.actions.githubusercontent.com', certificateSourceRepositoryUri: 'https://github.com/acme/app', denySelfHostedRunners: true }), {
      subjectAlternativeNameRegexp: 'https://github\\.com/acme/.*',
      issuer: 'https://token.actions.githubusercontent.com',
      extensions: { sourceRepositoryURI: 'https://github.com/acme/app' },
      denySelfHostedRunners: true,
    });
    const usage = (e: unknown) => isProvenantError(e) && e.code === 'USAGE';
    assert.throws(() => identityFromFlags({ trustedRoot: [], certificateIdentity: 'a' }), usage);
    assert.throws(() => identityFromFlags({ trustedRoot: [], certificateOidcIssuer: 'a' }), usage);
    assert.throws(() => identityFromFlags({ trustedRoot: [], certificateSourceRepositoryUri: 'https://github.com/acme/app' }), usage, 'extensions alone trust anyone with them');
    assert.throws(() => identityFromFlags({ trustedRoot: [], certificateIdentity: 'a', certificateIdentityRegexp: 'a', certificateOidcIssuer: 'b' }), usage);
    assert.throws(() => identityFromFlags({ trustedRoot: [], certificateIdentityRegexp: '(', certificateOidcIssuer: 'b' }), usage);
  });
});
