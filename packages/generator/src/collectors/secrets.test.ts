import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { isSensitiveName, looksLikeSecret } from './secrets.ts';

const TEST_RSA = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A PEM armour line, built so no key header appears literally in the source. */
function armour(label: string): string {
  return `-----BEGIN ${label}-----`;
}

/*
 * Token-shaped fixtures are generated from a seeded PRNG rather than written out, so the test file
 * holds nothing a secret scanner would (rightly) complain about, and the "random" strings are the
 * same on every run.
 */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${BASE62}+/`;
const BASE64URL = `${BASE62}-_`;
const UPPER36 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomString(alphabet: string, length: number, seed: number): string {
  const next = prng(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}
const b62 = (n: number, seed = n) => randomString(BASE62, n, seed);

describe('isSensitiveName', () => {
  const sensitive = [
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'NPM_TOKEN',
    'NODE_AUTH_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RUNTIME_TOKEN',
    'CI_JOB_TOKEN',
    'CI_JOB_JWT_V2',
    'CI_REGISTRY_PASSWORD',
    'CI_DEPLOY_PASSWORD',
    'CI_RUNNER_SHORT_TOKEN',
    'CI_REPOSITORY_URL',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SESSION_TOKEN',
    'AZURE_CLIENT_SECRET',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'API_KEY',
    'STRIPE_API_KEY',
    'apiKey',
    'APIKEY',
    'MY_SSHKEY',
    'SIGNING_KEY',
    'COSIGN_PRIVATE_KEY',
    'GPG_PASSPHRASE',
    'DB_PASSWORD',
    'DB_PASS',
    'DB_PWD',
    'MYSQL_PW',
    'LDAP_PASSWD',
    'REGISTRY_CREDS',
    'DOCKER_AUTH_CONFIG',
    'BASIC_AUTH',
    'OAUTH_CLIENT',
    'SESSION_COOKIE',
    'REQUEST_SIGNATURE',
    'WEBHOOK_HMAC',
    'GH_PAT',
    'SENTRY_DSN',
    'TLS_CERT',
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'SQL_CONNECTION_STRING',
    'AzureWebJobsStorageConnectionString',
    'SLACK_WEBHOOK_URL',
    'npm_config__authToken',
    'npm_config_//registry.npmjs.org/:_authToken',
    'clientSecret',
    'github_token',
    'MONKEY', // documented false positive: any part ending in KEY is redacted
  ];
  for (const name of sensitive) {
    test(`${name} is sensitive`, () => assert.equal(isSensitiveName(name), true));
  }

  const notSensitive = [
    'PATH',
    'PWD',
    'OLDPWD',
    'HOME',
    'CI',
    'LANG',
    'TZ',
    'NODE_ENV',
    'ImageOS',
    'GITHUB_SHA',
    'GITHUB_REF',
    'GITHUB_REPOSITORY',
    'GITHUB_WORKFLOW_REF',
    'RUNNER_ENVIRONMENT',
    'CI_COMMIT_SHA',
    'CI_PROJECT_URL',
    'CI_JOB_URL',
    'CI_COMMIT_REF_PROTECTED',
    'KEYBOARD_LAYOUT',
    'PASSENGER_COUNT',
    'BYPASS_CACHE',
    'DISPATCH_MODE',
    'AUTHOR_NAME',
    'PATCH_LEVEL',
  ];
  for (const name of notSensitive) {
    test(`${name} is not sensitive`, () => assert.equal(isSensitiveName(name), false));
  }
});

describe('looksLikeSecret: known formats', () => {
  const positives: Array<[string, string]> = [
    ['GitHub classic PAT', `ghp_${b62(36, 1)}`],
    ['GitHub OAuth token', `gho_${b62(36, 2)}`],
    ['GitHub user-to-server token', `ghu_${b62(36, 3)}`],
    ['GitHub installation token', `ghs_${b62(36, 4)}`],
    ['GitHub refresh token', `ghr_${b62(76, 5)}`],
    ['GitHub fine-grained PAT', `github_pat_${b62(22, 6)}_${b62(59, 7)}`],
    ['token inside a header value', `Authorization: Bearer ghp_${b62(36, 8)}`],
    ['npm token', `npm_${b62(36, 9)}`],
    ['AWS access key id (docs example)', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary access key id', `ASIA${randomString(UPPER36, 16, 10)}`],
    ['GCP API key', `AIza${randomString(BASE64URL, 35, 11)}`],
    ['GCP service-account JSON', '{"type": "service_account", "project_id": "p", "private_key": "x"}'],
    ['Slack bot token', `xoxb-${b62(12, 12)}-${b62(24, 13)}`],
    ['Slack webhook URL', `https://hooks.slack.com/services/T${randomString(UPPER36, 8, 14)}/B${randomString(UPPER36, 8, 15)}/${b62(24, 16)}`],
    ['GitLab PAT', `glpat-${randomString(BASE64URL, 20, 17)}`],
    ['GitLab CI job token', `glcbt-${randomString(BASE64URL, 40, 18)}`],
    ['Stripe secret key', `sk_live_${b62(24, 19)}`],
    ['JWT', `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWY6cmVmcy9oZWFkcy9tYWluIn0.${randomString(BASE64URL, 43, 20)}`],
    // Keys generated at run time: no key material lives in the repository.
    ['RSA private key (PKCS#1)', TEST_RSA.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()],
    ['PKCS#8 private key', TEST_RSA.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
    ['encrypted private key', TEST_RSA.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }).toString()],
    // node:crypto writes neither format: the armour line alone is what the detector keys on.
    ['OpenSSH private key', armour('OPENSSH PRIVATE KEY')],
    ['PGP private key block', armour('PGP PRIVATE KEY BLOCK')],
  ];
  for (const [label, value] of positives) {
    test(`${label} is a secret`, () => assert.equal(looksLikeSecret(value), true));
  }
});

describe('looksLikeSecret: URLs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['user and password', 'postgres://app:hunter2@db.internal:5432/app', true],
    ['token as user name', 'https://abc123@github.com/o/r.git', true],
    ['GitLab clone URL with job token', 'https://gitlab-ci-token:[MASKED]@gitlab.example.com/g/p.git', true],
    ['proxy with credentials', 'http://proxyuser:proxypass@proxy.corp:3128', true],
    ['URL embedded in text', 'clone from https://u:p@host/x then build', true],
    ['private_token query', 'https://gitlab.example.com/api/v4/projects?private_token=abc', true],
    ['presigned S3 URL', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=a&X-Amz-Signature=b', true],
    ['Azure SAS', 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%3D', true],
    ['API key query', 'https://maps.example/api?key=abc', true],
    ['ssh password', 'ssh://deploy:pw@host/r', true],
    ['ssh login only', 'ssh://git@github.com/o/r.git', false],
    ['scp-like remote', 'git@github.com:o/r.git', false],
    ['plain https URL', 'https://github.com/octo-org/octo-repo', false],
    ['run URL', 'https://github.com/octo-org/octo-repo/actions/runs/1658821493/attempts/2', false],
    ['GitLab job URL', 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/7021569457', false],
    ['harmless query', 'https://example.com/search?q=provenance&page=2', false],
    ['npm registry scoped path', 'https://registry.npmjs.org/@scope/pkg', false],
  ];
  for (const [label, value, expected] of cases) {
    test(`${label} -> ${expected}`, () => assert.equal(looksLikeSecret(value), expected));
  }
});

describe('looksLikeSecret: high entropy', () => {
  test('random base62 tokens of 20 to 64 characters', () => {
    for (const length of [24, 32, 40, 64]) {
      for (let seed = 100; seed < 110; seed++) {
        const token = b62(length, seed * length);
        assert.equal(looksLikeSecret(token), true, token);
      }
    }
  });

  const positives: Array<[string, string]> = [
    ['base64 with + and /', randomString(BASE64, 40, 201)],
    ['base64 with padding', `${randomString(BASE64, 42, 202)}==`],
    ['base64url', randomString(BASE64URL, 43, 203)],
    ['lowercase and digits', randomString('abcdefghijklmnopqrstuvwxyz0123456789', 40, 204)],
    ['token after a label', `password=${b62(32, 205)}`],
    ['token with a vendor prefix', `dd_${b62(40, 206)}`],
    ['long blob (only its start is analysed)', randomString(BASE64, 4000, 207)],
  ];
  for (const [label, value] of positives) {
    test(`${label} is a secret`, () => assert.equal(looksLikeSecret(value), true));
  }

  const negatives: Array<[string, string]> = [
    ['empty', ''],
    ['whitespace', '   '],
    ['true', 'true'],
    ['ordinary sentence', 'Merge branch feature into main'],
    ['long ordinary word run', 'ProvenantGeneratorEnvironmentCollector'],
    ['camelCase identifier', 'selfHostedRunnerGroupNameForLinuxArm64'],
    ['kebab-case job id', 'build-and-test_linux-x64-node20'],
    ['branch slug', 'feature-add-provenance-generation-123'],
    ['shard job name', 'test-e2e-chromium-shard-3-of-12'],
    ['ARC runner pod name', 'arc-runner-set-abcde-runner-x7k2p'],
    ['GitLab runner build dir', 'runner-xyz12ab-project-12345678-concurrent-0'],
    ['git commit SHA-1', '8f2c1e0d9b7a6c5e4f3a2b1c0d9e8f7a6b5c4d3e'],
    ['SHA-256 digest', 'sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b'],
    ['SRI-like hex digest', 'sha256-3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b'],
    ['SHA-512 hex', `${'3a7bd3e2360a3d29eea436fcfb7e44c7'.repeat(4)}`],
    ['UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['prefixed UUID', 'github_2b9f47e3-0a4b-4c11-9a3b-1c2d3e4f5a6b'],
    ['all-zero SHA', '0000000000000000000000000000000000000000'],
    ['run id', '1658821493'],
    ['semver', '1.2.3-rc.1+build.20240101'],
    ['runner image version', '20240101.1.0'],
    ['Linux path', '/home/runner/work/provenant/provenant'],
    ['tool cache path', '/opt/hostedtoolcache/node/20.11.1/x64/bin'],
    ['Windows path', 'C:\\hostedtoolcache\\windows\\Python\\3.12.1\\x64'],
    ['docker overlay path', '/var/lib/docker/overlay2/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b/merged'],
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['workflow ref', 'octocat/hello-world/.github/workflows/my-workflow.yml@refs/heads/my_branch'],
    ['renovate branch', 'renovate/major-typescript-eslint-monorepo'],
    ['dependabot branch', 'dependabot/npm_and_yarn/typescript-5.4.2'],
    ['container image with digest', 'node:20.11.1-bookworm-slim@sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b'],
    ['registry image', 'registry.gitlab.com/gitlab-org/gitlab-build-images/debian-bookworm-ruby-3.2-node-20:latest'],
    ['target triple', 'x86_64-unknown-linux-gnu'],
    ['OS name', 'Microsoft_Windows_Server_2022_Datacenter'],
    ['runner name', 'GitHub Actions 1000000012'],
    ['locale', 'en_US.UTF-8'],
    ['long lowercase word run (one class only)', 'abcdefghijklmnopqrstuvwxyz'],
  ];
  for (const [label, value] of negatives) {
    test(`${label} is not a secret`, () => assert.equal(looksLikeSecret(value), false));
  }
});
