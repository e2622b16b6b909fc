import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type LocalIssuer, startLocalIssuer } from './testing/local-issuer.ts';
import { type TokenVerification, verifyIdToken } from './verify-token.ts';

const NOW = new Date('2026-03-04T05:06:07Z');

let issuer: LocalIssuer;
before(async () => {
  issuer = await startLocalIssuer({ issuerPath: '/_services/token', now: () => NOW });
});
after(() => issuer.close());

function verify(token: string, overrides: { issuer?: string; audience?: string; now?: Date; fetch?: typeof fetch } = {}): Promise<TokenVerification> {
  return verifyIdToken(token, {
    issuer: overrides.issuer ?? issuer.issuer,
    audience: overrides.audience ?? 'provenant',
    now: overrides.now ?? NOW,
    fetch: overrides.fetch ?? globalThis.fetch,
  });
}

function problemOf(result: TokenVerification): string {
  return result.ok ? 'ok' : result.problem;
}

const noNetwork: typeof fetch = () => {
  throw new Error('no request may be made');
};

describe('verifyIdToken', () => {
  test('a token signed by the issuer\'s published key: its claims', async () => {
    const result = await verify(issuer.mint({ repository: 'octo-org/octo-repo', sha: 'a'.repeat(40) }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.claims['repository'], 'octo-org/octo-repo');
    assert.ok(issuer.requests.includes('/_services/token/.well-known/openid-configuration'));
    assert.ok(issuer.requests.includes('/_services/token/.well-known/jwks'));
  });

  test('an audience array that includes the expected audience is accepted', async () => {
    assert.equal(problemOf(await verify(issuer.mint({ aud: ['other', 'provenant'] }))), 'ok');
  });

  test('signed by another key under the same key id: signature-invalid', async () => {
    const result = await verify(issuer.mint({}, { key: 'other' }));
    assert.equal(problemOf(result), 'signature-invalid');
  });

  test('a payload changed after signing: signature-invalid', async () => {
    const [h, , s] = issuer.mint({ sha: 'a'.repeat(40) }).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: issuer.issuer, aud: 'provenant', exp: NOW.getTime() / 1000 + 60, sha: 'b'.repeat(40) })).toString('base64url');
    assert.equal(problemOf(await verify(`${h}.${forged}.${s}`)), 'signature-invalid');
  });

  test('expired (beyond the 60 s leeway): expired, before any request', async () => {
    const exp = NOW.getTime() / 1000 - 61;
    const result = await verify(issuer.mint({ exp, iat: exp - 300, nbf: exp - 300 }), { fetch: noNetwork });
    assert.equal(problemOf(result), 'expired');
  });

  test('not valid yet (nbf in the future): not-yet-valid', async () => {
    const nbf = NOW.getTime() / 1000 + 600;
    assert.equal(problemOf(await verify(issuer.mint({ nbf, exp: nbf + 300 }), { fetch: noNetwork })), 'not-yet-valid');
  });

  test('no exp: malformed (a token that never expires is not accepted)', async () => {
    assert.equal(problemOf(await verify(issuer.mint({ exp: undefined }), { fetch: noNetwork })), 'malformed');
  });

  test('another audience: audience-mismatch, before any request', async () => {
    assert.equal(problemOf(await verify(issuer.mint({ aud: 'sigstore' }), { fetch: noNetwork })), 'audience-mismatch');
  });

  test('another issuer: issuer-mismatch, and the other issuer is never contacted', async () => {
    const result = await verify(issuer.mint({ iss: 'https://evil.example' }), { fetch: noNetwork });
    assert.equal(problemOf(result), 'issuer-mismatch');
  });

  test('discovery down: keys-unavailable, naming the URL', async () => {
    issuer.down = true;
    try {
      const result = await verify(issuer.mint({}));
      assert.equal(problemOf(result), 'keys-unavailable');
      assert.match(result.ok ? '' : result.message, /openid-configuration: HTTP 503/);
    } finally {
      issuer.down = false;
    }
  });

  test('issuer unreachable (offline): keys-unavailable with the network error', async () => {
    const closed = await startLocalIssuer({ now: () => NOW });
    await closed.close();
    const result = await verify(closed.mint({}), { issuer: closed.issuer });
    assert.equal(problemOf(result), 'keys-unavailable');
    assert.match(result.ok ? '' : result.message, /ECONNREFUSED/);
  });

  test('a plain-http issuer that is not loopback: keys-unavailable without a request', async () => {
    const result = await verify(issuer.mint({ iss: 'http://issuer.example' }), { issuer: 'http://issuer.example', fetch: noNetwork });
    assert.equal(problemOf(result), 'keys-unavailable');
  });

  test('discovery naming another issuer: keys-unavailable', async () => {
    const lying: typeof fetch = async (input) =>
      String(input).endsWith('openid-configuration')
        ? new Response(JSON.stringify({ issuer: 'https://other.example', jwks_uri: `${issuer.issuer}/.well-known/jwks` }))
        : globalThis.fetch(input);
    assert.equal(problemOf(await verify(issuer.mint({}), { fetch: lying })), 'keys-unavailable');
  });

  test('alg none or HMAC: unsupported-algorithm', async () => {
    const body = Buffer.from(JSON.stringify({ iss: issuer.issuer, aud: 'provenant', exp: NOW.getTime() / 1000 + 60 })).toString('base64url');
    for (const alg of ['none', 'HS256']) {
      const header = Buffer.from(JSON.stringify({ alg })).toString('base64url');
      assert.equal(problemOf(await verify(`${header}.${body}.c2ln`, { fetch: noNetwork })), 'unsupported-algorithm', alg);
    }
  });

  test('not a JWT: malformed, and the message never contains the token', async () => {
    const secret = 'not-a-jwt-secret-value';
    const result = await verify(secret, { fetch: noNetwork });
    assert.equal(problemOf(result), 'malformed');
    assert.ok(!JSON.stringify(result).includes(secret));
  });

  test('no result ever contains the token', async () => {
    const token = issuer.mint({}, { key: 'other' });
    const result = await verify(token);
    assert.ok(!JSON.stringify(result).includes(token.split('.')[2]!));
  });

  test('ES256 (P-256, raw r||s): verified; a DER-encoded signature is not', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const iss = 'https://ec-issuer.example';
    const served: typeof fetch = async (input) =>
      new Response(
        JSON.stringify(
          String(input).endsWith('openid-configuration') ? { issuer: iss, jwks_uri: `${iss}/jwks` } : { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'ec1' }] },
        ),
      );
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${b64({ alg: 'ES256', kid: 'ec1' })}.${b64({ iss, aud: 'provenant', exp: NOW.getTime() / 1000 + 60 })}`;
    const raw = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const der = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
    assert.equal(problemOf(await verify(`${input}.${raw}`, { issuer: iss, fetch: served })), 'ok');
    assert.equal(problemOf(await verify(`${input}.${der}`, { issuer: iss, fetch: served })), 'signature-invalid');
  });
});
