import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  buildTestImage,
  type LocalRegistry,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type RegistryCredentials,
  type RegistryProxy,
  registryErrorResponse,
  startRegistry,
  startRegistryProxy,
  type TestBlob,
  type TestImage,
} from '../index.ts';

// A minimal OCI distribution client, for these tests only (the product's client lives elsewhere).

type Auth = Record<string, string>;
const ACCEPT = [OCI_MANIFEST_MEDIA_TYPE, OCI_INDEX_MEDIA_TYPE].join(', ');
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const basic = (c: RegistryCredentials): Auth => ({ Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` });

async function pushBlob(base: string, name: string, blob: TestBlob, auth: Auth = {}): Promise<string> {
  const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: auth });
  assert.equal(start.status, 202, `POST upload: ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', blob.digest);
  const put = await fetch(location, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: blob.bytes });
  assert.equal(put.status, 201, `PUT blob: ${await put.text()}`);
  assert.equal(put.headers.get('docker-content-digest'), blob.digest);
  return start.headers.get('location') ?? '';
}

async function pushManifest(base: string, name: string, reference: string, manifest: TestBlob, auth: Auth = {}): Promise<void> {
  const res = await fetch(`${base}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': manifest.mediaType },
    body: manifest.bytes,
  });
  assert.equal(res.status, 201, `PUT manifest: ${await res.text()}`);
  assert.equal(res.headers.get('docker-content-digest'), manifest.digest);
}

async function pushImage(base: string, name: string, tag: string, image: TestImage, auth: Auth = {}): Promise<void> {
  for (const blob of image.blobs) await pushBlob(base, name, blob, auth);
  for (const m of image.manifests) if (m !== image.top) await pushManifest(base, name, m.digest, m, auth);
  await pushManifest(base, name, tag, image.top, auth);
}

async function getManifest(base: string, name: string, reference: string, auth: Auth = {}): Promise<{ status: number; digest: string | null; type: string | null; bytes: Uint8Array }> {
  const res = await fetch(`${base}/v2/${name}/manifests/${reference}`, { headers: { ...auth, Accept: ACCEPT } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, digest: res.headers.get('docker-content-digest'), type: res.headers.get('content-type'), bytes };
}

async function assertPulls(base: string, name: string, tag: string, image: TestImage, auth: Auth = {}): Promise<void> {
  for (const reference of [tag, image.top.digest]) {
    const got = await getManifest(base, name, reference, auth);
    assert.equal(got.status, 200);
    assert.equal(got.digest, image.top.digest);
    assert.equal(got.type, image.top.mediaType);
    assert.deepEqual(got.bytes, image.top.bytes);
  }
  for (const blob of image.blobs) {
    const res = await fetch(`${base}/v2/${name}/blobs/${blob.digest}`, { headers: auth });
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(sha256(bytes), blob.digest);
  }
}

/** The token flow as a client does it: read the challenge, ask the realm, retry with the bearer. */
async function bearer(registry: LocalRegistry, scope: string, credentials?: RegistryCredentials): Promise<{ status: number; auth: Auth }> {
  const token = registry.token!;
  const url = `${token.realm}?service=${encodeURIComponent(token.service)}&scope=${encodeURIComponent(scope)}`;
  const res = await fetch(url, { headers: credentials ? basic(credentials) : {} });
  if (res.status !== 200) return { status: res.status, auth: {} };
  const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
  assert.equal(body.token, body.access_token);
  assert.equal(body.expires_in, 300);
  return { status: 200, auth: { Authorization: `Bearer ${body.token}` } };
}

describe('buildTestImage', () => {
  it('is deterministic for a seed, and digests are of the exact bytes', () => {
    const a = buildTestImage({ seed: 's1', layers: 3 });
    const b = buildTestImage({ seed: 's1', layers: 3 });
    const c = buildTestImage({ seed: 's2', layers: 3 });
    assert.deepEqual(a, b);
    assert.notEqual(a.top.digest, c.top.digest);
    assert.equal(a.top, a.manifests[0]);
    assert.equal(a.blobs.length, 4); // config + 3 layers
    for (const blob of [...a.blobs, ...a.manifests]) assert.equal(sha256(blob.bytes), blob.digest);
    const manifest = JSON.parse(Buffer.from(a.top.bytes).toString('utf8'));
    assert.equal(manifest.schemaVersion, 2);
    assert.equal(manifest.mediaType, OCI_MANIFEST_MEDIA_TYPE);
    assert.equal(manifest.layers.length, 3);
  });

  it('builds an index over one manifest per platform', () => {
    const image = buildTestImage({ seed: 'multi', platforms: ['linux/amd64', 'linux/arm64/v8'] });
    assert.equal(image.top.mediaType, OCI_INDEX_MEDIA_TYPE);
    const index = JSON.parse(Buffer.from(image.top.bytes).toString('utf8'));
    assert.deepEqual(
      index.manifests.map((m: { platform: unknown }) => m.platform),
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    );
    assert.deepEqual(
      index.manifests.map((m: { digest: string }) => m.digest),
      image.manifests.map((m) => m.digest),
    );
    // Shared base layer: 2 configs + 1 base + 1 own layer per platform.
    assert.equal(image.blobs.length, 5);
    assert.throws(() => buildTestImage({ platforms: ['linux'] }), RangeError);
  });
});

describe('startRegistry auth: none', () => {
  let registry: LocalRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(async () => {
    await registry?.stop();
  });

  it('listens on 127.0.0.1 and answers /v2/ with 200', async () => {
    assert.match(registry.host, /^127\.0\.0\.1:\d+$/);
    assert.equal(registry.url, `http://${registry.host}`);
    assert.equal(registry.credentials, undefined);
    assert.equal((await fetch(`${registry.url}/v2/`)).status, 200);
  });

  it('takes a pushed image and gives it back by tag and digest', async () => {
    const image = buildTestImage({ seed: 'none-single' });
    await pushImage(registry.url, 'acme/widget', 'v1', image);
    await assertPulls(registry.url, 'acme/widget', 'v1', image);
  });

  it('takes a multi-platform index', async () => {
    const image = buildTestImage({ seed: 'none-multi', platforms: ['linux/amd64', 'linux/arm64'] });
    await pushImage(registry.url, 'acme/multi', 'latest', image);
    await assertPulls(registry.url, 'acme/multi', 'latest', image);
    const child = await getManifest(registry.url, 'acme/multi', image.manifests[1]!.digest);
    assert.deepEqual(child.bytes, image.manifests[1]!.bytes);
  });

  // What distribution 2.8.2 does with newer OCI features, pinned so a change of registry shows up here.
  it('2.8.2: accepts subject/artifactType, but has no referrers API and needs an OCI Accept header', async () => {
    const image = buildTestImage({ seed: 'subject' });
    await pushImage(registry.url, 'acme/ref', 'v1', image);
    const empty = { digest: sha256(new TextEncoder().encode('{}')), mediaType: 'application/vnd.oci.empty.v1+json', bytes: new TextEncoder().encode('{}') };
    await pushBlob(registry.url, 'acme/ref', empty);
    const artifact = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        artifactType: 'application/vnd.dev.provenant.test+json',
        config: { mediaType: empty.mediaType, digest: empty.digest, size: 2 },
        layers: [{ mediaType: empty.mediaType, digest: empty.digest, size: 2 }],
        subject: { mediaType: image.top.mediaType, digest: image.top.digest, size: image.top.bytes.length },
      }),
    );
    const referrer = { digest: sha256(artifact), mediaType: OCI_MANIFEST_MEDIA_TYPE, bytes: artifact };
    await pushManifest(registry.url, 'acme/ref', referrer.digest, referrer);
    const back = await getManifest(registry.url, 'acme/ref', referrer.digest);
    assert.deepEqual(back.bytes, artifact);
    // No OCI-Subject header: the registry ignored the subject.
    const put = await fetch(`${registry.url}/v2/acme/ref/manifests/${referrer.digest}`, { method: 'PUT', headers: { 'Content-Type': OCI_MANIFEST_MEDIA_TYPE }, body: artifact });
    assert.equal(put.headers.get('oci-subject'), null);

    const referrers = await fetch(`${registry.url}/v2/acme/ref/referrers/${image.top.digest}`);
    assert.equal(referrers.status, 404);
    assert.equal(await referrers.text(), '404 page not found\n');

    const noAccept = await fetch(`${registry.url}/v2/acme/ref/manifests/v1`);
    assert.equal(noAccept.status, 404);
    assert.match(await noAccept.text(), /OCI manifest found, but accept header does not support OCI manifests/);

    // A single-request monolithic upload (POST ?digest= with the body) only opens a session.
    const monolithic = await fetch(`${registry.url}/v2/acme/ref/blobs/uploads/?digest=${empty.digest}`, { method: 'POST', body: empty.bytes });
    assert.equal(monolithic.status, 202);
  });
});

describe('startRegistry failures', () => {
  it('names a missing binary', async () => {
    await assert.rejects(startRegistry({ binary: 'provenant-no-such-registry' }), /provenant-no-such-registry not found on PATH/);
  });

  it('includes the log tail when the registry exits before listening', async () => {
    // node, given "serve CONFIG", fails to load a module named serve and exits.
    await assert.rejects(startRegistry({ binary: process.execPath }), (err: Error) => {
      assert.match(err.message, /exited before listening \(code 1/);
      assert.match(err.message, /--- docker-registry log \(last lines\) ---\n[\s\S]*Cannot find module/);
      return true;
    });
  });
});

describe('startRegistry auth: htpasswd', () => {
  let registry: LocalRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
  });
  after(async () => {
    await registry?.stop();
  });

  it('challenges with Basic and rejects a wrong password', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="provenant-testkit"');
    const creds = registry.credentials!;
    const wrong = await fetch(`${registry.url}/v2/`, { headers: basic({ ...creds, password: `${creds.password}x` }) });
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(`${registry.url}/v2/`, { headers: basic(creds) })).status, 200);
  });

  it('lets the user push and pull', async () => {
    const image = buildTestImage({ seed: 'htpasswd' });
    const auth = basic(registry.credentials!);
    await pushImage(registry.url, 'acme/widget', 'v1', image, auth);
    await assertPulls(registry.url, 'acme/widget', 'v1', image, auth);
    assert.equal((await fetch(`${registry.url}/v2/acme/widget/manifests/v1`, { headers: { Accept: ACCEPT } })).status, 401);
  });

  it('refuses anonymousPull', async () => {
    await assert.rejects(startRegistry({ auth: 'htpasswd', anonymousPull: true }), RangeError);
  });
});

describe('startRegistry auth: token', () => {
  let registry: LocalRegistry;
  let open: LocalRegistry;
  before(async () => {
    [registry, open] = await Promise.all([startRegistry({ auth: 'token' }), startRegistry({ auth: 'token', anonymousPull: true })]);
  });
  after(async () => {
    await Promise.all([registry?.stop(), open?.stop()]);
  });

  it('challenges with Bearer, naming the token server, service and scope', async () => {
    const res = await fetch(`${registry.url}/v2/acme/widget/manifests/v1`, { headers: { Accept: ACCEPT } });
    assert.equal(res.status, 401);
    const { realm, service } = registry.token!;
    assert.equal(res.headers.get('www-authenticate'), `Bearer realm="${realm}",service="${service}",scope="repository:acme/widget:pull"`);
  });

  it('token server: 401 without or with wrong credentials', async () => {
    const creds = registry.credentials!;
    assert.equal((await bearer(registry, 'repository:acme/widget:pull')).status, 401);
    assert.equal((await bearer(registry, 'repository:acme/widget:pull', { ...creds, password: 'wrong' })).status, 401);
    const post = await fetch(registry.token!.realm, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: creds.username, password: 'wrong', service: registry.token!.service }),
    });
    assert.equal(post.status, 401);
  });

  it('grants push and pull to the user, through GET and POST', async () => {
    const image = buildTestImage({ seed: 'token' });
    const { status, auth } = await bearer(registry, 'repository:acme/widget:pull,push', registry.credentials);
    assert.equal(status, 200);
    await pushImage(registry.url, 'acme/widget', 'v1', image, auth);

    const { username, password } = registry.credentials!;
    const form = { grant_type: 'password', username, password, service: registry.token!.service, scope: 'repository:acme/widget:pull' };
    const post = await fetch(registry.token!.realm, { method: 'POST', body: new URLSearchParams(form) });
    assert.equal(post.status, 200);
    const { access_token } = (await post.json()) as { access_token: string };
    await assertPulls(registry.url, 'acme/widget', 'v1', image, { Authorization: `Bearer ${access_token}` });

    // A token for one repository does not open another.
    const other = await fetch(`${registry.url}/v2/acme/other/tags/list`, { headers: { Authorization: `Bearer ${access_token}` } });
    assert.equal(other.status, 401);
    const last = registry.token!.requests.at(-1)!;
    assert.deepEqual([last.method, last.user, last.granted, last.status], ['POST', username, ['repository:acme/widget:pull'], 200]);
  });

  it('anonymousPull: anonymous tokens pull but do not push', async () => {
    const image = buildTestImage({ seed: 'anonymous' });
    await pushImage(open.url, 'acme/public', 'v1', image, (await bearer(open, 'repository:acme/public:pull,push', open.credentials)).auth);
    const anonymous = await bearer(open, 'repository:acme/public:pull,push');
    assert.equal(anonymous.status, 200);
    assert.deepEqual(open.token!.requests.at(-1)!.granted, ['repository:acme/public:pull']);
    await assertPulls(open.url, 'acme/public', 'v1', image, anonymous.auth);
    const push = await fetch(`${open.url}/v2/acme/public/blobs/uploads/`, { method: 'POST', headers: anonymous.auth });
    assert.equal(push.status, 401);
    assert.match(push.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    assert.equal((await bearer(open, 'repository:acme/public:pull', { username: 'nobody', password: 'x' })).status, 401);
  });
});

describe('startRegistryProxy', () => {
  let registry: LocalRegistry;
  let proxy: RegistryProxy;
  before(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ upstream: registry.url });
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('forwards pushes and pulls, pointing upload locations at itself, and records requests', async () => {
    assert.match(proxy.host, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(proxy.host, registry.host);
    const image = buildTestImage({ seed: 'proxy' });
    const before = proxy.requests.length;
    const location = await pushBlob(proxy.url, 'acme/widget', image.blobs[0]!);
    assert.ok(location.startsWith(`${proxy.url}/v2/acme/widget/blobs/uploads/`), location);
    await pushImage(proxy.url, 'acme/widget', 'v1', image);
    await assertPulls(proxy.url, 'acme/widget', 'v1', image);
    await assertPulls(registry.url, 'acme/widget', 'v1', image);
    const head = await fetch(`${proxy.url}/v2/acme/widget/blobs/${image.blobs[1]!.digest}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(image.blobs[1]!.bytes.length));
    const recorded = proxy.requests.slice(before);
    assert.deepEqual(recorded[0], { method: 'POST', path: '/v2/acme/widget/blobs/uploads/', status: 202 });
    assert.equal(recorded[1]?.method, 'PUT');
    assert.equal(recorded[1]?.status, 201);
    assert.ok(recorded.every((r) => r.status >= 200 && r.status < 300));
  });

  it('streams a chunked upload body through', async () => {
    const blob = buildTestImage({ seed: 'proxy-chunked' }).blobs[1]!;
    const start = await fetch(`${proxy.url}/v2/acme/chunked/blobs/uploads/`, { method: 'POST' });
    const chunks = [blob.bytes.subarray(0, 100), blob.bytes.subarray(100)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const patch = await fetch(start.headers.get('location')!, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(patch.status, 202);
    assert.equal(patch.headers.get('range'), `0-${blob.bytes.length - 1}`);
    const done = new URL(patch.headers.get('location')!);
    assert.equal(done.origin, proxy.url);
    done.searchParams.set('digest', blob.digest);
    assert.equal((await fetch(done, { method: 'PUT' })).status, 201);
    const back = await fetch(`${registry.url}/v2/acme/chunked/blobs/${blob.digest}`);
    assert.deepEqual(new Uint8Array(await back.arrayBuffer()), blob.bytes);
  });

  it('answers for the registry when intercept says so, and can change mid-test', async () => {
    const image = buildTestImage({ seed: 'proxy-intercept' });
    await pushImage(proxy.url, 'acme/widget', 'v2', image);
    proxy.setIntercept(({ method, path }) =>
      method === 'GET' && path.includes('/manifests/') ? registryErrorResponse(500, 'UNKNOWN', 'upstream exploded') : 'pass',
    );
    const failed = await fetch(`${proxy.url}/v2/acme/widget/manifests/v2`, { headers: { Accept: ACCEPT } });
    assert.equal(failed.status, 500);
    assert.match(await failed.text(), /upstream exploded/);
    assert.equal((await fetch(`${proxy.url}/v2/`)).status, 200);
    proxy.setIntercept(() => ({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x"' } }));
    const denied = await fetch(`${proxy.url}/v2/`);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="x"');
    proxy.setIntercept(undefined);
    assert.equal((await getManifest(proxy.url, 'acme/widget', 'v2')).status, 200);
    assert.deepEqual(
      proxy.requests.slice(-4).map((r) => r.status),
      [500, 200, 401, 200],
    );
  });

  it('stalls: the request is accepted and never answered', async () => {
    proxy.setIntercept(({ path }) => (path.startsWith('/v2/acme/stall') ? 'stall' : 'pass'));
    const started = Date.now();
    await assert.rejects(fetch(`${proxy.url}/v2/acme/stall/manifests/v1`, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    assert.ok(Date.now() - started >= 290);
    assert.deepEqual(proxy.requests.at(-1), { method: 'GET', path: '/v2/acme/stall/manifests/v1', status: 0 });
    proxy.setIntercept(undefined);
  });

  it('points Location and WWW-Authenticate realms at the upstream back at itself', async () => {
    // distribution's realms never name itself, so a second proxy plays an upstream that does.
    let upstreamURL = '';
    const upstream = await startRegistryProxy({
      upstream: registry.url,
      intercept: () => ({
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer realm="${upstreamURL}/token",service="x"`, Location: `${upstreamURL}/v2/elsewhere` },
      }),
    });
    upstreamURL = upstream.url;
    const front = await startRegistryProxy({ upstream: upstream.url });
    try {
      const res = await fetch(`${front.url}/v2/`);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), `Bearer realm="${front.url}/token",service="x"`);
      assert.equal(res.headers.get('location'), `${front.url}/v2/elsewhere`);
    } finally {
      await front.stop();
      await upstream.stop();
    }
  });
});
