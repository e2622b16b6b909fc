import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INTOTO_PAYLOAD_TYPE } from '@provenant/core';
import { type SerializedBundle, bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig } from '@sigstore/sign';
import { PolicyError, type VerificationPolicy, VerificationError, Verifier, type VerifierOptions, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { DEFAULT_ISSUER, DEFAULT_SUBJECT, FULCIO_CERT_LIFETIME_MS, type SigstoreStack, signKeyless, startSigstoreStack } from './index.ts';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const exact = (s: string): RegExp => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

const statement = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'widget-1.0.0.tgz', digest: { sha256: 'ab'.repeat(32) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://provenant.dev/test/v1', externalParameters: {} },
      runDetails: { builder: { id: 'https://provenant.dev/test-builder' } },
    },
  }),
);

function verifyBundle(stack: SigstoreStack, bundle: SerializedBundle, policy?: VerificationPolicy, options?: VerifierOptions) {
  const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(stack.trustedRoot));
  return new Verifier(trustMaterial, options).verify(toSignedEntity(bundleFromJSON(bundle)), policy);
}

function leafCertificate(bundle: SerializedBundle): X509Certificate {
  const vm = bundle.verificationMaterial as { certificate?: { rawBytes: string } };
  assert.ok(vm.certificate, 'bundle carries a leaf certificate');
  return new X509Certificate(Buffer.from(vm.certificate.rawBytes, 'base64'));
}

const policy: VerificationPolicy = { subjectAlternativeName: exact(SUBJECT), extensions: { issuer: ISSUER } };

describe('local Sigstore stack', () => {
  let stack: SigstoreStack;
  let token: string;

  before(async () => {
    stack = await startSigstoreStack();
    token = stack.identityToken({ issuer: ISSUER, subject: SUBJECT });
  });
  after(async () => {
    await stack?.close();
  });

  it('serves on 127.0.0.1 with OS-chosen ports and publishes a matching TrustedRoot and SigningConfig', () => {
    for (const url of [stack.fulcioURL, stack.rekorURL, stack.rekorV2URL, stack.tsaURL]) {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    }
    const root = stack.trustedRoot;
    assert.equal(root.mediaType, 'application/vnd.dev.sigstore.trustedroot+json;version=0.1');
    assert.deepEqual(
      root.tlogs.map((t) => t.baseUrl),
      [stack.rekorURL, stack.rekorV2URL],
    );
    assert.equal(root.certificateAuthorities[0]?.uri, stack.fulcioURL);
    assert.equal(root.ctlogs.length, 1);
    assert.equal(root.timestampAuthorities[0]?.certChain.certificates.length, 2);
    // logId is the SHA-256 of the SPKI DER (base64 in JSON).
    for (const log of [...root.tlogs, ...root.ctlogs]) {
      const spki = Buffer.from(log.publicKey.rawBytes, 'base64');
      assert.equal(log.logId.keyId, createHash('sha256').update(spki).digest('base64'));
    }
    const config = stack.signingConfig;
    assert.equal(config.mediaType, 'application/vnd.dev.sigstore.signingconfig.v0.2+json');
    assert.equal(config.caUrls[0]?.url, stack.fulcioURL);
    assert.equal(config.rekorTlogUrls[0]?.url, stack.rekorURL);
    assert.equal(config.rekorTlogUrls[0]?.majorApiVersion, 1);
    assert.equal(config.tsaUrls[0]?.url, `${stack.tsaURL}/api/v1/timestamp`);
    // Round-trips through the protobuf-specs types.
    assert.equal(TrustedRoot.fromJSON(root).tlogs.length, 2);
    assert.equal(SigningConfig.fromJSON(config).caUrls.length, 1);
  });

  it('signs an in-toto DSSE keyless (Fulcio + Rekor + TSA) and @sigstore/verify accepts it', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: token });
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(bundle.dsseEnvelope?.payloadType, INTOTO_PAYLOAD_TYPE);
    assert.deepEqual(Buffer.from(bundle.dsseEnvelope?.payload ?? '', 'base64'), statement);
    const [entry] = bundle.verificationMaterial.tlogEntries;
    assert.equal(bundle.verificationMaterial.tlogEntries.length, 1);
    assert.ok(entry?.inclusionPromise, 'Rekor v1 entry has a SET');
    assert.ok(entry?.inclusionProof, 'Rekor v1 entry has an inclusion proof');
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.1' });
    assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);

    // Default thresholds: 1 tlog entry, 1 SCT (embedded by the mock Fulcio), 1 timestamp.
    const signer = verifyBundle(stack, bundle, policy);
    assert.equal(signer.identity?.subjectAlternativeName, SUBJECT);
    assert.equal(signer.identity?.extensions?.issuer, ISSUER);
    assert.equal(verifyBundle(stack, bundle, policy, { ctlogThreshold: 1, tlogThreshold: 1, timestampThreshold: 2 }).identity?.subjectAlternativeName, SUBJECT);
  });

  it('rejects a tampered payload', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: token });
    const tampered = structuredClone(bundle);
    const changed = Buffer.from(statement.toString().replace('widget-1.0.0.tgz', 'widget-6.6.6.tgz'));
    assert.ok(tampered.dsseEnvelope);
    tampered.dsseEnvelope.payload = changed.toString('base64');
    assert.throws(() => verifyBundle(stack, tampered, policy), VerificationError);
    // Even with no transparency log to compare against, the signature no longer verifies.
    const tsaOnly = await signKeyless(stack, statement, { identityToken: token, rekor: false });
    assert.ok(tsaOnly.dsseEnvelope);
    tsaOnly.dsseEnvelope.payload = changed.toString('base64');
    assert.throws(
      () => verifyBundle(stack, tsaOnly, policy, { tlogThreshold: 0 }),
      (err: unknown) => err instanceof VerificationError && err.code === 'SIGNATURE_ERROR',
    );
  });

  it('rejects a policy with another SAN or another issuer', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: token });
    assert.throws(
      () => verifyBundle(stack, bundle, { subjectAlternativeName: exact('https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main') }),
      (err: unknown) => err instanceof PolicyError && err.code === 'UNTRUSTED_SIGNER_ERROR',
    );
    assert.throws(() => verifyBundle(stack, bundle, { subjectAlternativeName: exact(SUBJECT), extensions: { issuer: 'https://accounts.google.com' } }), PolicyError);
  });

  it('a certificate already expired at signing time fails verification (checked at the Rekor/TSA time)', async () => {
    const notBefore = new Date(Date.now() - 60 * 60 * 1000);
    stack.configure({ fulcioCertValidity: { notBefore, notAfter: new Date(notBefore.getTime() + FULCIO_CERT_LIFETIME_MS) } });
    let bundle: SerializedBundle;
    try {
      // Neither the stack's Fulcio nor its Rekor refuse it: the verifier checks the certificate
      // against the signed timestamps (Rekor SET time, TSA time).
      bundle = await signKeyless(stack, statement, { identityToken: token });
    } finally {
      stack.configure({ fulcioCertValidity: null });
    }
    const cert = leafCertificate(bundle);
    assert.equal(Math.floor(cert.validFromDate.getTime() / 1000), Math.floor(notBefore.getTime() / 1000));
    assert.ok(cert.validToDate.getTime() < Date.now());
    assert.throws(
      () => verifyBundle(stack, bundle, policy),
      (err: unknown) => err instanceof VerificationError && err.code === 'CERTIFICATE_ERROR' && /certificate chain/.test(err.message),
    );
  });

  it('a certificate not yet valid at signing time fails verification too', async () => {
    stack.configure({ fulcioCertValidity: { notBefore: new Date(Date.now() + 60 * 60 * 1000) } });
    let bundle: SerializedBundle;
    try {
      bundle = await signKeyless(stack, statement, { identityToken: token });
    } finally {
      stack.reset();
    }
    assert.throws(() => verifyBundle(stack, bundle, policy), (err: unknown) => err instanceof VerificationError && err.code === 'CERTIFICATE_ERROR');
  });

  it('refuses a certificate validity the mock CA cannot issue', () => {
    const notBefore = new Date();
    assert.throws(
      () => stack.configure({ fulcioCertValidity: { notBefore, notAfter: new Date(notBefore.getTime() + 60 * 60 * 1000) } }),
      (err: unknown) => err instanceof RangeError && /10 minutes/.test(err.message),
    );
  });

  it('Rekor down: signing throws a clear error', async () => {
    stack.configure({ rekorDown: true });
    try {
      await assert.rejects(
        signKeyless(stack, statement, { identityToken: token }),
        (err: Error & { code?: string }) =>
          err.code === 'TLOG_CREATE_ENTRY_ERROR' && /error creating tlog entry - \(503\) Rekor is unavailable/.test(err.message),
      );
      await assert.rejects(signKeyless(stack, statement, { identityToken: token, rekorVersion: 2 }), /\(503\) Rekor v2 is unavailable/);
    } finally {
      stack.configure({ rekorDown: false });
    }
    assert.ok(stack.requests.some((r) => r.service === 'rekor' && r.status === 503));
  });

  it('TSA down and Fulcio down: signing throws clear errors', async () => {
    stack.configure({ tsaDown: true });
    try {
      await assert.rejects(
        signKeyless(stack, statement, { identityToken: token }),
        (err: Error & { code?: string }) => err.code === 'TSA_CREATE_TIMESTAMP_ERROR' && /\(503\) TSA is unavailable/.test(err.message),
      );
    } finally {
      stack.configure({ tsaDown: false });
    }
    stack.configure({ fulcioDown: true });
    try {
      await assert.rejects(
        signKeyless(stack, statement, { identityToken: token }),
        (err: Error & { code?: string }) => err.code === 'CA_CREATE_SIGNING_CERTIFICATE_ERROR' && /\(503\) Fulcio is unavailable/.test(err.message),
      );
    } finally {
      stack.reset();
    }
  });

  it('signs with the TSA only (no Rekor) and verifies with timestampThreshold 1, tlogThreshold 0', async () => {
    const before = stack.requests.filter((r) => r.service.startsWith('rekor')).length;
    const bundle = await signKeyless(stack, statement, { identityToken: token, rekor: false });
    assert.equal(stack.requests.filter((r) => r.service.startsWith('rekor')).length, before, 'Rekor was not called');
    assert.equal(bundle.verificationMaterial.tlogEntries?.length ?? 0, 0);
    const signer = verifyBundle(stack, bundle, policy, { timestampThreshold: 1, tlogThreshold: 0 });
    assert.equal(signer.identity?.subjectAlternativeName, SUBJECT);
    // With the default tlogThreshold (1) the same bundle is refused.
    assert.throws(() => verifyBundle(stack, bundle, policy), (err: unknown) => err instanceof VerificationError && err.code === 'TLOG_ERROR');
  });

  it('signs against Rekor v2 (+ TSA) and verifies', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: token, rekorVersion: 2 });
    const [entry] = bundle.verificationMaterial.tlogEntries;
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.2' });
    assert.equal(entry?.inclusionPromise, undefined, 'Rekor v2 gives no SET');
    assert.ok(entry?.inclusionProof?.checkpoint);
    const signer = verifyBundle(stack, bundle, policy, { tlogThreshold: 1, timestampThreshold: 1 });
    assert.equal(signer.identity?.subjectAlternativeName, SUBJECT);
    // Without the TSA there would be no verifiable timestamp at all.
    const noTsa = await signKeyless(stack, statement, { identityToken: token, rekorVersion: 2, tsa: false });
    assert.throws(() => verifyBundle(stack, noTsa, policy), (err: unknown) => err instanceof VerificationError && err.code === 'TIMESTAMP_ERROR');
  });

  it('legacy intoto Rekor entries verify too', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: token, rekorEntryType: 'intoto' });
    assert.deepEqual(bundle.verificationMaterial.tlogEntries[0]?.kindVersion, { kind: 'intoto', version: '0.0.2' });
    verifyBundle(stack, bundle, policy);
  });

  it('writes trusted_root.json and the SigningConfig, which @sigstore/sign and @sigstore/verify consume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provenant-testkit-'));
    try {
      await stack.writeTrustedRoot(join(dir, 'trusted_root.json'));
      await stack.writeSigningConfig(join(dir, 'signing_config.json'));
      const root = JSON.parse(await readFile(join(dir, 'trusted_root.json'), 'utf8'));
      const config = JSON.parse(await readFile(join(dir, 'signing_config.json'), 'utf8'));
      assert.deepEqual(root, stack.trustedRoot);
      const builder = bundleBuilderFromSigningConfig({
        signingConfig: SigningConfig.fromJSON(config),
        identityProvider: { getToken: async () => token },
        bundleType: 'dsseEnvelope',
        fetchOptions: { retry: 0, timeout: 5000 },
      });
      const bundle = bundleToJSON(await builder.create({ data: statement, type: INTOTO_PAYLOAD_TYPE }));
      assert.equal(bundle.verificationMaterial.tlogEntries.length, 1);
      assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
      const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(root));
      const signer = new Verifier(trustMaterial).verify(toSignedEntity(bundleFromJSON(bundle)), policy);
      assert.equal(signer.identity?.subjectAlternativeName, SUBJECT);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('GitHub Actions claims become Fulcio certificate extensions', async () => {
    const ghToken = stack.identityToken({
      issuer: ISSUER,
      subject: 'repo:acme/widget:ref:refs/heads/main',
      job_workflow_ref: 'acme/widget/.github/workflows/release.yml@refs/heads/main',
      repository: 'acme/widget',
      repository_owner: 'acme',
      sha: 'f'.repeat(40),
      ref: 'refs/heads/main',
      event_name: 'push',
      run_id: '42',
      run_attempt: '1',
      runner_environment: 'github-hosted',
    });
    const bundle = await signKeyless(stack, statement, { identityToken: ghToken });
    const signer = verifyBundle(stack, bundle, { subjectAlternativeName: 'repo:acme/widget:ref:refs/heads/main', extensions: { issuer: ISSUER } });
    const ext = (oid: string): string | undefined =>
      signer.identity?.oids?.find((o) => o.oid?.id.join('.') === oid)?.value.subarray(2).toString('utf8');
    assert.equal(ext('1.3.6.1.4.1.57264.1.9'), 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main');
    assert.equal(ext('1.3.6.1.4.1.57264.1.12'), 'https://github.com/acme/widget');
    assert.equal(ext('1.3.6.1.4.1.57264.1.13'), 'f'.repeat(40));
    assert.equal(ext('1.3.6.1.4.1.57264.1.14'), 'refs/heads/main');
    assert.equal(ext('1.3.6.1.4.1.57264.1.20'), 'push');
    assert.equal(ext('1.3.6.1.4.1.57264.1.11'), 'github-hosted');
    assert.equal(ext('1.3.6.1.4.1.57264.1.21'), 'https://github.com/acme/widget/actions/runs/42/attempts/1');
  });

  it('an email token yields an email SAN; defaults apply when no claims are given', async () => {
    const bundle = await signKeyless(stack, statement, { identityToken: stack.identityToken({ issuer: 'https://accounts.example', email: 'dev@example.com' }) });
    const signer = verifyBundle(stack, bundle, { subjectAlternativeName: exact('dev@example.com'), extensions: { issuer: 'https://accounts.example' } });
    assert.equal(signer.identity?.subjectAlternativeName, 'dev@example.com');
    const plain = await signKeyless(stack, statement, { identityToken: stack.identityToken() });
    const id = verifyBundle(stack, plain).identity;
    assert.equal(id?.subjectAlternativeName, DEFAULT_SUBJECT);
    assert.equal(id?.extensions?.issuer, DEFAULT_ISSUER);
  });

  it('Fulcio refuses tokens the stack did not sign', async () => {
    const [h, p] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'https://github.com/evil/fork' })).toString('base64url');
    const forged = `${h}.${forgedPayload}.${Buffer.alloc(64).toString('base64url')}`;
    await assert.rejects(
      signKeyless(stack, statement, { identityToken: forged }),
      (err: Error & { code?: string }) => err.code === 'CA_CREATE_SIGNING_CERTIFICATE_ERROR' && /\(401\) invalid identity token/.test(err.message),
    );
    const expired = stack.identityToken({ exp: Math.floor(Date.now() / 1000) - 10 });
    await assert.rejects(signKeyless(stack, statement, { identityToken: expired }), /identity token has expired/);
  });
});

describe('stack options and lifecycle', () => {
  it('freezes the service clocks at `now`', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 7 * 24 * 60 * 60 * 1000);
    const stack = await startSigstoreStack({ now, rekorVersion: 2 });
    try {
      assert.equal(stack.signingConfig.rekorTlogUrls[0]?.url, stack.rekorV2URL);
      const token = stack.identityToken({ issuer: ISSUER, subject: SUBJECT });
      assert.equal(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iat, now.getTime() / 1000);
      const bundle = await signKeyless(stack, statement, { identityToken: token, rekorVersion: 1 });
      assert.equal(bundle.verificationMaterial.tlogEntries[0]?.integratedTime, String(now.getTime() / 1000));
      assert.equal(leafCertificate(bundle).validFromDate.getTime(), now.getTime());
      verifyBundle(stack, bundle, policy);
    } finally {
      await stack.close();
    }
    await assert.rejects(startSigstoreStack({ now: new Date(Date.now() - 24 * 60 * 60 * 1000) }), RangeError);
  });

  it('closes cleanly: ports released, no sockets or servers left open', async () => {
    const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
    // Handles of the stacks closed above disappear within a few event-loop turns.
    const settled = async () => {
      const deadline = Date.now() + 2000;
      while (tcpHandles().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return tcpHandles();
    };
    assert.deepEqual(await settled(), [], 'no TCP handles before the stack starts');
    const stack = await startSigstoreStack();
    try {
      await signKeyless(stack, statement, { identityToken: stack.identityToken() });
      assert.ok(tcpHandles().filter((r) => r === 'TCPServerWrap').length === 4, 'four servers listening');
    } finally {
      await stack.close();
    }
    await stack.close(); // idempotent
    assert.deepEqual(await settled(), [], 'no TCP handles after close');
    await assert.rejects(fetch(`${stack.fulcioURL}/api/v2/signingCert`, { method: 'POST', body: '{}' }), /fetch failed/);
  });
});
