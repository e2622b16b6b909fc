// slsa-verifier's flags on `provenant verify`: `--source-uri` alone trusts GitHub-built provenance
// (GitHub Actions' issuer, the repository, a trusted builder), `--builder-id`, `--source-branch`,
// `--source-tag`, `--source-versioned-tag`, `--build-workflow-input`. Bundles are signed keyless
// against the local Sigstore stack with GitHub Actions claims; each failure is named after what it shows.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type SigstoreStack, signKeyless, startSigstoreStack } from '@provenant/testkit';
import { type CliResult, errorCode, runCliInProcess } from './support/cli.ts';

const GITHUB = 'https://token.actions.githubusercontent.com';
const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows';
const GENERIC = `${GENERATOR}/generator_generic_slsa3.yml`;
const GENERIC_AT = `${GENERIC}@refs/tags/v1.9.0`;
const DELEGATOR_AT = `${GENERATOR}/delegator_generic_slsa3.yml@refs/tags/v1.9.0`;
const OWN_WORKFLOW = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3';
const HOSTED = 'https://github.com/actions/runner/github-hosted';
const SELF_HOSTED = 'https://github.com/actions/runner/self-hosted';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const ARTIFACT = Buffer.from('a release binary\n');
const ARTIFACT_SHA256 = createHash('sha256').update(ARTIFACT).digest('hex');
const INPUTS = { release_version: 'v1.2.3', dry_run: false };

/** A certificate for `signer` (the SAN and build signer), a build of acme/widget at v1.2.3 on GitHub. */
function claims(signer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    issuer: GITHUB,
    subject: signer,
    job_workflow_ref: signer.replace('https://github.com/', ''),
    repository: 'acme/widget',
    repository_owner: 'acme',
    sha: COMMIT,
    ref: 'refs/tags/v1.2.3',
    event_name: 'workflow_dispatch',
    runner_environment: 'github-hosted',
    ...extra,
  };
}

interface Provenance {
  builderId: string;
  /** SLSA v1 build type; slsa-framework's workflow/v1 by default. */
  buildType?: string;
  repository?: string;
  ref?: string;
  /** `v0.2` writes slsa-github-generator's SLSA v0.2 shape (inputs in the event payload). */
  version?: 'v1' | 'v0.2';
}

function statement(p: Provenance): Buffer {
  const repository = p.repository ?? 'https://github.com/acme/widget';
  const ref = p.ref ?? 'refs/tags/v1.2.3';
  const subject = [{ name: 'widget-linux-amd64', digest: { sha256: ARTIFACT_SHA256 } }];
  if (p.version === 'v0.2') {
    return Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v0.1',
        subject,
        predicateType: 'https://slsa.dev/provenance/v0.2',
        predicate: {
          builder: { id: p.builderId },
          buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
          invocation: {
            configSource: { uri: `git+${repository}@${ref}`, digest: { sha1: COMMIT }, entryPoint: '.github/workflows/release.yml' },
            parameters: {},
            environment: { github_event_name: 'workflow_dispatch', github_event_payload: { inputs: { release_version: 'v1.2.3', dry_run: 'false' } } },
          },
          materials: [{ uri: `git+${repository}@${ref}`, digest: { sha1: COMMIT } }],
        },
      }),
    );
  }
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject,
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: p.buildType ?? 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
          externalParameters: { workflow: { ref, repository, path: '.github/workflows/release.yml' }, inputs: INPUTS },
          internalParameters: { github: { event_name: 'workflow_dispatch', repository_id: '101', repository_owner_id: '202' } },
          resolvedDependencies: [{ uri: `git+${repository}@${ref}`, digest: { gitCommit: COMMIT } }],
        },
        runDetails: { builder: { id: p.builderId }, metadata: { invocationId: 'https://github.com/acme/widget/actions/runs/1/attempts/1' } },
      },
    }),
  );
}

describe('slsa-verifier flags on `provenant verify`', () => {
  let stack: SigstoreStack;
  let dir: string;
  let artifact: string;
  let root: string;
  let n = 0;

  before(async () => {
    stack = await startSigstoreStack();
    dir = await mkdtemp(join(tmpdir(), 'provenant-slsa-verifier-'));
    artifact = join(dir, 'widget-linux-amd64');
    await writeFile(artifact, ARTIFACT);
    root = join(dir, 'trusted_root.json');
    await stack.writeTrustedRoot(root);
  });
  after(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function signed(signer: string, provenance: Provenance, extraClaims: Record<string, string> = {}): Promise<string> {
    const json = await signKeyless(stack, statement(provenance), { identityToken: stack.identityToken(claims(signer, extraClaims)) });
    const path = join(dir, `bundle-${n++}.sigstore.json`);
    await writeFile(path, JSON.stringify(json));
    return path;
  }
  const verify = (bundle: string, ...args: string[]): Promise<CliResult> => runCliInProcess(['verify', artifact, '--bundle', bundle, '--trusted-root', root, ...args]);
  const codesOf = (r: CliResult) => [...r.stdout.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]);

  /** [what it shows, signer (certificate SAN), provenance, extra claims, flags, expected codes ([] = PASSED)] */
  const CASES: [string, string, Provenance, Record<string, string>, string[], string[]][] = [
    // slsa-github-generator's generic generator: it signs, and writes its own name@ref as the builder.
    ['the generic generator, trusted by --source-uri alone (slsa-verifier form)', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget'], []],
    ['the same with a scheme', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'https://github.com/acme/widget'], []],
    ['--builder-id name@tag admits name@refs/tags/tag', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', `${GENERIC}@v1.9.0`], []],
    ['--builder-id without a ref admits any release', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', GENERIC], []],
    ['tag, versioned tag and workflow inputs that hold', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-tag', 'v1.2.3', '--build-workflow-input', 'release_version=v1.2.3', '--build-workflow-input', 'dry_run=false'], []],
    ['versioned tag v1.2 admits v1.2.3', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-versioned-tag', 'v1.2'], []],
    ['SLSA v0.2 provenance, inputs from the event payload', GENERIC_AT, { builderId: GENERIC_AT, version: 'v0.2' }, {}, ['--source-uri', 'github.com/acme/widget', '--source-versioned-tag', 'v1', '--build-workflow-input', 'dry_run=false'], []],
    ['another repository than --source-uri (certificate)', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/other'], ['SOURCE_MISMATCH']],
    ['another generator version than --builder-id', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', `${GENERIC}@v1.8.0`], ['IDENTITY_MISMATCH']],
    ['another builder than --builder-id', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', `${GENERATOR}/builder_go_slsa3.yml`], ['IDENTITY_MISMATCH']],
    ['an untrusted reusable workflow', 'https://github.com/evil/gen/.github/workflows/gen.yml@refs/tags/v1.0.0', { builderId: 'https://github.com/evil/gen/.github/workflows/gen.yml@refs/tags/v1.0.0' }, {}, ['--source-uri', 'github.com/acme/widget'], ['IDENTITY_MISMATCH']],
    ['a trusted generator at a branch, not a release', `${GENERIC}@refs/heads/main`, { builderId: `${GENERIC}@refs/heads/main` }, {}, ['--source-uri', 'github.com/acme/widget'], ['IDENTITY_MISMATCH']],
    ['a trusted generator at a prerelease', `${GENERIC}@refs/tags/v1.9.0-rc.1`, { builderId: `${GENERIC}@refs/tags/v1.9.0-rc.1` }, {}, ['--source-uri', 'github.com/acme/widget'], ['IDENTITY_MISMATCH']],
    ['an identity provider other than GitHub Actions', GENERIC_AT, { builderId: GENERIC_AT }, { issuer: 'https://gitlab.example' }, ['--source-uri', 'github.com/acme/widget'], ['ISSUER_MISMATCH']],
    ['provenance naming another builder than the one that signed', GENERIC_AT, { builderId: `${GENERATOR}/builder_go_slsa3.yml@refs/tags/v1.9.0` }, {}, ['--source-uri', 'github.com/acme/widget'], ['BUILDER_ID_MISMATCH']],
    ['provenance claiming another repository than the certificate', GENERIC_AT, { builderId: GENERIC_AT, repository: 'https://github.com/acme/other' }, {}, ['--source-uri', 'github.com/acme/widget'], ['CERTIFICATE_STATEMENT_MISMATCH', 'SOURCE_MISMATCH']],
    ['--source-branch on a tag build', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-branch', 'main'], ['REF_MISMATCH']],
    ['another tag', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-tag', 'v1.2.4'], ['REF_MISMATCH']],
    ['another major version', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-versioned-tag', 'v2'], ['REF_MISMATCH']],
    ['another minor version', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--source-versioned-tag', 'v1.3'], ['REF_MISMATCH']],
    ['a workflow input with another value, and one never given', GENERIC_AT, { builderId: GENERIC_AT }, {}, ['--source-uri', 'github.com/acme/widget', '--build-workflow-input', 'release_version=v9', '--build-workflow-input', 'target=prod'], ['WORKFLOW_INPUT_MISMATCH', 'WORKFLOW_INPUT_MISMATCH']],
    // BYOB: the delegator signs for a tool's reusable workflow, named as the builder in the provenance.
    ['a BYOB builder of slsa-github-generator, through its delegator', DELEGATOR_AT, { builderId: `${GENERATOR}/builder_nodejs_slsa3.yml@refs/tags/v1.9.0` }, {}, ['--source-uri', 'github.com/acme/widget'], []],
    ['a third-party BYOB builder that --builder-id names', DELEGATOR_AT, { builderId: 'https://github.com/acme-tools/builder/.github/workflows/build.yml@refs/tags/v2.0.0' }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', 'https://github.com/acme-tools/builder/.github/workflows/build.yml'], []],
    ['a third-party BYOB builder without --builder-id', DELEGATOR_AT, { builderId: 'https://github.com/acme-tools/builder/.github/workflows/build.yml@refs/tags/v2.0.0' }, {}, ['--source-uri', 'github.com/acme/widget'], ['BUILDER_ID_MISMATCH']],
    ['a BYOB builder at a branch', DELEGATOR_AT, { builderId: `${GENERATOR}/builder_nodejs_slsa3.yml@refs/heads/main` }, {}, ['--source-uri', 'github.com/acme/widget'], ['BUILDER_ID_MISMATCH']],
    // GitHub artifact attestations: the repository's own workflow signs; the builder is GitHub's runner.
    ['an artifact attestation from the repository\'s own workflow on a GitHub-hosted runner', OWN_WORKFLOW, { builderId: HOSTED, buildType: 'https://actions.github.io/buildtypes/workflow/v1' }, {}, ['--source-uri', 'github.com/acme/widget'], []],
    ['the same with --builder-id naming the runner', OWN_WORKFLOW, { builderId: HOSTED, buildType: 'https://actions.github.io/buildtypes/workflow/v1' }, {}, ['--source-uri', 'github.com/acme/widget', '--builder-id', HOSTED], []],
    ['a self-hosted runner, not trusted by default', OWN_WORKFLOW, { builderId: SELF_HOSTED }, { runner_environment: 'self-hosted' }, ['--source-uri', 'github.com/acme/widget'], ['CERTIFICATE_EXTENSION_MISMATCH']],
    ['a self-hosted runner that --builder-id names', OWN_WORKFLOW, { builderId: SELF_HOSTED }, { runner_environment: 'self-hosted' }, ['--source-uri', 'github.com/acme/widget', '--builder-id', SELF_HOSTED], []],
    ['a self-hosted build whose provenance claims a GitHub-hosted runner', OWN_WORKFLOW, { builderId: HOSTED }, { runner_environment: 'self-hosted' }, ['--source-uri', 'github.com/acme/widget', '--builder-id', SELF_HOSTED], ['BUILDER_ID_MISMATCH']],
    ['a certificate that does not say where the build ran', OWN_WORKFLOW, { builderId: HOSTED }, { runner_environment: '' }, ['--source-uri', 'github.com/acme/widget'], ['CERTIFICATE_EXTENSION_MISMATCH']],
    ['an attestation signed by another repository\'s workflow', 'https://github.com/other/ci/.github/workflows/attest.yml@refs/heads/main', { builderId: HOSTED }, {}, ['--source-uri', 'github.com/acme/widget'], ['IDENTITY_MISMATCH']],
    ['the repository\'s own workflow naming itself as the builder', OWN_WORKFLOW, { builderId: OWN_WORKFLOW }, {}, ['--source-uri', 'github.com/acme/widget'], ['BUILDER_ID_MISMATCH']],
    // With a certificate identity, --source-uri and --builder-id constrain the statement only.
    ['an identity is the trust: --source-uri and --builder-id check the statement', OWN_WORKFLOW, { builderId: OWN_WORKFLOW }, {}, ['--certificate-identity', OWN_WORKFLOW, '--certificate-oidc-issuer', GITHUB, '--source-uri', 'github.com/acme/widget', '--builder-id', OWN_WORKFLOW.split('@')[0]!], []],
    ['an identity is the trust: a --builder-id the statement does not name', OWN_WORKFLOW, { builderId: OWN_WORKFLOW }, {}, ['--certificate-identity', OWN_WORKFLOW, '--certificate-oidc-issuer', GITHUB, '--builder-id', HOSTED], ['BUILDER_ID_MISMATCH']],
  ];

  for (const [name, signer, provenance, extraClaims, flags, codes] of CASES) {
    it(`${name}: ${codes.length === 0 ? 'PASSED' : codes.join(', ')}`, async () => {
      const r = await verify(await signed(signer, provenance, extraClaims), ...flags);
      assert.deepEqual(codesOf(r), codes, `${r.stdout}${r.stderr}`);
      assert.equal(r.status, codes.length === 0 ? 0 : 1, `${r.stdout}${r.stderr}`);
    });
  }

  it('without --source-uri, key or identity nothing is trusted: NO_TRUST_CONSTRAINT', async () => {
    const r = await verify(await signed(GENERIC_AT, { builderId: GENERIC_AT }), '--builder-id', GENERIC);
    assert.deepEqual(codesOf(r), ['NO_TRUST_CONSTRAINT']);
  });

  it('a key-signed bundle is not GitHub-built: KEY_UNTRUSTED', async () => {
    assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'k')])).status, 0);
    await writeFile(join(dir, 'statement.json'), statement({ builderId: GENERIC_AT }));
    const bundle = join(dir, 'key.sigstore.json');
    assert.equal((await runCliInProcess(['sign', join(dir, 'statement.json'), '--key', join(dir, 'k.key'), '--out', bundle])).status, 0);
    assert.deepEqual(codesOf(await verify(bundle, '--source-uri', 'github.com/acme/widget')), ['KEY_UNTRUSTED']);
  });

  it('a policy file can say the same: githubBuilder, source.versionedTag, workflowInputs', async () => {
    const policy = join(dir, 'slsa-verifier.policy.yaml');
    await writeFile(
      policy,
      [
        'apiVersion: provenant.dev/v1',
        'kind: Policy',
        'source: { uris: [https://github.com/acme/widget], versionedTag: v1 }',
        `githubBuilder: { ids: ["${GENERIC}"] }`,
        'workflowInputs: { release_version: v1.2.3 }',
      ].join('\n'),
    );
    const bundle = await signed(GENERIC_AT, { builderId: GENERIC_AT });
    assert.deepEqual(codesOf(await verify(bundle, '--policy', policy)), []);
    assert.deepEqual(codesOf(await verify(bundle, '--policy', policy, '--build-workflow-input', 'release_version=v2')), ['WORKFLOW_INPUT_MISMATCH']);
    assert.deepEqual(codesOf(await verify(bundle, '--policy', policy, '--builder-id', `${GENERATOR}/builder_go_slsa3.yml`)), ['IDENTITY_MISMATCH']);
  });

  const USAGE: [string, string[]][] = [
    ['--source-tag with --source-versioned-tag (as slsa-verifier)', ['--source-uri', 'github.com/acme/widget', '--source-tag', 'v1.2.3', '--source-versioned-tag', 'v1']],
    ['--source-branch with a tag: provenance records one ref', ['--source-uri', 'github.com/acme/widget', '--source-branch', 'main', '--source-tag', 'v1.2.3']],
    ['a versioned tag that is not a version', ['--source-uri', 'github.com/acme/widget', '--source-versioned-tag', '1.2']],
    ['a workflow input without =', ['--source-uri', 'github.com/acme/widget', '--build-workflow-input', 'release_version']],
    ['a builder id with an empty ref', ['--source-uri', 'github.com/acme/widget', '--builder-id', `${GENERIC}@`]],
    ['--source-uri alone naming a repository not on github.com', ['--source-uri', 'gitlab.com/acme/widget']],
  ];
  for (const [name, flags] of USAGE) {
    it(`usage error, exit 2: ${name}`, async () => {
      const r = await verify(join(dir, 'unused.json'), ...flags);
      assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
      assert.equal(errorCode(r), 'USAGE', r.stderr);
    });
  }
});

// Real provenance from GitHub's systems (../shared/corpus, read in place): --source-uri alone.
const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'real-bundles');
describe('slsa-verifier flags on real bundles', { skip: existsSync(join(corpus, 'manifest.json')) ? false : `no corpus at ${corpus}` }, () => {
  const cli = join(corpus, 'cli-cli');
  const npm = [join(cli, 'sigstore-js-2.1.0.tgz'), '--bundle', join(cli, 'sigstore-js-2.1.0-bundle.json')];
  const REAL: [string, string[], string[]][] = [
    ['npm provenance of sigstore-js: the repository\'s workflow on a GitHub-hosted runner', [...npm, '--source-uri', 'github.com/sigstore/sigstore-js', '--source-branch', 'main'], []],
    ['the same provenance for another repository', [...npm, '--source-uri', 'github.com/sigstore/fakerepo'], ['SOURCE_MISMATCH']],
    ['the same provenance from another branch', [...npm, '--source-uri', 'github.com/sigstore/sigstore-js', '--source-branch', 'release'], ['REF_MISMATCH']],
    [
      'GitHub\'s own Sigstore instance (artifact attestation)',
      [join(cli, 'github_provenance_demo-0.0.12-py3-none-any.whl'), '--bundle', join(cli, 'github_provenance_demo-0.0.12-py3-none-any-bundle.line0.json'), '--trusted-root', join(corpus, 'trusted-roots', 'github-trusted_root.json'), '--source-uri', 'github.com/actions/attest-demo'],
      [],
    ],
    ['signed by a reusable workflow of another repository, pinned to a commit', [join(cli, 'reusable-workflow-artifact'), '--bundle', join(cli, 'reusable-workflow-attestation.sigstore.json'), '--source-uri', 'github.com/malancas/attest-demo'], ['IDENTITY_MISMATCH']],
    ['a GitHub Enterprise issuer', [join(cli, 'custom-issuer-artifact'), '--bundle', join(cli, 'custom-issuer.sigstore.json'), '--source-uri', 'github.com/too-legit/attest'], ['ISSUER_MISMATCH']],
  ];
  for (const [name, args, codes] of REAL) {
    it(`${name}: ${codes.length === 0 ? 'PASSED' : codes.join(', ')}`, async () => {
      const r = await runCliInProcess(['verify', ...args]);
      assert.deepEqual([...r.stdout.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]), codes, `${r.stdout}${r.stderr}`);
      assert.equal(r.status, codes.length === 0 ? 0 : 1, `${r.stdout}${r.stderr}`);
    });
  }
});
