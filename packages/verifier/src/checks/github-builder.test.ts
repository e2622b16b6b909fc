import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CertificateIdentity } from '../certificate-identity.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { type GitHubBuilderTrust, verifyGitHubBuilderCertificate, verifyGitHubBuilderStatement } from './github-builder.ts';

const GITHUB = 'https://token.actions.githubusercontent.com';
const GENERIC_AT = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0';
const OWN = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const TRUST: GitHubBuilderTrust = { sourceUris: ['https://github.com/acme/widget'] };

const cert = (san: string, extensions: CertificateIdentity['extensions'] = {}, issuer: string | null = GITHUB): CertificateIdentity => ({
  subjectAlternativeName: san,
  ...(issuer === null ? {} : { issuer }),
  extensions: { sourceRepositoryURI: 'https://github.com/acme/widget', runnerEnvironment: 'github-hosted', ...extensions },
});
const view = (builderId: string): ProvenanceView => ({ statementType: '', predicateType: 'https://slsa.dev/provenance/v1', subjects: [], dependencies: [], locations: {}, builderId });
const codes = (c: CertificateIdentity, builderId: string, trust = TRUST) => {
  const certificate = verifyGitHubBuilderCertificate(c, trust).map((f) => f.code);
  return certificate.length > 0 ? certificate : verifyGitHubBuilderStatement(c, view(builderId), trust).map((f) => f.code);
};

describe('GitHub builder trust (what --source-uri alone trusts)', () => {
  const cases: [name: string, cert: CertificateIdentity, builderId: string, trust: GitHubBuilderTrust, codes: string[]][] = [
    ['a trusted generator at a release', cert(GENERIC_AT), GENERIC_AT, TRUST, []],
    ['a repository given in another spelling', cert(GENERIC_AT, { sourceRepositoryURI: 'https://GitHub.com/acme/widget/' }), GENERIC_AT, TRUST, []],
    ['an older certificate with only the deprecated repository extension', cert(GENERIC_AT, { sourceRepositoryURI: undefined, githubWorkflowRepository: 'acme/widget' } as CertificateIdentity['extensions']), GENERIC_AT, TRUST, []],
    ['a certificate naming no repository', cert(GENERIC_AT, { sourceRepositoryURI: undefined } as CertificateIdentity['extensions']), GENERIC_AT, TRUST, ['SOURCE_MISMATCH']],
    ['no issuer at all', cert(GENERIC_AT, {}, null), GENERIC_AT, TRUST, ['ISSUER_MISMATCH']],
    ['a GitHub Enterprise issuer', cert(GENERIC_AT, {}, `${GITHUB}/acme`), GENERIC_AT, TRUST, ['ISSUER_MISMATCH']],
    ['a SAN that is not a GitHub workflow', cert('https://evil.example/x@refs/tags/v1.0.0'), GENERIC_AT, TRUST, ['IDENTITY_MISMATCH']],
    ['a generator look-alike in another repository', cert(GENERIC_AT.replace('slsa-framework/', 'slsa-framework-evil/')), GENERIC_AT, TRUST, ['IDENTITY_MISMATCH']],
    ['a workflow of a repository whose name extends the source\'s', cert('https://github.com/acme/widget-evil/.github/workflows/r.yml@refs/heads/main'), 'https://github.com/actions/runner/github-hosted', TRUST, ['IDENTITY_MISMATCH']],
    ['the repository\'s own workflow, GitHub-hosted', cert(OWN), 'https://github.com/actions/runner/github-hosted', TRUST, []],
    ['npm\'s 2023 builder id (bare actions/runner) means github-hosted', cert(OWN), 'https://github.com/actions/runner', TRUST, []],
    ['a runner builder id with a ref', cert(OWN), 'https://github.com/actions/runner/github-hosted@v2', TRUST, ['BUILDER_ID_MISMATCH']],
    ['the own workflow when --builder-id names only a generator', cert(OWN), 'https://github.com/actions/runner/github-hosted', { ...TRUST, ids: [GENERIC_AT] }, ['IDENTITY_MISMATCH']],
    ['a generator when --builder-id names only the runner', cert(GENERIC_AT), GENERIC_AT, { ...TRUST, ids: ['https://github.com/actions/runner/github-hosted'] }, ['IDENTITY_MISMATCH']],
    ['an empty --builder-id list admits nothing', cert(GENERIC_AT), GENERIC_AT, { ...TRUST, ids: [] }, ['IDENTITY_MISMATCH']],
    ['several repositories: one of them', cert(GENERIC_AT), GENERIC_AT, { sourceUris: ['https://github.com/acme/other', 'https://github.com/acme/widget'] }, []],
  ];
  for (const [name, c, builderId, trust, expected] of cases) {
    it(`${name}: ${expected.length === 0 ? 'trusted' : expected.join(', ')}`, () => assert.deepEqual(codes(c, builderId, trust), expected));
  }
});
