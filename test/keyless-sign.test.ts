// Keyless signing end to end: `provenant attest|sign` against the testkit's local Fulcio, Rekor
// (v1 and v2) and TSA on 127.0.0.1, each bundle checked by @sigstore/verify with the stack's
// trusted root and an exact identity policy. Also: every way it must fail (exit 2, one coded line,
// no output file), and the OIDC token never appearing in any output or bundle.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type SigstoreStack, startSigstoreStack } from '@provenant/testkit';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { type CliResult, errorCode, runCli } from './support/cli.ts';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const exact = (s: string): RegExp => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

/**
 * The child's environment: no ambient token source from the machine running the tests (runCli
 * already drops GITHUB_*, GITLAB_*, CI_*, ACTIONS_*), and no proxy between the CLI and 127.0.0.1.
 */
const BASE_ENV = { SIGSTORE_ID_TOKEN: '', BUILDKITE: '', CIRCLECI: '', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };

interface BundleJSON {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    tlogEntries: { kindVersion: { kind: string; version: string }; inclusionPromise?: unknown; inclusionProof?: unknown; integratedTime: string }[];
    timestampVerificationData?: { rfc3161Timestamps: unknown[] };
  };
  dsseEnvelope: { payload: string; payloadType: string };
}

let stack: SigstoreStack;
let dir: string;
let token: string;
/** Every CLI output and bundle text, checked at the end for any trace of a token. */
const seen: string[] = [];
const tokens: string[] = [];

before(async () => {
  stack = await startSigstoreStack();
  token = stack.identityToken({ issuer: ISSUER, subject: SUBJECT, repository: 'acme/widget', ref: 'refs/heads/main' });
  tokens.push(token);
});
after(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { cwd: dir, env: { ...BASE_ENV, ...env } });
  seen.push(r.stdout, r.stderr);
  return r;
}

async function readBundle(path: string): Promise<BundleJSON> {
  const text = await readFile(path, 'utf8');
  seen.push(text);
  return JSON.parse(text) as BundleJSON;
}

/** @sigstore/verify with the stack's trusted root: certificate chain, SCT, tlog entry and/or timestamp, identity. */
function sigstoreVerify(bundle: BundleJSON, options: { tlogThreshold?: number } = {}) {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(stack.trustedRoot)), options);
  return verifier.verify(toSignedEntity(bundleFromJSON(bundle)), { subjectAlternativeName: exact(SUBJECT), extensions: { issuer: ISSUER } });
}

const exists = (path: string) => access(path).then(() => true, () => false);

async function assertFailed(r: CliResult, code: string, message: RegExp, out?: string): Promise<void> {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(errorCode(r), code, r.stderr);
  assert.match(r.stderr, message);
  if (out) assert.equal(await exists(out), false, 'no output file after a failure');
}

describe('provenant attest/sign --keyless against the local Sigstore stack', () => {
  let tokenFile: string;
  let artifactDigest: string;
  let statementFile: string;
  const services = () => ['--fulcio-url', stack.fulcioURL, '--rekor-url', stack.rekorURL, '--tsa-url', stack.tsaURL, '--sigstore-retries', '0'];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-test-'));
    await mkdir(join(dir, 'dist'));
    const artifact = Buffer.from('widget 1.0.0\n');
    await writeFile(join(dir, 'dist', 'widget.tgz'), artifact);
    artifactDigest = createHash('sha256').update(artifact).digest('hex');
    tokenFile = join(dir, 'token.jwt');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    statementFile = join(dir, 'statement.json');
    await writeFile(
      statementFile,
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'widget.tgz', digest: { sha256: artifactDigest } }], predicateType: 'https://example.com/test/v1', predicate: {} }),
    );
  });

  it('attest --keyless with Rekor v1 and a TSA: a v0.3 bundle with leaf certificate, tlog entry and timestamp that @sigstore/verify accepts', async () => {
    const out = join(dir, 'v1.sigstore.json');
    const r = await cli(['attest', '--keyless', '--identity-token', `@${tokenFile}`, ...services(), '--subject', 'dist/widget.tgz', '--no-deps', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`signed keyless as ${exact(SUBJECT).source.slice(1, -1)} \\(OIDC token from --identity-token; 1 transparency log entry, 1 timestamp\\)`));
    const bundle = await readBundle(out);
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.ok(bundle.verificationMaterial.certificate, 'a leaf certificate (v0.3), not a key hint');
    const [entry] = bundle.verificationMaterial.tlogEntries;
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.1' });
    assert.ok(entry?.inclusionPromise && entry.inclusionProof);
    assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { subject: { name: string; digest: { sha256: string } }[] };
    assert.equal(statement.subject.length, 1);
    assert.equal(statement.subject[0]?.name, 'dist/widget.tgz');
    assert.equal(statement.subject[0]?.digest.sha256, artifactDigest);
    const signer = sigstoreVerify(bundle);
    assert.equal(signer.identity?.subjectAlternativeName, SUBJECT);
    assert.equal(signer.identity?.extensions?.issuer, ISSUER);

    // And provenant's own verifier, trusting the stack's root and this identity only.
    const root = join(dir, 'trusted_root.json');
    await stack.writeTrustedRoot(root);
    const verifyArgs = ['verify', 'dist/widget.tgz', '--bundle', out, '--trusted-root', root, '--certificate-oidc-issuer', ISSUER];
    const verified = await cli([...verifyArgs, '--certificate-identity', SUBJECT]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^PASSED\n/);
    const otherIdentity = await cli([...verifyArgs, '--certificate-identity', 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main']);
    assert.equal(otherIdentity.status, 1, otherIdentity.stdout + otherIdentity.stderr);
    assert.match(otherIdentity.stdout, /^FAILED\n/);
  });

  it('attest --keyless with Rekor v2: a v2 entry (no integrated time) plus the TSA timestamp verifies', async () => {
    const out = join(dir, 'v2.sigstore.json');
    const args = ['--fulcio-url', stack.fulcioURL, '--rekor-url', stack.rekorV2URL, '--rekor-version', '2', '--tsa-url', stack.tsaURL, '--sigstore-retries', '0'];
    const r = await cli(['attest', '--keyless', '--identity-token', token, ...args, '--subject', 'dist/widget.tgz', '--no-deps', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const bundle = await readBundle(out);
    const [entry] = bundle.verificationMaterial.tlogEntries;
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.2' });
    assert.equal(entry?.integratedTime ?? '0', '0', 'Rekor v2 gives no integrated time');
    assert.equal(sigstoreVerify(bundle).identity?.subjectAlternativeName, SUBJECT);
    const root = join(dir, 'trusted_root.json');
    await stack.writeTrustedRoot(root);
    const verified = await cli(['verify', 'dist/widget.tgz', '--bundle', out, '--trusted-root', root, '--certificate-identity', SUBJECT, '--certificate-oidc-issuer', ISSUER]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  });

  it('attest --signing-config: picks the highest Rekor API version it speaks (v2) and the TSA; --rekor-version 1 narrows it', async () => {
    const config = stack.signingConfig;
    const v1 = config.rekorTlogUrls[0]!;
    // Both logs, one operator: the spec says take the highest API version.
    config.rekorTlogUrls = [v1, { ...v1, url: stack.rekorV2URL, majorApiVersion: 2 }];
    const file = join(dir, 'signing_config.v0.2.json');
    await writeFile(file, JSON.stringify(config));
    const before = stack.requests.length;
    const out = join(dir, 'sc.sigstore.json');
    const r = await cli(['attest', '--signing-config', file, '--identity-token', `@${tokenFile}`, '--sigstore-retries', '0', '--subject', 'dist/widget.tgz', '--no-deps', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      stack.requests.slice(before).map((q) => q.service).sort(),
      ['fulcio', 'rekor-v2', 'tsa'],
    );
    const bundle = await readBundle(out);
    assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.version, '0.0.2');
    sigstoreVerify(bundle);

    const out1 = join(dir, 'sc1.sigstore.json');
    const r1 = await cli(['attest', '--signing-config', file, '--rekor-version', '1', '--identity-token', `@${tokenFile}`, '--subject', 'dist/widget.tgz', '--no-deps', '--out', out1]);
    assert.equal(r1.status, 0, r1.stderr);
    const bundle1 = await readBundle(out1);
    assert.equal(bundle1.verificationMaterial.tlogEntries[0]?.kindVersion.version, '0.0.1');
    sigstoreVerify(bundle1);
  });

  it('sign (a statement made elsewhere) goes keyless when given a token and no key; --no-tlog with a TSA gives a timestamp only', async () => {
    const out = join(dir, 'signed.sigstore.json');
    const r = await cli(['sign', statementFile, '--identity-token', `@${tokenFile}`, '--fulcio-url', stack.fulcioURL, '--tsa-url', stack.tsaURL, '--no-tlog', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /0 transparency log entries, 1 timestamp/);
    const bundle = await readBundle(out);
    assert.deepEqual(bundle.verificationMaterial.tlogEntries ?? [], []);
    assert.deepEqual(Buffer.from(bundle.dsseEnvelope.payload, 'base64'), await readFile(statementFile), 'the statement bytes, unchanged');
    sigstoreVerify(bundle, { tlogThreshold: 0 });
  });

  it('GitHub Actions: the token comes from the ID-token service (audience sigstore), without any token flag', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const out = join(dir, 'gha.sigstore.json');
      const env = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-bearer' };
      const r = await cli(['sign', statementFile, ...services(), '--out', out], env);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /OIDC token from GitHub Actions/);
      assert.deepEqual(requests, ['/token?api-version=2.0&audience=sigstore Bearer runner-bearer']);
      sigstoreVerify(await readBundle(out));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('Rekor down: exit 2, SIGSTORE_SERVICE_FAILED naming Rekor and its URL, no output file', async () => {
    const out = join(dir, 'rekor-down.sigstore.json');
    stack.configure({ rekorDown: true });
    try {
      const r = await cli(['attest', '--keyless', '--identity-token', `@${tokenFile}`, ...services(), '--subject', 'dist/widget.tgz', '--no-deps', '--out', out]);
      await assertFailed(r, 'SIGSTORE_SERVICE_FAILED', new RegExp(`Rekor v1 at ${stack.rekorURL} failed: \\(503\\)`), out);
    } finally {
      stack.reset();
    }
  });

  it('TSA down: exit 2, SIGSTORE_SERVICE_FAILED naming the TSA, no output file', async () => {
    const out = join(dir, 'tsa-down.sigstore.json');
    stack.configure({ tsaDown: true });
    try {
      const r = await cli(['sign', statementFile, '--identity-token', `@${tokenFile}`, ...services(), '--out', out]);
      await assertFailed(r, 'SIGSTORE_SERVICE_FAILED', /TSA at .* failed: \(503\)/, out);
    } finally {
      stack.reset();
    }
  });

  it('Fulcio refusing the token: exit 2, OIDC_TOKEN_REJECTED, no output file', async () => {
    // A well-formed token whose signature is another token's: the stack's Fulcio answers 401.
    const other = stack.identityToken({ issuer: ISSUER, subject: 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main' });
    const forged = `${token.split('.').slice(0, 2).join('.')}.${other.split('.')[2]}`;
    tokens.push(other, forged);
    const out = join(dir, 'refused.sigstore.json');
    const r = await cli(['attest', '--keyless', '--identity-token', forged, ...services(), '--subject', 'dist/widget.tgz', '--no-deps', '--out', out]);
    await assertFailed(r, 'OIDC_TOKEN_REJECTED', new RegExp(`Fulcio at ${stack.fulcioURL} refused the identity token: \\(401\\)`), out);
  });

  it('Fulcio unreachable: exit 2, SIGSTORE_SERVICE_FAILED with the network error', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const out = join(dir, 'no-fulcio.sigstore.json');
    const r = await cli(['sign', statementFile, '--identity-token', token, '--fulcio-url', `http://127.0.0.1:${port}`, '--rekor-url', stack.rekorURL, '--sigstore-retries', '0', '--out', out]);
    await assertFailed(r, 'SIGSTORE_SERVICE_FAILED', /Fulcio at .* failed: .*ECONNREFUSED/, out);
  });

  it('a token that is not a JWT is refused before any request, and never echoed', async () => {
    const secret = 'not-a-jwt-but-secret-4f1c9e';
    tokens.push(secret);
    const before = stack.requests.length;
    const r = await cli(['sign', statementFile, '--identity-token', secret, ...services(), '--out', join(dir, 'never.json')]);
    await assertFailed(r, 'OIDC_TOKEN_INVALID', /the identity token from --identity-token is not a JWT/);
    assert.equal(stack.requests.length, before, 'nothing was sent');
  });

  it('GitHub Actions without `permissions: id-token: write`: one line that says what to add', async () => {
    const r = await cli(['sign', statementFile, '--keyless', ...services(), '--out', join(dir, 'never.json')], { GITHUB_ACTIONS: 'true' });
    await assertFailed(r, 'OIDC_TOKEN_UNAVAILABLE', /add `permissions: id-token: write` to the job/);
    // Without --keyless and without --key: the usage error says the same.
    const implicit = await cli(['sign', statementFile, '--out', join(dir, 'never.json')], { GITHUB_ACTIONS: 'true' });
    await assertFailed(implicit, 'USAGE', /add `permissions: id-token: write` to the job \(or give --key FILE\)/);
  });

  it('GitLab CI without id_tokens: the snippet to add', async () => {
    const r = await cli(['sign', statementFile, '--keyless', ...services(), '--out', join(dir, 'never.json')], { GITLAB_CI: 'true' });
    await assertFailed(r, 'OIDC_TOKEN_UNAVAILABLE', /id_tokens: \{ SIGSTORE_ID_TOKEN: \{ aud: sigstore \} \}/);
  });

  it('neither a key nor a token: USAGE naming both ways', async () => {
    const r = await cli(['attest', '--subject', 'dist/widget.tgz', '--no-deps', '--out', join(dir, 'never.json')]);
    await assertFailed(r, 'USAGE', /give --key FILE, or run where an OIDC token is available .* or pass --identity-token/, join(dir, 'never.json'));
  });

  it('the token appears in no output and no bundle (the certificate holds claims, not the token)', async () => {
    assert.ok(seen.length > 20);
    for (const t of tokens) {
      const signature = t.split('.')[2] ?? t;
      for (const text of seen) {
        assert.ok(!text.includes(t), 'a token was written out');
        assert.ok(!text.includes(signature), "a token's signature was written out");
      }
    }
  });
});
