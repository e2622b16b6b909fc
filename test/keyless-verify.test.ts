// Keyless verification end to end: bundles signed against the local Sigstore stack (Fulcio,
// Rekor v1 and v2, TSA on 127.0.0.1), verified by `provenant verify` and `provenant sigstore
// verify-bundle` with the stack's trusted root. Every failure names its finding code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type SigstoreStack, type SignKeylessOptions, signKeyless, startSigstoreStack } from '@provenant/testkit';
import { type CliResult, runCliInProcess } from './support/cli.ts';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
/** GitHub Actions claims: the stack's Fulcio turns them into certificate extensions. */
const CLAIMS = {
  issuer: ISSUER,
  subject: SUBJECT,
  repository: 'acme/widget',
  repository_id: '101',
  repository_owner: 'acme',
  repository_owner_id: '202',
  sha: COMMIT,
  ref: 'refs/heads/main',
  event_name: 'push',
  runner_environment: 'github-hosted',
  job_workflow_ref: 'acme/widget/.github/workflows/release.yml@refs/heads/main',
};
/** The parts of a serialized bundle the tests change. */
interface BundleJson {
  dsseEnvelope: { payload: string };
  verificationMaterial: { tlogEntries: unknown[] };
}

const ARTIFACT = Buffer.from('a keyless artifact\n');
const ARTIFACT_SHA256 = createHash('sha256').update(ARTIFACT).digest('hex');

function statement(source: { repository?: string; commit?: string } = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tgz', digest: { sha256: ARTIFACT_SHA256 } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://provenant.dev/buildtypes/ci/v1',
          externalParameters: { source: { repository: source.repository ?? 'https://github.com/acme/widget', ref: 'refs/heads/main', commit: source.commit ?? COMMIT } },
        },
        runDetails: { builder: { id: 'https://provenant.dev/builders/github-actions@v1' }, metadata: { finishedOn: new Date().toISOString() } },
      },
    }),
  );
}

describe('keyless verification against the local Sigstore stack', () => {
  let stack: SigstoreStack;
  let dir: string;
  let artifact: string;
  let root: string;
  let rootWithoutLogs: string;
  let n = 0;

  before(async () => {
    stack = await startSigstoreStack();
    dir = await mkdtemp(join(tmpdir(), 'provenant-keyless-'));
    artifact = join(dir, 'app.tgz');
    await writeFile(artifact, ARTIFACT);
    root = join(dir, 'trusted_root.json');
    await stack.writeTrustedRoot(root);
    // Like GitHub's own instance: no transparency log, so one RFC 3161 timestamp is the evidence.
    rootWithoutLogs = join(dir, 'trusted_root.no-logs.json');
    await writeFile(rootWithoutLogs, JSON.stringify({ ...stack.trustedRoot, tlogs: [] }));
  });
  after(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Signs keyless and writes the bundle; `change` edits its JSON first. */
  async function signed(opts: Partial<SignKeylessOptions> & { claims?: Record<string, string>; payload?: Buffer } = {}, change?: (json: BundleJson) => void): Promise<string> {
    const { claims, payload, ...signOpts } = opts;
    const json = (await signKeyless(stack, payload ?? statement(), { identityToken: stack.identityToken({ ...CLAIMS, ...claims }), ...signOpts })) as BundleJson;
    change?.(json);
    const path = join(dir, `bundle-${n++}.sigstore.json`);
    await writeFile(path, JSON.stringify(json));
    return path;
  }

  const identity = ['--certificate-identity', SUBJECT, '--certificate-oidc-issuer', ISSUER];
  const verify = (bundle: string, ...args: string[]): Promise<CliResult> => runCliInProcess(['verify', artifact, '--bundle', bundle, '--trusted-root', root, ...args]);

  function passed(r: CliResult): void {
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^PASSED/);
  }
  function failedWith(r: CliResult, ...codes: string[]): void {
    assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
    const found = [...r.stdout.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]);
    assert.deepEqual(found, codes, r.stdout);
  }

  it('Fulcio + Rekor v1 + TSA: PASSED, naming the certificate identity', async () => {
    const r = await verify(await signed(), ...identity);
    passed(r);
    assert.match(r.stdout, new RegExp(`signer +${SUBJECT.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(issuer ${ISSUER.replace(/[./]/g, '\\$&')}\\)`));
  });

  it('reports the certificate facts in --json', async () => {
    const r = await verify(await signed(), ...identity, '--json');
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const result = JSON.parse(r.stdout);
    assert.equal(result.ok, true);
    assert.equal(result.signer.kind, 'certificate');
    assert.equal(result.signer.identity.issuer, ISSUER);
    assert.equal(result.signer.identity.extensions.sourceRepositoryURI, 'https://github.com/acme/widget');
    assert.equal(result.signer.identity.extensions.runnerEnvironment, 'github-hosted');
  });

  it('Rekor v2 (DSSE entry, no integrated time) + TSA: PASSED', async () => {
    passed(await verify(await signed({ rekorVersion: 2 }), ...identity));
  });

  it('a legacy intoto entry and a v0.2 bundle with the certificate chain: PASSED', async () => {
    passed(await verify(await signed({ rekorEntryType: 'intoto' }), ...identity));
    passed(await verify(await signed({ certificateChain: true }), ...identity));
  });

  it('TSA only: PASSED against a root without logs (GitHub-style), TLOG_INVALID against one that has them', async () => {
    const bundle = await signed({ rekor: false });
    passed(await runCliInProcess(['verify', artifact, '--bundle', bundle, '--trusted-root', rootWithoutLogs, ...identity]));
    failedWith(await verify(bundle, ...identity), 'TLOG_INVALID');
  });

  it('`sigstore verify-bundle` with the artifact or its digest: exit 0', async () => {
    const bundle = await signed();
    for (const target of [artifact, `sha256:${ARTIFACT_SHA256}`]) {
      const r = await runCliInProcess(['sigstore', 'verify-bundle', '--bundle', bundle, ...identity, '--trusted-root', root, target]);
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    }
    const other = await runCliInProcess(['sigstore', 'verify-bundle', '--bundle', bundle, ...identity, '--trusted-root', root, `sha256:${'0'.repeat(64)}`]);
    assert.equal(other.status, 1, other.stdout);
  });

  it('a changed payload: SIGNATURE_INVALID', async () => {
    const bundle = await signed({}, (json) => {
      json.dsseEnvelope.payload = statement({ commit: 'f'.repeat(40) }).toString('base64');
    });
    failedWith(await verify(bundle, ...identity), 'SIGNATURE_INVALID');
  });

  it('another identity: IDENTITY_MISMATCH; another issuer: ISSUER_MISMATCH', async () => {
    const bundle = await signed();
    failedWith(await verify(bundle, '--certificate-identity', `${SUBJECT}x`, '--certificate-oidc-issuer', ISSUER), 'IDENTITY_MISMATCH');
    failedWith(await verify(bundle, '--certificate-identity', SUBJECT, '--certificate-oidc-issuer', 'https://accounts.google.com'), 'ISSUER_MISMATCH');
    failedWith(await verify(bundle, '--certificate-identity', SUBJECT, '--certificate-oidc-issuer-regexp', 'https://token\\.actions'), 'ISSUER_MISMATCH');
  });

  it('a SAN regexp is anchored at both ends: a URL that merely contains the pattern does not pass', async () => {
    const regexp = ['--certificate-identity-regexp', 'https://github\\.com/acme/.*', '--certificate-oidc-issuer', ISSUER];
    passed(await verify(await signed(), ...regexp));
    const evil = await signed({ claims: { subject: 'https://evil.example/?https://github.com/acme/x' } });
    failedWith(await verify(evil, ...regexp), 'IDENTITY_MISMATCH');
    // Nor a SAN with the pattern as a prefix of something longer than the pattern allows.
    failedWith(await verify(await signed(), '--certificate-identity-regexp', 'https://github\\.com/acme', '--certificate-oidc-issuer', ISSUER), 'IDENTITY_MISMATCH');
  });

  it('an expired certificate: CERTIFICATE_INVALID', async () => {
    stack.configure({ fulcioCertValidity: { notBefore: new Date(Date.now() - 60 * 60 * 1000) } });
    try {
      failedWith(await verify(await signed(), ...identity), 'CERTIFICATE_INVALID');
    } finally {
      stack.reset();
    }
  });

  it('the log entry removed while the root requires one: TLOG_INVALID', async () => {
    const bundle = await signed({}, (json) => {
      json.verificationMaterial.tlogEntries = [];
    });
    failedWith(await verify(bundle, ...identity), 'TLOG_INVALID');
  });

  it('a statement that claims another source than the certificate: CERTIFICATE_STATEMENT_MISMATCH', async () => {
    const bundle = await signed({ payload: statement({ repository: 'https://github.com/acme/other', commit: 'a'.repeat(40) }) });
    failedWith(await verify(bundle, ...identity), 'CERTIFICATE_STATEMENT_MISMATCH', 'CERTIFICATE_STATEMENT_MISMATCH');
  });

  it('certificate extension constraints: CERTIFICATE_EXTENSION_MISMATCH', async () => {
    const bundle = await signed();
    passed(await verify(bundle, ...identity, '--certificate-source-repository-uri', 'https://github.com/acme/widget', '--certificate-source-repository-identifier', '101', '--deny-self-hosted-runners'));
    failedWith(await verify(bundle, ...identity, '--certificate-source-repository-uri', 'https://github.com/acme/other'), 'CERTIFICATE_EXTENSION_MISMATCH');
    failedWith(await verify(bundle, ...identity, '--certificate-github-workflow-repository', 'acme/other', '--certificate-build-trigger', 'release'), 'CERTIFICATE_EXTENSION_MISMATCH', 'CERTIFICATE_EXTENSION_MISMATCH');
    const selfHosted = await signed({ claims: { runner_environment: 'self-hosted' } });
    failedWith(await verify(selfHosted, ...identity, '--deny-self-hosted-runners'), 'CERTIFICATE_EXTENSION_MISMATCH');
  });

  it('identities from a policy file', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      `apiVersion: provenant.dev/v1\nkind: Policy\nidentities:\n  - subjectAlternativeNameRegexp: https://github\\.com/acme/widget/.*\n    issuer: ${ISSUER}\n    extensions: { sourceRepositoryURI: https://github.com/acme/widget }\n`,
    );
    passed(await verify(await signed(), '--policy', policy));
  });

  it('fails closed: a root alone trusts no one (NO_TRUST_CONSTRAINT); keys alone refuse a keyless bundle (KEY_UNTRUSTED)', async () => {
    const bundle = await signed();
    failedWith(await verify(bundle), 'NO_TRUST_CONSTRAINT');
    const keys = join(dir, 'k');
    assert.equal((await runCliInProcess(['keygen', '--out', keys])).status, 0);
    failedWith(await runCliInProcess(['verify', artifact, '--bundle', bundle, '--key', `${keys}.pub`]), 'KEY_UNTRUSTED');
  });

  it('an identity without an issuer, or a trusted root that does not parse, is bad input (exit 2)', async () => {
    const bundle = await signed();
    const noIssuer = await verify(bundle, '--certificate-identity', SUBJECT);
    assert.equal(noIssuer.status, 2);
    assert.match(noIssuer.stderr, /^provenant: USAGE: /);
    const broken = join(dir, 'broken-root.json');
    const { tlogs, ...rest } = stack.trustedRoot;
    await writeFile(broken, JSON.stringify({ ...rest, tlogs: tlogs.map((t) => ({ ...t, publicKey: { ...t.publicKey, validFor: {} } })) }));
    const r = await runCliInProcess(['verify', artifact, '--bundle', bundle, '--trusted-root', broken, ...identity]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^provenant: TRUSTED_ROOT_INVALID: .*validFor\.start is missing/);
  });
});
