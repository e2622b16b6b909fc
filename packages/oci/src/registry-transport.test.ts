import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { type RegistryExchange, RegistryTransport, parseChallenge } from './registry-transport.ts';
import { code, serve } from './testing/tiny-server.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('parseChallenge', () => {
  it('reads a Bearer challenge with quoted realm, service and scope', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' },
    });
  });

  it('keeps commas and spaces inside quotes, and unescapes quoted characters', () => {
    const parsed = parseChallenge('Bearer realm="https://r.example/token?a=1,b=2", scope="repository:a/b:pull,push repository:c/d:pull" , service="say \\"hi\\""');
    assert.deepEqual(parsed?.params, { realm: 'https://r.example/token?a=1,b=2', scope: 'repository:a/b:pull,push repository:c/d:pull', service: 'say "hi"' });
  });

  it('reads unquoted token values and lowercases scheme and parameter names', () => {
    assert.deepEqual(parseChallenge('BEARER Realm=https://r.example/token, Service=reg'), { scheme: 'bearer', params: { realm: 'https://r.example/token', service: 'reg' } });
  });

  it('reads Basic challenges', () => {
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
    assert.deepEqual(parseChallenge('Basic'), { scheme: 'basic', params: {} });
  });

  it('gives no scheme or no parameters for garbage', () => {
    assert.equal(parseChallenge(''), undefined);
    assert.equal(parseChallenge('   '), undefined);
    assert.equal(parseChallenge('"quoted"'), undefined);
    assert.equal(parseChallenge('=realm'), undefined);
    assert.deepEqual(parseChallenge('Bearer ,,,'), { scheme: 'bearer', params: {} });
    assert.deepEqual(parseChallenge('Bearer realm='), { scheme: 'bearer', params: {} });
  });
});

describe('RegistryTransport: origin', () => {
  it('uses HTTPS except on loopback or when allowed, and Docker Hub\'s API host', () => {
    assert.equal(new RegistryTransport('ghcr.io', 'a/b').origin, 'https://ghcr.io');
    assert.equal(new RegistryTransport('registry.example.com:5000', 'a').origin, 'https://registry.example.com:5000');
    assert.equal(new RegistryTransport('registry.example.com:5000', 'a', { allowInsecure: true }).origin, 'http://registry.example.com:5000');
    assert.equal(new RegistryTransport('localhost:5000', 'a').origin, 'http://localhost:5000');
    assert.equal(new RegistryTransport('127.0.0.1:5000', 'a').origin, 'http://127.0.0.1:5000');
    assert.equal(new RegistryTransport('127.1.2.3', 'a').origin, 'http://127.1.2.3');
    assert.equal(new RegistryTransport('[::1]:5000', 'a').origin, 'http://[::1]:5000');
    assert.equal(new RegistryTransport('docker.io', 'library/alpine').origin, 'https://registry-1.docker.io');
    // Not loopback, whatever the name suggests.
    assert.equal(new RegistryTransport('127.0.0.1.nip.io', 'a').origin, 'https://127.0.0.1.nip.io');
    assert.equal(new RegistryTransport('localhost.example.com', 'a').origin, 'https://localhost.example.com');
  });
});

describe('RegistryTransport: auth', () => {
  async function bearerRegistry(options: { token?: Record<string, unknown>; challengeScope?: boolean } = {}) {
    const tokens = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.token ?? { token: 'tok-123' }));
    });
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== 'Bearer tok-123' && req.headers.authorization !== 'Bearer tok-access') {
        const scope = options.challengeScope === false ? '' : ',scope="repository:acme/app:pull"';
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.origin}/token",service="registry.test"${scope}` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('manifest bytes');
    });
    return { tokens, registry };
  }

  it('follows the Bearer flow: 401 challenge → token with service, scope and Basic credentials → retry with the token', async () => {
    const { tokens, registry } = await bearerRegistry();
    const exchanges: RegistryExchange[] = [];
    const transport = new RegistryTransport(registry.host, 'acme/app', { credentials: { username: 'alice', password: 'p:w' }, onExchange: (e) => exchanges.push(e) });
    const response = await transport.request('manifests/v1', { maxBytes: 1000 });
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'manifest bytes');

    assert.equal(tokens.seen.length, 1);
    const tokenUrl = new URL(tokens.seen[0]!.url, tokens.origin);
    assert.equal(tokenUrl.pathname, '/token');
    assert.equal(tokenUrl.searchParams.get('service'), 'registry.test');
    assert.deepEqual(tokenUrl.searchParams.getAll('scope'), ['repository:acme/app:pull']);
    assert.equal(tokens.seen[0]!.headers.authorization, basic('alice', 'p:w'));

    assert.deepEqual(
      registry.seen.map((s) => [s.method, s.url, s.headers.authorization]),
      [
        ['GET', '/v2/acme/app/manifests/v1', undefined],
        ['GET', '/v2/acme/app/manifests/v1', 'Bearer tok-123'],
      ],
    );
    assert.equal(transport.lastScope, 'repository:acme/app:pull');

    // The token is reused for the next request of the same scope: no new challenge, no new token.
    await transport.request('manifests/v2', { maxBytes: 1000 });
    assert.equal(tokens.seen.length, 1);
    assert.equal(registry.seen.length, 3);
    assert.equal(registry.seen[2]!.headers.authorization, 'Bearer tok-123');

    assert.deepEqual(
      exchanges.map((e) => [e.method, e.url, e.status]),
      [
        ['GET', `${registry.origin}/v2/acme/app/manifests/v1`, 401],
        ['GET', `${tokens.origin}/token`, 200],
        ['GET', `${registry.origin}/v2/acme/app/manifests/v1`, 200],
        ['GET', `${registry.origin}/v2/acme/app/manifests/v2`, 200],
      ],
    );
    for (const e of exchanges) {
      assert.doesNotMatch(e.url, /[?#]/, 'no query string is reported');
      assert.equal(typeof e.ms, 'number');
      assert.deepEqual(Object.keys(e).sort(), ['method', 'ms', 'status', 'url']);
    }
  });

  it('asks for a token anonymously without credentials, with the transport\'s own scope when the challenge names none', async () => {
    const { tokens, registry } = await bearerRegistry({ challengeScope: false, token: { access_token: 'tok-access' } });
    const transport = new RegistryTransport(registry.host, 'acme/app');
    const response = await transport.request('blobs/uploads/', { method: 'POST', maxBytes: 1000, actions: 'pull,push' });
    assert.equal(response.status, 200);
    assert.equal(tokens.seen[0]!.headers.authorization, undefined);
    assert.deepEqual(new URL(tokens.seen[0]!.url, tokens.origin).searchParams.getAll('scope'), ['repository:acme/app:pull,push']);
    assert.equal(registry.seen[1]!.headers.authorization, 'Bearer tok-access');
    assert.equal(transport.lastScope, 'repository:acme/app:pull,push');
  });

  it('fails REGISTRY_AUTH_FAILED when the token is refused, by the token server or the registry', async () => {
    const refusing = await serve((_req, res) => res.writeHead(401).end());
    const registry = await serve((_req, res) => res.writeHead(401, { 'www-authenticate': `Bearer realm="${refusing.origin}/token"` }).end());
    await assert.rejects(new RegistryTransport(registry.host, 'acme/app', { credentials: { username: 'u', password: 'p' } }).request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_AUTH_FAILED', /with the configured credentials: HTTP 401/));

    const tokens = await serve((_req, res) => res.writeHead(200).end('{"token":"t"}'));
    const stubborn = await serve((_req, res) => res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.origin}/token"` }).end());
    await assert.rejects(new RegistryTransport(stubborn.host, 'acme/app').request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_AUTH_FAILED', /anonymously/));
    assert.equal(stubborn.seen.length, 2, 'one retry, no loop');
  });

  it('fails REGISTRY_FAILED for a token answer without a token, and for an unusable challenge', async () => {
    const { registry } = await bearerRegistry({ token: { nothing: true } });
    await assert.rejects(new RegistryTransport(registry.host, 'acme/app').request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_FAILED', /without a token/));
    const odd = await serve((_req, res) => res.writeHead(401, { 'www-authenticate': 'Negotiate abc' }).end());
    await assert.rejects(new RegistryTransport(odd.host, 'acme/app').request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_FAILED', /auth challenge/));
    const bare = await serve((_req, res) => res.writeHead(401).end());
    await assert.rejects(new RegistryTransport(bare.host, 'acme/app').request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_FAILED'));
  });

  it('answers a Basic challenge with the credentials, and refuses it without any', async () => {
    const registry = await serve((req, res) => {
      if (req.headers.authorization === basic('bob', 'secret')) res.writeHead(200).end('ok');
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="Registry"' }).end();
    });
    const transport = new RegistryTransport(registry.host, 'acme/app', { credentials: { username: 'bob', password: 'secret' } });
    assert.equal((await transport.request('manifests/v1', { maxBytes: 10 })).status, 200);
    assert.equal((await transport.request('manifests/v2', { maxBytes: 10 })).status, 200);
    assert.deepEqual(
      registry.seen.map((s) => s.headers.authorization),
      [undefined, basic('bob', 'secret'), basic('bob', 'secret')],
    );
    await assert.rejects(new RegistryTransport(registry.host, 'acme/app').request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_AUTH_FAILED'));
  });

  it('refuses a plain-HTTP token realm on a non-loopback host without sending anything to it', async () => {
    const registry = await serve((_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="x"' }).end());
    const fetched: string[] = [];
    const transport = new RegistryTransport(registry.host, 'acme/app', {
      credentials: { username: 'u', password: 'p' },
      fetch: (input, init) => {
        fetched.push(String(input));
        return globalThis.fetch(input, init);
      },
    });
    await assert.rejects(transport.request('manifests/v1', { maxBytes: 10 }), code('REGISTRY_INSECURE', /http:\/\/auth\.example\.com is not HTTPS/));
    assert.deepEqual(fetched, [`${registry.origin}/v2/acme/app/manifests/v1`]);
  });
});

describe('RegistryTransport: redirects', () => {
  it('does not send the Authorization header to another origin, and keeps it on the same origin', async () => {
    const storage = await serve((_req, res) => res.writeHead(200).end('blob from storage'));
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== basic('u', 'p')) res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      else if (req.url.endsWith('/blobs/elsewhere')) res.writeHead(307, { location: `${storage.origin}/data?sig=abc` }).end();
      else if (req.url.endsWith('/blobs/here')) res.writeHead(302, { location: '/v2/acme/app/blobs/final' }).end();
      else res.writeHead(200).end('blob from registry');
    });
    const transport = new RegistryTransport(registry.host, 'acme/app', { credentials: { username: 'u', password: 'p' } });

    const away = await transport.request('blobs/elsewhere', { maxBytes: 100 });
    assert.equal(away.body.toString(), 'blob from storage');
    assert.equal(storage.seen.length, 1);
    assert.equal(storage.seen[0]!.url, '/data?sig=abc');
    assert.equal(storage.seen[0]!.headers.authorization, undefined);

    const home = await transport.request('blobs/here', { maxBytes: 100 });
    assert.equal(home.body.toString(), 'blob from registry');
    assert.deepEqual(registry.seen.slice(-2).map((s) => [s.url, s.headers.authorization]), [
      ['/v2/acme/app/blobs/here', basic('u', 'p')],
      ['/v2/acme/app/blobs/final', basic('u', 'p')],
    ]);
  });

  it('turns a 303 into a GET without a body', async () => {
    const registry = await serve((req, res) => {
      if (req.url.includes('/uploads/')) res.writeHead(303, { location: '/v2/acme/app/done' }).end();
      else res.writeHead(200).end(req.method);
    });
    const response = await new RegistryTransport(registry.host, 'acme/app').request('blobs/uploads/x', { method: 'PUT', body: 'payload', maxBytes: 100 });
    assert.equal(response.body.toString(), 'GET');
    assert.deepEqual(registry.seen.map((s) => [s.method, s.body]), [
      ['PUT', 'payload'],
      ['GET', ''],
    ]);
  });

  it('fails TOO_MANY_REDIRECTS on a loop, and REGISTRY_INSECURE on a redirect to plain HTTP off loopback', async () => {
    const looping = await serve((_req, res) => res.writeHead(302, { location: '/v2/acme/app/again' }).end());
    await assert.rejects(new RegistryTransport(looping.host, 'acme/app').request('blobs/x', { maxBytes: 10 }), code('TOO_MANY_REDIRECTS'));
    assert.equal(looping.seen.length, 6);
    const insecure = await serve((_req, res) => res.writeHead(307, { location: 'http://storage.example.com/blob' }).end());
    await assert.rejects(new RegistryTransport(insecure.host, 'acme/app').request('blobs/x', { maxBytes: 10 }), code('REGISTRY_INSECURE'));
    const noLocation = await serve((_req, res) => res.writeHead(302).end());
    await assert.rejects(new RegistryTransport(noLocation.host, 'acme/app').request('blobs/x', { maxBytes: 10 }), code('REGISTRY_FAILED', /without a Location/));
  });
});

describe('RegistryTransport: limits', () => {
  it('refuses a body over maxBytes, declared or streamed', async () => {
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': '2000' }).end('x'.repeat(2000)));
    await assert.rejects(new RegistryTransport(declared.host, 'acme/app').request('blobs/x', { maxBytes: 1000 }), code('FILE_TOO_LARGE', /2000 bytes, over the 1000-byte limit/));
    const streamed = await serve((_req, res) => {
      res.writeHead(200); // chunked: no content-length
      res.write('x'.repeat(600));
      setTimeout(() => res.end('x'.repeat(600)), 10);
    });
    await assert.rejects(new RegistryTransport(streamed.host, 'acme/app').request('blobs/x', { maxBytes: 1000 }), code('FILE_TOO_LARGE', /over the 1000-byte limit/));
    const exact = await serve((_req, res) => res.writeHead(200).end('x'.repeat(1000)));
    assert.equal((await new RegistryTransport(exact.host, 'acme/app').request('blobs/x', { maxBytes: 1000 })).body.length, 1000);
  });

  it('fails DOWNLOAD_STALLED when no data comes for timeoutMs, before or during the body', async () => {
    const silent = await serve(() => {
      // never answers
    });
    const started = performance.now();
    await assert.rejects(new RegistryTransport(silent.host, 'acme/app', { timeoutMs: 50 }).request('blobs/x', { maxBytes: 1000 }), code('DOWNLOAD_STALLED', /no data for 50 ms \(--registry-timeout\)/));
    const stalling = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '500' });
      res.write('x'.repeat(100));
    });
    await assert.rejects(new RegistryTransport(stalling.host, 'acme/app', { timeoutMs: 50 }).request('blobs/x', { maxBytes: 1000 }), code('DOWNLOAD_STALLED'));
    assert.ok(performance.now() - started < 2000);
  });

  it('keeps the idle timer an idle timer: a slow body that keeps coming is read', async () => {
    const trickle = await serve((_req, res) => {
      res.writeHead(200);
      let sent = 0;
      const tick = setInterval(() => {
        res.write('x');
        if (++sent === 6) {
          clearInterval(tick);
          res.end();
        }
      }, 20);
    });
    // 120 ms in all, more than the timeout, but never 100 ms without data.
    const response = await new RegistryTransport(trickle.host, 'acme/app', { timeoutMs: 100 }).request('blobs/x', { maxBytes: 100 });
    assert.equal(response.body.toString(), 'xxxxxx');
  });

  it('reports REGISTRY_FAILED for a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(new RegistryTransport(`127.0.0.1:${port}`, 'acme/app').request('blobs/x', { maxBytes: 10 }), code('REGISTRY_FAILED', /ECONNREFUSED/));
  });
});

describe('RegistryTransport: reporting', () => {
  it('never reports query strings to onExchange', async () => {
    const registry = await serve((_req, res) => res.writeHead(201).end());
    const exchanges: RegistryExchange[] = [];
    const transport = new RegistryTransport(registry.host, 'acme/app', { onExchange: (e) => exchanges.push(e) });
    await transport.requestUrl('/v2/acme/app/blobs/uploads/123?_state=secret-state&digest=sha256:abc', { method: 'PUT', body: 'x', maxBytes: 10 });
    assert.equal(registry.seen[0]!.url, '/v2/acme/app/blobs/uploads/123?_state=secret-state&digest=sha256:abc');
    assert.deepEqual(exchanges.map((e) => [e.method, e.url, e.status]), [['PUT', `${registry.origin}/v2/acme/app/blobs/uploads/123`, 201]]);
  });

  it('fail() names the registry code, and maps 401/403 to REGISTRY_AUTH_FAILED', async () => {
    const transport = new RegistryTransport('127.0.0.1:1', 'acme/app');
    const body = Buffer.from(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'secret detail <html>' }] }));
    assert.throws(() => transport.fail('manifest v1', { status: 500, headers: new Headers(), body }), (err: Error) => {
      assert.ok(code('REGISTRY_FAILED')(err));
      assert.equal(err.message, 'registry 127.0.0.1:1: manifest v1: HTTP 500 (MANIFEST_UNKNOWN)');
      return true;
    });
    assert.throws(() => transport.fail('x', { status: 502, headers: new Headers(), body: Buffer.from('<html>bad gateway</html>') }), /HTTP 502$/);
    assert.throws(() => transport.fail('x', { status: 403, headers: new Headers(), body: Buffer.alloc(0) }), code('REGISTRY_AUTH_FAILED'));
  });
});
