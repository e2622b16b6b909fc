import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { OCI_INDEX, OCI_MANIFEST, RegistryClient, cosignAttestationTag, referrersTag, sha256 } from './registry-client.ts';
import { type Seen, code, serve } from './testing/tiny-server.ts';

// A tiny registry on 127.0.0.1 whose answers each test writes: `routes[path]` answers `path`.
type Route = { status: number; headers?: Record<string, string>; body?: string | Buffer };

async function registry(routes: Record<string, Route>): Promise<{ client: RegistryClient; seen: Seen[] }> {
  const server = await serve((req, res) => {
    const route = routes[req.url];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
      return;
    }
    res.writeHead(route.status, route.headers).end(route.body);
  });
  return { client: new RegistryClient(server.host, 'acme/app'), seen: server.seen };
}

const hex = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const IMAGE = `sha256:${hex('the image')}`;
const OTHER = `sha256:${hex('another manifest')}`;
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: A, size: 2 }, layers: [] });
const index = (manifests: unknown[]) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
const bundleDescriptor = { mediaType: OCI_MANIFEST, digest: A, size: 100, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' };
const sbomDescriptor = { mediaType: OCI_MANIFEST, digest: B, size: 50, artifactType: 'application/spdx+json' };

describe('RegistryClient.getManifest', () => {
  it('computes the digest from the bytes and ignores a lying Docker-Content-Digest', async () => {
    const { client, seen } = await registry({
      '/v2/acme/app/manifests/v1': { status: 200, headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': OTHER }, body: manifest },
    });
    const got = await client.getManifest('v1');
    assert.ok(got !== undefined);
    assert.equal(got.digest, `sha256:${hex(manifest)}`);
    assert.notEqual(got.digest, OTHER);
    assert.equal(got.bytes.toString(), manifest);
    assert.equal(got.mediaType, OCI_MANIFEST);
    assert.equal(got.json.config?.digest, A);
    // It accepts the OCI and Docker manifest and index types.
    for (const type of [OCI_INDEX, OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json']) {
      assert.ok(seen[0]!.headers.accept?.includes(type), type);
    }
  });

  it('takes the media type from Content-Type when the manifest names none', async () => {
    const body = JSON.stringify({ schemaVersion: 2, layers: [] });
    const { client } = await registry({ '/v2/acme/app/manifests/v1': { status: 200, headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8' }, body } });
    assert.equal((await client.getManifest('v1'))?.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
  });

  it('is undefined on 404', async () => {
    const { client } = await registry({});
    assert.equal(await client.getManifest('missing'), undefined);
    assert.equal(await client.getManifest(IMAGE), undefined);
  });

  it('fails REGISTRY_FAILED on other statuses and on bodies that are not a JSON object', async () => {
    const { client } = await registry({
      '/v2/acme/app/manifests/broken': { status: 500, body: '{"errors":[{"code":"UNKNOWN"}]}' },
      '/v2/acme/app/manifests/html': { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: '<html>' },
      '/v2/acme/app/manifests/array': { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: '[]' },
      '/v2/acme/app/manifests/denied': { status: 403 },
    });
    await assert.rejects(client.getManifest('broken'), code('REGISTRY_FAILED', /HTTP 500 \(UNKNOWN\)/));
    await assert.rejects(client.getManifest('html'), code('REGISTRY_FAILED', /not JSON/));
    await assert.rejects(client.getManifest('array'), code('REGISTRY_FAILED', /not a JSON object/));
    await assert.rejects(client.getManifest('denied'), code('REGISTRY_AUTH_FAILED'));
  });
});

describe('RegistryClient.getBlob', () => {
  it('returns the digest of what was served, not of what was asked', async () => {
    const asked = `sha256:${hex('expected bytes')}`;
    const { client } = await registry({
      [`/v2/acme/app/blobs/${asked}`]: { status: 200, body: 'other bytes' },
      [`/v2/acme/app/blobs/${A}`]: { status: 200, body: 'x'.repeat(100) },
    });
    const got = await client.getBlob(asked);
    assert.deepEqual(got, { digest: `sha256:${hex('other bytes')}`, bytes: Buffer.from('other bytes') });
    assert.equal(await client.getBlob(B), undefined);
    await assert.rejects(client.getBlob(A, 10), code('FILE_TOO_LARGE'));
  });

  it('refuses a digest that is not sha256 before asking', async () => {
    const { client, seen } = await registry({});
    for (const bad of ['sha256:abc', `sha512:${'a'.repeat(128)}`, `sha256:${'A'.repeat(64)}`, '../../etc/passwd']) {
      await assert.rejects(client.getBlob(bad), code('DIGEST_INVALID'), bad);
      await assert.rejects(client.listReferrers(bad), code('DIGEST_INVALID'), bad);
    }
    assert.equal(seen.length, 0);
  });
});

describe('RegistryClient.listReferrers', () => {
  it('uses the referrers API when it answers 200 with an OCI index', async () => {
    const { client, seen } = await registry({
      [`/v2/acme/app/referrers/${IMAGE}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: index([bundleDescriptor, sbomDescriptor]) },
      [`/v2/acme/app/manifests/${referrersTag(IMAGE)}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: index([]) },
    });
    assert.deepEqual(await client.listReferrers(IMAGE), { source: 'referrers-api', descriptors: [bundleDescriptor, sbomDescriptor] });
    assert.deepEqual(seen.map((s) => s.url), [`/v2/acme/app/referrers/${IMAGE}`], 'the tag is not read');
    assert.equal(seen[0]!.headers.accept, OCI_INDEX);
  });

  it('falls back to the sha256-<hex> tag when the API answers 404', async () => {
    const { client, seen } = await registry({
      [`/v2/acme/app/manifests/sha256-${IMAGE.slice('sha256:'.length)}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: index([sbomDescriptor]) },
    });
    assert.deepEqual(await client.listReferrers(IMAGE), { source: 'referrers-tag', descriptors: [sbomDescriptor] });
    assert.deepEqual(seen.map((s) => s.url), [`/v2/acme/app/referrers/${IMAGE}`, `/v2/acme/app/manifests/sha256-${IMAGE.slice(7)}`]);
  });

  it('falls back to the tag on 405 and on a 200 that is not an OCI index', async () => {
    for (const api of [{ status: 405 }, { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' }]) {
      const { client } = await registry({
        [`/v2/acme/app/referrers/${IMAGE}`]: api,
        [`/v2/acme/app/manifests/${referrersTag(IMAGE)}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: index([bundleDescriptor]) },
      });
      assert.deepEqual(await client.listReferrers(IMAGE), { source: 'referrers-tag', descriptors: [bundleDescriptor] });
    }
  });

  it('lists nothing when there is neither API nor tag', async () => {
    const { client } = await registry({});
    assert.deepEqual(await client.listReferrers(IMAGE), { source: 'referrers-tag', descriptors: [] });
  });

  it('refuses a referrers tag that is not an OCI index', async () => {
    const { client } = await registry({
      [`/v2/acme/app/manifests/${referrersTag(IMAGE)}`]: { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: manifest },
    });
    await assert.rejects(client.listReferrers(IMAGE), code('REGISTRY_FAILED', new RegExp(`tag ${referrersTag(IMAGE)} is a ${OCI_MANIFEST.replace(/[.+]/g, '\\$&')}, not the OCI index`)));
  });

  it('fails on API errors other than "not supported"', async () => {
    const { client } = await registry({ [`/v2/acme/app/referrers/${IMAGE}`]: { status: 500 } });
    await assert.rejects(client.listReferrers(IMAGE), code('REGISTRY_FAILED', /referrers of/));
    const denied = await registry({ [`/v2/acme/app/referrers/${IMAGE}`]: { status: 403 } });
    await assert.rejects(denied.client.listReferrers(IMAGE), code('REGISTRY_AUTH_FAILED'));
    const notJson = await registry({ [`/v2/acme/app/referrers/${IMAGE}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: 'nope' } });
    await assert.rejects(notJson.client.listReferrers(IMAGE), code('REGISTRY_FAILED', /JSON index/));
  });

  it('drops descriptors with malformed digests or no media type, from the API and from the tag', async () => {
    const junk = [
      null,
      'a string',
      { mediaType: OCI_MANIFEST, digest: 'sha256:abc', size: 1 },
      { mediaType: OCI_MANIFEST, digest: `sha256:${'A'.repeat(64)}`, size: 1 },
      { mediaType: OCI_MANIFEST, digest: `sha512:${'a'.repeat(128)}`, size: 1 },
      { mediaType: OCI_MANIFEST, digest: `sha256:${'a'.repeat(64)}/../x`, size: 1 },
      { mediaType: OCI_MANIFEST, size: 1 },
      { digest: B, size: 1 },
    ];
    const api = await registry({ [`/v2/acme/app/referrers/${IMAGE}`]: { status: 200, headers: { 'content-type': `${OCI_INDEX}; charset=utf-8` }, body: index([...junk, bundleDescriptor]) } });
    assert.deepEqual((await api.client.listReferrers(IMAGE)).descriptors, [bundleDescriptor]);
    const tag = await registry({ [`/v2/acme/app/manifests/${referrersTag(IMAGE)}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: index([sbomDescriptor, ...junk]) } });
    assert.deepEqual((await tag.client.listReferrers(IMAGE)).descriptors, [sbomDescriptor]);
    const noList = await registry({ [`/v2/acme/app/referrers/${IMAGE}`]: { status: 200, headers: { 'content-type': OCI_INDEX }, body: '{"manifests":{}}' } });
    assert.deepEqual((await noList.client.listReferrers(IMAGE)).descriptors, []);
  });
});

describe('tags and digests', () => {
  it('names the referrers tag and cosign\'s legacy tag after the digest', () => {
    assert.equal(referrersTag(IMAGE), `sha256-${IMAGE.slice(7)}`);
    assert.equal(cosignAttestationTag(IMAGE), `sha256-${IMAGE.slice(7)}.att`);
    assert.equal(sha256(Buffer.from('abc')), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
