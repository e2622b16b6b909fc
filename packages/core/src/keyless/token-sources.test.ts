import assert from 'node:assert/strict';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isProvenantError } from '../errors.ts';
import { buildkiteToken } from './buildkite-token.ts';
import { circleciToken } from './circleci-token.ts';
import { githubActionsToken } from './github-actions-token.ts';
import { checkIdentityToken } from './identity-token.ts';
import type { OidcContext, OidcExecResult } from './oidc-context.ts';
import { selectIdentityProvider } from './select-identity-provider.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** An unsigned JWT-shaped token: these tests never reach a Fulcio, so no signature is checked. */
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'ES256' })}.${b64(claims)}.c2lnbmF0dXJl`;
const TOKEN = jwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/app:ref:refs/heads/main', aud: 'sigstore', exp: NOW.getTime() / 1000 + 300 });

function context(env: Record<string, string>, over: Partial<OidcContext> = {}): OidcContext {
  return {
    env,
    fetch: () => Promise.reject(new Error('no network in this test')),
    exec: async () => ({ code: null, stdout: '', stderr: '' }),
    now: () => NOW,
    sleep: async () => {},
    ...over,
  };
}

function rejectsWith(code: string, message: RegExp) {
  return (e: unknown) => {
    assert.ok(isProvenantError(e), String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes(TOKEN), 'the token never appears in a message');
    return true;
  };
}

describe('checkIdentityToken', () => {
  it('reads the issuer, the subject (a verified email first) and the expiry', () => {
    assert.deepEqual(checkIdentityToken(TOKEN, 't', NOW), {
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:acme/app:ref:refs/heads/main',
      expiresAt: new Date(NOW.getTime() + 300_000),
    });
    assert.equal(checkIdentityToken(jwt({ sub: 's', email: 'a@b.example', email_verified: true }), 't', NOW).subject, 'a@b.example');
  });

  const bad: [string, string, RegExp][] = [
    ['not a JWT', 'secret-value-not-a-jwt', /not a JWT/],
    ['a payload that is not JSON', `a.${Buffer.from('x').toString('base64url')}.c`, /not JSON/],
    ['no subject', jwt({ iss: 'x' }), /no subject/],
    ['an unverified email', jwt({ sub: 's', email: 'a@b.example' }), /did not verify/],
    ['expired', jwt({ sub: 's', exp: NOW.getTime() / 1000 - 1 }), /expired at 2026-05-31T23:59:59\.000Z/],
  ];
  for (const [name, token, message] of bad) {
    it(`refuses a token with ${name}, without quoting it`, () => {
      assert.throws(
        () => checkIdentityToken(token, '--identity-token', NOW),
        (e: unknown) => isProvenantError(e) && e.code === 'OIDC_TOKEN_INVALID' && message.test(e.message) && !e.message.includes(token) && e.message.includes('--identity-token'),
      );
    });
  }
});

describe('GitHub Actions ID-token request (against a local server)', () => {
  const seen: { url: string; authorization: string | undefined; accept: string | undefined }[] = [];
  let failuresToServe = 0;
  let status = 200;
  let baseURL = '';
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept });
    if (failuresToServe > 0) {
      failuresToServe--;
      res.writeHead(503).end();
      return;
    }
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"nope"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: TOKEN }));
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = () => ({
    GITHUB_ACTIONS: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: `${baseURL}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-bearer-secret',
  });

  it('asks for audience sigstore with the runner bearer, and returns the value', async () => {
    seen.length = 0;
    const selection = selectIdentityProvider(context(env(), { fetch: globalThis.fetch }));
    assert.equal(selection.kind, 'found');
    assert.ok(selection.kind === 'found');
    assert.equal(selection.source, 'GitHub Actions');
    assert.equal(await selection.provider.getToken(), TOKEN);
    assert.deepEqual(seen, [{ url: '/token?api-version=2.0&audience=sigstore', authorization: 'Bearer request-bearer-secret', accept: 'application/json' }]);
  });

  it('retries a 5xx, then succeeds', async () => {
    seen.length = 0;
    failuresToServe = 2;
    const sleeps: number[] = [];
    const token = await githubActionsToken.provider(context(env(), { fetch: globalThis.fetch, sleep: async (ms) => void sleeps.push(ms) })).getToken();
    assert.equal(token, TOKEN);
    assert.equal(seen.length, 3);
    assert.deepEqual(sleeps, [1000, 2000]);
  });

  it('a 403 fails at once and says which permission to check; the bearer is never in the message', async () => {
    seen.length = 0;
    status = 403;
    try {
      await assert.rejects(
        githubActionsToken.provider(context(env(), { fetch: globalThis.fetch })).getToken(),
        (e: unknown) => rejectsWith('OIDC_TOKEN_UNAVAILABLE', /HTTP 403 .*id-token: write/)(e) && !(e as Error).message.includes('request-bearer-secret'),
      );
      assert.equal(seen.length, 1);
    } finally {
      status = 200;
    }
  });

  it('an unreachable service fails after three attempts with the cause', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = { ...env(), ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0` };
    await assert.rejects(githubActionsToken.provider(context(dead, { fetch: globalThis.fetch })).getToken(), rejectsWith('OIDC_TOKEN_UNAVAILABLE', /ECONNREFUSED.*after 3 attempts/));
  });

  it('without id-token: write there is no request URL, and the message says what to add', () => {
    const selection = selectIdentityProvider(context({ GITHUB_ACTIONS: 'true' }));
    assert.equal(selection.kind, 'missing');
    assert.ok(selection.kind === 'missing');
    assert.match(selection.reason, /add `permissions: id-token: write` to the job/);
  });
});

describe('the other token sources', () => {
  it('GitLab CI: SIGSTORE_ID_TOKEN from id_tokens, or the snippet that declares it', async () => {
    const missing = selectIdentityProvider(context({ GITLAB_CI: 'true' }));
    assert.ok(missing.kind === 'missing');
    assert.match(missing.reason, /add `id_tokens: \{ SIGSTORE_ID_TOKEN: \{ aud: sigstore \} \}` to the job/);
    const found = selectIdentityProvider(context({ GITLAB_CI: 'true', SIGSTORE_ID_TOKEN: TOKEN }));
    assert.ok(found.kind === 'found');
    assert.equal(found.source, 'GitLab CI');
    assert.equal(await found.provider.getToken(), TOKEN);
  });

  it('Buildkite: asks the agent for audience sigstore', async () => {
    const calls: string[][] = [];
    const exec = async (file: string, args: readonly string[]): Promise<OidcExecResult> => {
      calls.push([file, ...args]);
      return { code: 0, stdout: `${TOKEN}\n`, stderr: '' };
    };
    const found = selectIdentityProvider(context({ BUILDKITE: 'true' }, { exec }));
    assert.ok(found.kind === 'found');
    assert.equal(await found.provider.getToken(), TOKEN);
    assert.deepEqual(calls, [['buildkite-agent', 'oidc', 'request-token', '--audience', 'sigstore']]);
    const failing = buildkiteToken.provider(context({ BUILDKITE: 'true' }, { exec: async () => ({ code: 1, stdout: '', stderr: 'error: not permitted\nmore' }) }));
    await assert.rejects(failing.getToken(), rejectsWith('OIDC_TOKEN_UNAVAILABLE', /failed \(exit 1\): error: not permitted$/));
    const absent = buildkiteToken.provider(context({ BUILDKITE: 'true' }));
    await assert.rejects(absent.getToken(), rejectsWith('OIDC_TOKEN_UNAVAILABLE', /is buildkite-agent on PATH/));
  });

  it('CircleCI: the CLI with aud sigstore, else CIRCLE_OIDC_TOKEN_V2, else a hint', async () => {
    const calls: string[][] = [];
    const exec = async (file: string, args: readonly string[]): Promise<OidcExecResult> => {
      calls.push([file, ...args]);
      return { code: 0, stdout: TOKEN, stderr: '' };
    };
    assert.equal(await circleciToken.provider(context({ CIRCLECI: 'true' }, { exec })).getToken(), TOKEN);
    assert.deepEqual(calls, [['circleci', 'run', 'oidc', 'get', '--claims', '{"aud":"sigstore"}']]);
    assert.equal(await circleciToken.provider(context({ CIRCLECI: 'true', CIRCLE_OIDC_TOKEN_V2: 'v2-token' })).getToken(), 'v2-token');
    await assert.rejects(circleciToken.provider(context({ CIRCLECI: 'true' })).getToken(), rejectsWith('OIDC_TOKEN_UNAVAILABLE', /CIRCLE_OIDC_TOKEN_V2 is not set: run the job with a context/));
  });

  it('precedence: --identity-token, then SIGSTORE_ID_TOKEN, then the platform; empty variables count as unset', async () => {
    const ghEnv = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' };
    const explicit = selectIdentityProvider(context({ ...ghEnv, SIGSTORE_ID_TOKEN: 'env' }), { identityToken: TOKEN });
    assert.ok(explicit.kind === 'found');
    assert.equal(explicit.source, '--identity-token');
    const fromEnv = selectIdentityProvider(context({ ...ghEnv, SIGSTORE_ID_TOKEN: TOKEN }));
    assert.ok(fromEnv.kind === 'found');
    assert.equal(fromEnv.source, 'SIGSTORE_ID_TOKEN');
    const platform = selectIdentityProvider(context({ ...ghEnv, SIGSTORE_ID_TOKEN: '' }));
    assert.ok(platform.kind === 'found');
    assert.equal(platform.source, 'GitHub Actions');
    assert.deepEqual(selectIdentityProvider(context({ BUILDKITE: '', CIRCLECI: 'false' })), { kind: 'none' });
  });

  it('a token at hand is checked when selected (before any hashing); one from a service when it arrives', async () => {
    const expired = jwt({ sub: 's', exp: NOW.getTime() / 1000 - 60 });
    const invalid = (source: string) => (e: unknown) =>
      isProvenantError(e) && e.code === 'OIDC_TOKEN_INVALID' && new RegExp(`from ${source} expired`).test(e.message) && !e.message.includes(expired);
    assert.throws(() => selectIdentityProvider(context({ SIGSTORE_ID_TOKEN: expired })), invalid('SIGSTORE_ID_TOKEN'));
    assert.throws(() => selectIdentityProvider(context({}), { identityToken: expired }), invalid('--identity-token'));
    const exec = async (): Promise<OidcExecResult> => ({ code: 0, stdout: expired, stderr: '' });
    const found = selectIdentityProvider(context({ BUILDKITE: 'true' }, { exec }));
    assert.ok(found.kind === 'found');
    await assert.rejects(found.provider.getToken(), invalid('Buildkite'));
  });
});
