// Container images end to end against a real registry (Debian's docker-registry, the CNCF
// distribution registry, started on 127.0.0.1 by the testkit): images pushed with provenant's own
// client, attested and pushed with `provenant attest --subject-image --push`, verified with
// `provenant verify oci://` and `verify-image`, and every way that must fail.
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DSSE_LAYER_MEDIA_TYPE,
  OCI_MANIFEST,
  RegistryClient,
  attachBundle,
  cosignAttestationTag,
  parseImageReference,
  pushImage,
  referrersTag,
  sha256,
} from '@provenant/oci';
import { createTrust, verifyImage } from '@provenant/verifier';
import { type LocalRegistry, type SigstoreStack, buildTestImage, signKeyless, startRegistry, startRegistryProxy, startSigstoreStack } from '@provenant/testkit';
import { type CliResult, errorCode, runCliInProcess } from './support/cli.ts';

const PROVENANCE = 'https://slsa.dev/provenance/v1';

describe('OCI registries', () => {
  let registry: LocalRegistry;
  let dir: string;
  let key: string;
  let pub: string;
  let n = 0;

  before(async () => {
    registry = await startRegistry();
    dir = await mkdtemp(join(tmpdir(), 'provenant-oci-'));
    // No credentials from whoever runs the tests: an empty Docker config.
    process.env.DOCKER_CONFIG = join(dir, 'docker-empty');
    key = join(dir, 'release');
    const keygen = await runCliInProcess(['keygen', '--out', key]);
    assert.equal(keygen.status, 0, keygen.stderr);
    pub = `${key}.pub`;
    key = `${key}.key`;
  });
  after(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Pushes a fresh image (unique content) under `repo:tag`; returns its digest. */
  async function pushTestImage(repo: string, tag = 'v1', platforms?: string[]): Promise<string> {
    const image = buildTestImage({ seed: `${repo}-${tag}-${n++}`, ...(platforms ? { platforms } : {}) });
    return pushImage(new RegistryClient(registry.host, repo), image, tag);
  }

  /** `provenant attest --key --subject-image REF --push`; returns the bundle path. */
  async function attestImage(ref: string, ...extra: string[]): Promise<{ bundle: string; result: CliResult }> {
    const bundle = join(dir, `att-${n++}.sigstore.json`);
    const result = await runCliInProcess(['attest', '--cwd', dir, '--no-deps', '--key', key, '--subject-image', ref, '--out', bundle, ...extra]);
    assert.equal(result.status, 0, result.stderr);
    return { bundle, result };
  }

  function passed(r: CliResult): void {
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED\n/);
  }

  it('attest --push then verify by tag and by digest: PASSED, naming the attestation that satisfied the policy', async () => {
    const digest = await pushTestImage('app');
    const { result } = await attestImage(`${registry.host}/app:v1`, '--push');
    assert.match(result.stderr, new RegExp(`resolved ${registry.host}/app:v1 to ${digest}`));
    assert.match(result.stderr, /pushed .* to .*app@sha256:/);

    const byTag = await runCliInProcess(['verify', `oci://${registry.host}/app:v1`, '--key', pub]);
    passed(byTag);
    assert.match(byTag.stdout, new RegExp(`image +${registry.host}/app:v1 resolved once to ${digest}; every check used the digest`));
    assert.match(byTag.stdout, /\[0\] referrers-tag sha256:[0-9a-f]{64} https:\/\/slsa\.dev\/provenance\/v1: satisfied the policy/);

    const byDigest = await runCliInProcess(['verify-image', `${registry.host}/app@${digest}`, '--key', pub, '--json']);
    assert.equal(byDigest.status, 0, byDigest.stderr);
    const json = JSON.parse(byDigest.stdout);
    assert.equal(json.ok, true);
    assert.equal(json.image.digest, digest);
    assert.equal(json.image.resolvedTag, undefined);
    assert.equal(json.satisfiedBy, 0);
    assert.equal(json.referrersSource, 'referrers-tag');
    assert.deepEqual(json.subjects.map((s: { name: string }) => s.name), [`${registry.host}/app`]);
  });

  it('stores the bundle as an OCI 1.1 artifact with subject, bundle artifactType and GitHub annotations, listed in the sha256-<hex> tag index', async () => {
    const digest = await pushTestImage('layout');
    const { bundle } = await attestImage(`${registry.host}/layout:v1`, '--push');
    const client = new RegistryClient(registry.host, 'layout');
    const index = await client.getManifest(referrersTag(digest));
    assert.equal(index?.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(index?.json.manifests?.length, 1);
    const entry = index!.json.manifests![0]!;
    assert.equal(entry.artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const manifest = await client.getManifest(entry.digest);
    assert.equal(manifest?.json.artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(manifest?.json.subject?.digest, digest);
    assert.equal(manifest?.json.config?.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(manifest?.json.annotations?.['dev.sigstore.bundle.predicateType'], PROVENANCE);
    assert.equal(manifest?.json.annotations?.['dev.sigstore.bundle.content'], 'dsse-envelope');
    const layer = manifest!.json.layers![0]!;
    const blob = await client.getBlob(layer.digest);
    assert.deepEqual(blob?.bytes, await readFile(bundle));
  });

  it('pushing the same bundle twice is idempotent; provenance, SBOM and VSA coexist', async () => {
    const digest = await pushTestImage('many');
    const ref = `${registry.host}/many@${digest}`;
    const { bundle } = await attestImage(ref, '--sbom', '--push');
    const again = await runCliInProcess(['attach', ref, '--bundle', bundle]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /is already stored .*nothing pushed/);
    const vsa = join(dir, 'many.vsa.json');
    const verified = await runCliInProcess(['verify', digest, '--bundle', bundle, '--key', pub, '--vsa-out', vsa, '--vsa-key', key]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const attached = await runCliInProcess(['attach', `oci://${ref}`, '--bundle', vsa]);
    assert.equal(attached.status, 0, attached.stderr);
    assert.match(attached.stderr, /^pushed /);

    const index = await new RegistryClient(registry.host, 'many').getManifest(referrersTag(digest));
    assert.deepEqual(index?.json.manifests?.map((m) => m.annotations?.['dev.sigstore.bundle.predicateType']), [PROVENANCE, 'https://cyclonedx.org/bom', 'https://slsa.dev/verification_summary/v1']);
    const r = await runCliInProcess(['verify-image', ref, '--key', pub, '--json']);
    const json = JSON.parse(r.stdout);
    assert.equal(json.ok, true, r.stdout);
    assert.equal(json.attestations.length, 3);
    assert.equal(json.satisfiedBy, 0);
  });

  it('verify-image --vsa-out writes a signed VSA for oci://NAME@DIGEST naming the attestation used; it verifies as evidence', async () => {
    const digest = await pushTestImage('vsa');
    await attestImage(`${registry.host}/vsa:v1`, '--push');
    const vsa = join(dir, 'image.vsa.json');
    const r = await runCliInProcess(['verify-image', `${registry.host}/vsa:v1`, '--key', pub, '--vsa-out', vsa, '--vsa-key', key]);
    passed(r);
    assert.match(r.stderr, new RegExp(`wrote .*image\\.vsa\\.json: VSA PASSED at SLSA_BUILD_LEVEL_\\d for oci://${registry.host}/vsa@${digest}`));
    const statement = JSON.parse(Buffer.from(JSON.parse(await readFile(vsa, 'utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
    assert.equal(statement.predicateType, 'https://slsa.dev/verification_summary/v1');
    assert.deepEqual(statement.subject[0].digest, { sha256: digest.slice(7) });
    assert.equal(statement.predicate.resourceUri, `oci://${registry.host}/vsa@${digest}`);
    const index = await new RegistryClient(registry.host, 'vsa').getManifest(referrersTag(digest));
    const referrer = index!.json.manifests![0]!.digest;
    assert.deepEqual(statement.predicate.inputAttestations, [{ uri: `oci://${registry.host}/vsa@${referrer}`, digest: { sha256: referrer.slice(7) } }]);
    const level = /SLSA_BUILD_LEVEL_\d/.exec(r.stderr)![0];
    passed(
      await runCliInProcess(['verify', digest, '--vsa', '--bundle', vsa, '--key', pub, '--vsa-verifier-id', 'https://provenant.dev/verifier/v1', '--vsa-resource-uri', `oci://${registry.host}/vsa@${digest}`, '--vsa-level', level]),
    );
    // With --bundle, the VSA names the files given, by the SHA-256 of their bytes.
    const { bundle } = await attestImage(`${registry.host}/vsa@${digest}`);
    const fromFile = join(dir, 'image-from-file.vsa.json');
    passed(await runCliInProcess(['verify-image', `${registry.host}/vsa@${digest}`, '--bundle', bundle, '--key', pub, '--vsa-out', fromFile, '--vsa-key', key]));
    const fromFileStatement = JSON.parse(Buffer.from(JSON.parse(await readFile(fromFile, 'utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
    assert.deepEqual(fromFileStatement.predicate.inputAttestations, [{ uri: bundle, digest: { sha256: createHash('sha256').update(await readFile(bundle)).digest('hex') } }]);
  });

  it('policy requiredAttestations over the registry: provenance + SBOM PASSED; provenance alone ATTESTATION_MISSING', async () => {
    const policy = join(dir, 'require-sbom.yaml');
    await writeFile(policy, ['apiVersion: provenant.dev/v1', 'kind: Policy', 'requiredAttestations:', `  - ${PROVENANCE}`, '  - https://cyclonedx.org/bom', ''].join('\n'));
    const withSbom = await pushTestImage('req');
    await attestImage(`${registry.host}/req@${withSbom}`, '--sbom', '--push');
    passed(await runCliInProcess(['verify-image', `${registry.host}/req@${withSbom}`, '--key', pub, '--policy', policy]));
    const without = await pushTestImage('req', 'v2');
    await attestImage(`${registry.host}/req@${without}`, '--push');
    const r = await runCliInProcess(['verify-image', `${registry.host}/req@${without}`, '--key', pub, '--policy', policy]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /ATTESTATION_MISSING: .*cyclonedx/);
  });

  it("another image's attestation attached to this image: FAILED (SUBJECT_DIGEST_MISMATCH)", async () => {
    const a = await pushTestImage('swap', 'a');
    const b = await pushTestImage('swap', 'b');
    const { bundle } = await attestImage(`${registry.host}/swap@${a}`);
    const client = new RegistryClient(registry.host, 'swap');
    await attachBundle({ image: parseImageReference(`${registry.host}/swap`), imageDigest: b, bundle: await readFile(bundle), predicateType: PROVENANCE, client });
    const r = await runCliInProcess(['verify', `oci://${registry.host}/swap:b`, '--key', pub]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAILED\n/);
    assert.match(r.stdout, /^ {2}SUBJECT_DIGEST_MISMATCH: the artifact \(sha256:[0-9a-f]{64}\) is none of the 1 subject/m);
  });

  it('a tampered attestation: a re-signed-nothing payload change is SIGNATURE_INVALID; bytes that do not match their digest are REGISTRY_CONTENT_MISMATCH', async () => {
    const digest = await pushTestImage('tamper');
    const { bundle } = await attestImage(`${registry.host}/tamper@${digest}`);
    const json = JSON.parse(await readFile(bundle, 'utf8'));
    const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString('utf8'));
    statement.predicate.runDetails.builder.id = 'https://evil.example/builder';
    json.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const client = new RegistryClient(registry.host, 'tamper');
    await attachBundle({ image: parseImageReference(`${registry.host}/tamper`), imageDigest: digest, bundle: Buffer.from(JSON.stringify(json)), client });
    const r = await runCliInProcess(['verify-image', `${registry.host}/tamper@${digest}`, '--key', pub]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /SIGNATURE_INVALID/);

    // The registry (or something between) serves other bytes for the real bundle's blob.
    const good = await pushTestImage('tamper', 'v2');
    await attestImage(`${registry.host}/tamper@${good}`, '--push');
    const proxy = await startRegistryProxy({ upstream: registry.url });
    try {
      const index = await client.getManifest(referrersTag(good));
      const manifest = await client.getManifest(index!.json.manifests![0]!.digest);
      const layer = manifest!.json.layers![0]!.digest;
      const original = (await client.getBlob(layer))!.bytes.toString('utf8');
      proxy.setIntercept((req) => (req.method === 'GET' && req.path.endsWith(`/blobs/${layer}`) ? { status: 200, body: original.replace('"payload":"', '"payload":"A') } : 'pass'));
      const t = await runCliInProcess(['verify-image', `${proxy.host}/tamper@${good}`, '--key', pub]);
      assert.equal(t.status, 1, t.stdout + t.stderr);
      assert.match(t.stdout, /REGISTRY_CONTENT_MISMATCH: attestation blob sha256:/);
    } finally {
      await proxy.stop();
    }
  });

  it('a deleted attestation still listed in the tag index: FAILED (ATTESTATION_MISSING); nothing cached lets a later run pass', async () => {
    const digest = await pushTestImage('gone');
    await attestImage(`${registry.host}/gone@${digest}`, '--push');
    const ref = `${registry.host}/gone@${digest}`;
    const trust = createTrust({ publicKeys: [await readFile(pub, 'utf8')] });
    const first = await verifyImage({ reference: ref, trust, policy: {} });
    assert.equal(first.ok, true);
    const client = new RegistryClient(registry.host, 'gone');
    const index = await client.getManifest(referrersTag(digest));
    await client.deleteManifest(index!.json.manifests![0]!.digest);
    const second = await verifyImage({ reference: ref, trust, policy: {} });
    assert.equal(second.ok, false);
    assert.deepEqual(second.findings.map((f) => f.code), ['ATTESTATION_MISSING', 'ATTESTATION_MISSING']);
    assert.match(second.findings[1]!.message, /listed but the registry no longer has it/);
  });

  it('a tag moved after attesting: verifying the tag checks the new digest (FAILED); the attested digest still PASSES', async () => {
    const first = await pushTestImage('moved', 'prod');
    await attestImage(`${registry.host}/moved:prod`, '--push');
    const second = await pushTestImage('moved', 'prod');
    assert.notEqual(first, second);
    const r = await runCliInProcess(['verify', `oci://${registry.host}/moved:prod`, '--key', pub]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`ATTESTATION_MISSING: no readable attestation of ${second}`));
    assert.match(r.stdout, new RegExp(`moved:prod resolved once to ${second}`));
    passed(await runCliInProcess(['verify', `oci://${registry.host}/moved@${first}`, '--key', pub]));
  });

  it('a wrong key, and no key or identity at all, FAIL', async () => {
    const digest = await pushTestImage('trust');
    await attestImage(`${registry.host}/trust@${digest}`, '--push');
    const other = join(dir, 'other');
    await runCliInProcess(['keygen', '--out', other]);
    const wrong = await runCliInProcess(['verify-image', `${registry.host}/trust@${digest}`, '--key', `${other}.pub`]);
    assert.equal(wrong.status, 1, wrong.stdout);
    assert.match(wrong.stdout, /KEY_UNTRUSTED/);
    const none = await runCliInProcess(['verify-image', `${registry.host}/trust@${digest}`]);
    assert.equal(none.status, 1, none.stdout + none.stderr);
    assert.match(none.stdout, /NO_TRUST_CONSTRAINT/);
  });

  it('multi-platform: attests the index and, with --subject-image-platforms, each platform manifest; each verifies by digest', async () => {
    const index = await pushTestImage('multi', 'v1', ['linux/amd64', 'linux/arm64']);
    const { bundle, result } = await attestImage(`${registry.host}/multi:v1`, '--subject-image-platforms', '--push');
    assert.match(result.stderr, /platform linux\/amd64: sha256:/);
    assert.match(result.stderr, /platform linux\/arm64: sha256:/);
    const statement = JSON.parse(Buffer.from(JSON.parse(await readFile(bundle, 'utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
    assert.equal(statement.subject.length, 3);
    assert.ok(statement.subject.some((s: { digest: { sha256: string } }) => `sha256:${s.digest.sha256}` === index));
    for (const s of statement.subject as { name: string; digest: { sha256: string } }[]) {
      assert.equal(s.name, `${registry.host}/multi`);
      passed(await runCliInProcess(['verify', `oci://${registry.host}/multi@sha256:${s.digest.sha256}`, '--key', pub]));
    }
  });

  it("reads cosign's legacy layout: a key-signed DSSE layer under sha256-<hex>.att", async () => {
    const digest = await pushTestImage('legacy');
    const { bundle } = await attestImage(`${registry.host}/legacy@${digest}`);
    const envelope = JSON.parse(await readFile(bundle, 'utf8')).dsseEnvelope;
    await pushLegacyAtt('legacy', digest, Buffer.from(JSON.stringify(envelope)), {});
    const r = await runCliInProcess(['verify-image', `${registry.host}/legacy@${digest}`, '--key', pub]);
    passed(r);
    assert.match(r.stdout, /\[0\] cosign-att sha256:[0-9a-f]{64} https:\/\/slsa\.dev\/provenance\/v1: satisfied the policy/);
  });

  /** cosign's pre-v3 layout: an image manifest tagged sha256-<hex>.att, one DSSE layer per attestation. */
  async function pushLegacyAtt(repo: string, digest: string, envelope: Buffer, annotations: Record<string, string>): Promise<void> {
    const client = new RegistryClient(registry.host, repo);
    const config = Buffer.from('{}');
    await client.uploadBlob(config);
    await client.uploadBlob(envelope);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: [{ mediaType: DSSE_LAYER_MEDIA_TYPE, digest: sha256(envelope), size: envelope.length, annotations: { 'dev.cosignproject.cosign/signature': '', ...annotations } }],
      }),
    );
    await client.putManifest(cosignAttestationTag(digest), manifest, OCI_MANIFEST);
  }

  describe('keyless, through the local Sigstore stack', () => {
    let stack: SigstoreStack;
    let root: string;
    const ISSUER = 'https://token.actions.githubusercontent.com';
    const SUBJECT = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
    before(async () => {
      stack = await startSigstoreStack();
      root = join(dir, 'trusted_root.json');
      await stack.writeTrustedRoot(root);
    });
    after(async () => {
      await stack?.close();
    });

    function statementFor(name: string, digest: string): Buffer {
      return Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name, digest: { sha256: digest.slice(7) } }],
          predicateType: PROVENANCE,
          predicate: {
            buildDefinition: { buildType: 'https://provenant.dev/buildtypes/ci/v1', externalParameters: {} },
            runDetails: { builder: { id: 'https://provenant.dev/builders/github-actions@v1' }, metadata: { finishedOn: new Date().toISOString() } },
          },
        }),
      );
    }

    it("a keyless cosign .att (certificate, chain and Rekor bundle annotations, intoto entry) verifies with the identity; another identity fails", async () => {
      const digest = await pushTestImage('legacy-keyless');
      const signed = (await signKeyless(stack, statementFor(`${registry.host}/legacy-keyless`, digest), {
        identityToken: stack.identityToken({ issuer: ISSUER, subject: SUBJECT }),
        rekorVersion: 1,
        rekorEntryType: 'intoto',
        tsa: false,
      })) as unknown as LegacySource;
      const tlog = signed.verificationMaterial.tlogEntries[0]!;
      const leaf = new X509Certificate(Buffer.from(signed.verificationMaterial.certificate.rawBytes, 'base64')).toString();
      await pushLegacyAtt('legacy-keyless', digest, Buffer.from(JSON.stringify(signed.dsseEnvelope)), {
        'dev.sigstore.cosign/certificate': leaf,
        'dev.sigstore.cosign/chain': '',
        'dev.sigstore.cosign/bundle': JSON.stringify({
          SignedEntryTimestamp: tlog.inclusionPromise.signedEntryTimestamp,
          Payload: { body: tlog.canonicalizedBody, integratedTime: Number(tlog.integratedTime), logIndex: Number(tlog.logIndex), logID: Buffer.from(tlog.logId.keyId, 'base64').toString('hex') },
        }),
      });
      const ref = `${registry.host}/legacy-keyless@${digest}`;
      passed(await runCliInProcess(['verify-image', ref, '--trusted-root', root, '--certificate-identity', SUBJECT, '--certificate-oidc-issuer', ISSUER]));
      const wrong = await runCliInProcess(['verify-image', ref, '--trusted-root', root, '--certificate-identity', 'https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main', '--certificate-oidc-issuer', ISSUER]);
      assert.equal(wrong.status, 1, wrong.stdout + wrong.stderr);
      assert.match(wrong.stdout, /IDENTITY_MISMATCH/);
    });
  });

  interface LegacySource {
    dsseEnvelope: unknown;
    verificationMaterial: {
      certificate: { rawBytes: string };
      tlogEntries: { logIndex: string; logId: { keyId: string }; integratedTime: string; inclusionPromise: { signedEntryTimestamp: string }; canonicalizedBody: string }[];
    };
  }

  describe('registry failures are one coded line, exit 2', () => {
    it('an image that is not there: IMAGE_NOT_FOUND; a malformed reference: IMAGE_REFERENCE_INVALID', async () => {
      const missing = await runCliInProcess(['verify', `oci://${registry.host}/nothing:here`, '--key', pub]);
      assert.equal(missing.status, 2);
      assert.equal(errorCode(missing), 'IMAGE_NOT_FOUND');
      const bad = await runCliInProcess(['verify-image', `${registry.host}/UPPER:tag`, '--key', pub]);
      assert.equal(bad.status, 2);
      assert.equal(errorCode(bad), 'IMAGE_REFERENCE_INVALID');
    });

    it('a registry answering 500 is REGISTRY_FAILED; one answering 401 with no way in is REGISTRY_AUTH_FAILED; a stalled one is DOWNLOAD_STALLED', async () => {
      const digest = await pushTestImage('faults');
      await attestImage(`${registry.host}/faults@${digest}`, '--push');
      const proxy = await startRegistryProxy({ upstream: registry.url });
      try {
        const ref = `${proxy.host}/faults@${digest}`;
        proxy.setIntercept(() => ({ status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"boom"}]}', headers: { 'content-type': 'application/json' } }));
        const five = await runCliInProcess(['verify-image', ref, '--key', pub]);
        assert.equal(five.status, 2, five.stdout + five.stderr);
        assert.equal(errorCode(five), 'REGISTRY_FAILED');
        assert.match(five.stderr, /HTTP 500 \(UNKNOWN\)/);
        proxy.setIntercept(() => ({ status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }));
        const denied = await runCliInProcess(['verify-image', ref, '--key', pub]);
        assert.equal(errorCode(denied), 'REGISTRY_AUTH_FAILED');
        assert.equal(denied.status, 2);
        proxy.setIntercept(() => 'stall');
        const stalled = await runCliInProcess(['verify-image', ref, '--key', pub, '--registry-timeout', '300ms']);
        assert.equal(stalled.status, 2);
        assert.equal(errorCode(stalled), 'DOWNLOAD_STALLED');
        // A token realm on plain HTTP to a host that is not loopback is refused before any request to it.
        proxy.setIntercept(() => ({ status: 401, headers: { 'www-authenticate': 'Bearer realm="http://registry.invalid/token",service="x"' } }));
        const insecure = await runCliInProcess(['verify-image', ref, '--key', pub]);
        assert.equal(errorCode(insecure), 'REGISTRY_INSECURE');
      } finally {
        await proxy.stop();
      }
    });

    it('a registry with the referrers API: attestations are listed through it', async () => {
      const digest = await pushTestImage('api');
      await attestImage(`${registry.host}/api@${digest}`, '--push');
      const client = new RegistryClient(registry.host, 'api');
      const index = await client.getManifest(referrersTag(digest));
      const proxy = await startRegistryProxy({ upstream: registry.url });
      try {
        // Answer the referrers API from the tag index, and hide the index: only the API can find it.
        proxy.setIntercept((req) => {
          if (req.path === `/v2/api/referrers/${digest}`) return { status: 200, body: index!.bytes.toString('utf8'), headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } };
          if (req.path === `/v2/api/manifests/${referrersTag(digest)}`) return { status: 404 };
          return 'pass';
        });
        const trust = createTrust({ publicKeys: [await readFile(pub, 'utf8')] });
        const result = await verifyImage({ reference: `${proxy.host}/api@${digest}`, trust, policy: {} });
        assert.equal(result.ok, true, JSON.stringify([result.findings, proxy.requests]));
        assert.equal(result.referrersSource, 'referrers-api');
        assert.ok(!proxy.requests.some((r) => r.path === `/v2/api/manifests/${referrersTag(digest)}`));
      } finally {
        await proxy.stop();
      }
    });
  });

  describe('authenticated registries, credentials from the Docker config', () => {
    async function dockerConfig(host: string, username: string, password: string): Promise<string> {
      const configDir = await mkdtemp(join(dir, 'docker-'));
      await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }));
      return configDir;
    }

    for (const auth of ['htpasswd', 'token'] as const) {
      it(`${auth}: push and verify with the config's credentials; none or wrong ones are REGISTRY_AUTH_FAILED, never showing the secret`, async (t) => {
        const secured = await startRegistry({ auth });
        t.after(() => secured.stop());
        const creds = secured.credentials!;
        const image = buildTestImage({ seed: `auth-${auth}` });
        const digest = await pushImage(new RegistryClient(secured.host, 'private', { credentials: creds }), image, 'v1');
        const saved = process.env.DOCKER_CONFIG;
        try {
          process.env.DOCKER_CONFIG = await dockerConfig(secured.host, creds.username, creds.password);
          await attestImage(`${secured.host}/private:v1`, '--push');
          const ok = await runCliInProcess(['verify', `oci://${secured.host}/private:v1`, '--key', pub]);
          passed(ok);
          assert.ok(!ok.stdout.includes(creds.password) && !ok.stderr.includes(creds.password));
          process.env.DOCKER_CONFIG = await dockerConfig(secured.host, creds.username, 'wrong-password');
          const wrong = await runCliInProcess(['verify', `oci://${secured.host}/private@${digest}`, '--key', pub]);
          assert.equal(wrong.status, 2, wrong.stdout + wrong.stderr);
          assert.equal(errorCode(wrong), 'REGISTRY_AUTH_FAILED');
          assert.ok(!wrong.stderr.includes('wrong-password'));
          process.env.DOCKER_CONFIG = join(dir, 'docker-empty');
          const anonymous = await runCliInProcess(['verify', `oci://${secured.host}/private@${digest}`, '--key', pub]);
          assert.equal(errorCode(anonymous), 'REGISTRY_AUTH_FAILED');
          assert.match(anonymous.stderr, /anonymously/);
        } finally {
          process.env.DOCKER_CONFIG = saved;
        }
      });
    }
  });
});

