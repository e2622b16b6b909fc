import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type OidcContext, PUBLIC_GOOD_FULCIO_URL, PUBLIC_GOOD_REKOR_URL, isProvenantError } from '@provenant/core';
import { type SignFlags, prepareSigning } from './signing.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const TOKEN = `${b64({ alg: 'ES256' })}.${b64({ iss: 'https://gitlab.com', sub: 'project_path:acme/app:ref_type:branch:ref:main', aud: 'sigstore' })}.c2ln`;

function ctx(env: Record<string, string>): OidcContext {
  return {
    env,
    fetch: () => Promise.reject(new Error('offline')),
    exec: async () => ({ code: null, stdout: '', stderr: '' }),
    now: () => NOW,
    sleep: async () => {},
  };
}

const flags = (over: Partial<SignFlags> = {}): SignFlags => ({ out: 'out.json', format: 'sigstore', keyPassphraseEnv: 'PROVENANT_KEY_PASSPHRASE', tlog: true, ...over });

const fails = (code: string, message: RegExp) => (e: unknown) => {
  assert.ok(isProvenantError(e), String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, message);
  return true;
};

describe('prepareSigning: key or keyless', () => {
  it('keyless is the default when no --key is given and a token is available (public-good services, no TSA)', async () => {
    const signing = await prepareSigning(flags(), ctx({ GITLAB_CI: 'true', SIGSTORE_ID_TOKEN: TOKEN }));
    assert.equal(signing.kind, 'keyless');
    assert.ok(signing.kind === 'keyless');
    assert.equal(signing.identitySource, 'GitLab CI');
    assert.deepEqual(signing.options.services, { fulcioURL: PUBLIC_GOOD_FULCIO_URL, tlogs: [{ url: PUBLIC_GOOD_REKOR_URL, majorApiVersion: 1 }], tsas: [] });
    assert.equal(await signing.options.identityProvider.getToken(), TOKEN);
  });

  it('with neither a key nor a token: USAGE, saying both ways out', async () => {
    await assert.rejects(prepareSigning(flags(), ctx({})), fails('USAGE', /give --key FILE, or run where an OIDC token is available .*--identity-token/));
  });

  it('in CI without the token permission: USAGE (no --key) or OIDC_TOKEN_UNAVAILABLE (--keyless), each saying what to add', async () => {
    await assert.rejects(prepareSigning(flags(), ctx({ GITHUB_ACTIONS: 'true' })), fails('USAGE', /add `permissions: id-token: write` to the job \(or give --key FILE\)/));
    await assert.rejects(prepareSigning(flags({ keyless: true }), ctx({ GITHUB_ACTIONS: 'true' })), fails('OIDC_TOKEN_UNAVAILABLE', /^GitHub Actions .*permissions: id-token: write/));
    await assert.rejects(prepareSigning(flags({ keyless: true }), ctx({ GITLAB_CI: 'true' })), fails('OIDC_TOKEN_UNAVAILABLE', /id_tokens: \{ SIGSTORE_ID_TOKEN: \{ aud: sigstore \} \}/));
    await assert.rejects(prepareSigning(flags({ keyless: true }), ctx({})), fails('OIDC_TOKEN_UNAVAILABLE', /none is available here/));
  });

  it('refuses mixed or impossible requests', async () => {
    const env = ctx({ SIGSTORE_ID_TOKEN: TOKEN });
    await assert.rejects(prepareSigning(flags({ key: 'k.key', keyless: true }), env), fails('USAGE', /--key cannot be combined with --keyless/));
    await assert.rejects(prepareSigning(flags({ key: 'k.key', fulcioUrl: 'https://f' }), env), fails('USAGE', /--key cannot be combined with --fulcio-url/));
    await assert.rejects(prepareSigning(flags({ keyless: true, format: 'intoto-jsonl' }), env), fails('USAGE', /intoto-jsonl needs --key/));
    await assert.rejects(prepareSigning(flags({ signingConfig: 'sc.json', tsaUrl: 'https://t' }), env), fails('USAGE', /--signing-config cannot be combined with --tsa-url/));
    await assert.rejects(prepareSigning(flags({ tlog: false }), env), fails('USAGE', /--no-tlog needs --tsa-url/));
    await assert.rejects(prepareSigning(flags({ sigstoreRetries: '-1' }), env), fails('USAGE', /--sigstore-retries/));
  });

  it('a key-signing run ignores an ambient token', async () => {
    await assert.rejects(prepareSigning(flags({ key: '/nonexistent/k.key' }), ctx({ SIGSTORE_ID_TOKEN: TOKEN })), fails('FILE_UNREADABLE', /cannot read key/));
  });
});
