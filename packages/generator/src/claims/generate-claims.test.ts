// generateProvenance with a GitHub-like environment whose token service and issuer are a local
// server on 127.0.0.1 (a GitHub Enterprise Server layout: the issuer is <server>/_services/token).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type OidcContext, isProvenantError } from '@provenant/core';
import { GITHUB_ENV, GITLAB_ENV } from '../collectors/testing/ci-env.ts';
import { type GeneratedProvenance, generateProvenance } from '../generate.ts';
import { fakeContext } from '../testing/fake-context.ts';
import type { ProvenantFieldSources } from './field-sources.ts';
import { type LocalIssuer, TOKEN_SERVICE_BEARER, startLocalIssuer } from './testing/local-issuer.ts';

const NOW = new Date('2026-03-04T05:06:07Z');
let issuer: LocalIssuer;
let dir: string;
let env: Record<string, string>;

before(async () => {
  issuer = await startLocalIssuer({ issuerPath: '/_services/token', now: () => NOW });
  dir = await mkdtemp(join(tmpdir(), 'provenant-claims-'));
  env = {
    ...GITHUB_ENV,
    GITHUB_SERVER_URL: issuer.url,
    ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: TOKEN_SERVICE_BEARER,
  };
  issuer.tokenClaims = {
    repository: env['GITHUB_REPOSITORY'],
    repository_id: env['GITHUB_REPOSITORY_ID'],
    repository_owner_id: env['GITHUB_REPOSITORY_OWNER_ID'],
    ref: env['GITHUB_REF'],
    sha: env['GITHUB_SHA'],
    workflow: env['GITHUB_WORKFLOW'],
    workflow_ref: env['GITHUB_WORKFLOW_REF'],
    job_workflow_ref: env['GITHUB_WORKFLOW_REF'],
    run_id: env['GITHUB_RUN_ID'],
    run_attempt: env['GITHUB_RUN_ATTEMPT'],
    run_number: env['GITHUB_RUN_NUMBER'],
    actor_id: env['GITHUB_ACTOR_ID'],
    event_name: env['GITHUB_EVENT_NAME'],
    runner_environment: 'github-hosted',
  };
});
after(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

function oidcFor(e: Record<string, string>): OidcContext {
  return { env: e, fetch: globalThis.fetch, exec: async () => ({ code: null, stdout: '', stderr: '' }), now: () => NOW, sleep: async () => undefined };
}

/** `oidc`: 'default' passes none, so generateProvenance picks its own default. */
function generate(e: Record<string, string>, oidc: OidcContext | false | 'default' = oidcFor(e)): Promise<GeneratedProvenance> {
  return generateProvenance({
    context: fakeContext({ env: e, cwd: dir, now: NOW }),
    subjects: { digests: [`app.tgz@sha256:${'1'.repeat(64)}`] },
    dependencies: false,
    ...(oidc === 'default' ? {} : { oidc }),
  });
}

function fieldSources(g: GeneratedProvenance): ProvenantFieldSources {
  return (g.statement.predicate as { runDetails: { metadata: Record<string, unknown> } }).runDetails.metadata['provenant_fieldSources'] as ProvenantFieldSources;
}

function sourcesOf(g: GeneratedProvenance, field: string): unknown {
  return fieldSources(g).fields.find((e) => e.field === field)?.sources;
}

describe('generateProvenance with platform claims', () => {
  test('a verified token: its claims mark the fields signed-claim, and the token appears nowhere', async () => {
    const before = issuer.requests.length;
    const g = await generate(env);
    assert.deepEqual(g.claims, { status: 'verified', issuer: `${issuer.url}/_services/token`, audience: 'provenant' });
    assert.deepEqual(fieldSources(g).claims, g.claims);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'signed-claim', claim: 'sha' }]);
    assert.deepEqual(sourcesOf(g, 'runDetails.builder.id'), [{ kind: 'signed-claim', claim: 'runner_environment' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.job'), [{ kind: 'environment', variable: 'GITHUB_JOB' }]);
    assert.ok(issuer.requests.slice(before).includes('/token?api-version=2.0&audience=provenant'));
    const text = g.payload.toString('utf8');
    assert.ok(!text.includes(TOKEN_SERVICE_BEARER));
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(text), 'no JWT in the statement');
  });

  test('GITHUB_SHA changed after the platform set it: CLAIM_CONTRADICTION', async () => {
    await assert.rejects(generate({ ...env, GITHUB_SHA: 'b'.repeat(40) }), (err) => {
      assert.ok(isProvenantError(err));
      assert.equal(err.code, 'CLAIM_CONTRADICTION');
      assert.match(err.message, /source\.commit \(environment GITHUB_SHA; signed claim sha\)/);
      return true;
    });
  });

  test('the issuer\'s keys cannot be fetched (offline): claims not used, said so, fields from the environment', async () => {
    issuer.down = true;
    try {
      const g = await generate({ ...env, GITHUB_SHA: 'b'.repeat(40) });
      assert.equal(g.claims.status, 'not-verified');
      assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'keys-unavailable');
      assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'environment', variable: 'GITHUB_SHA' }]);
    } finally {
      issuer.down = false;
    }
  });

  test('no `id-token: write`: unavailable, saying what to add', async () => {
    const e = { ...env };
    delete e['ACTIONS_ID_TOKEN_REQUEST_URL'];
    const g = await generate(e);
    assert.equal(g.claims.status, 'unavailable');
    assert.match(g.claims.status === 'unavailable' ? g.claims.message : '', /permissions: id-token: write/);
  });

  test('an injected collector context without an OIDC context reads no claims and makes no request', async () => {
    const before = issuer.requests.length;
    const g = await generate(env, 'default');
    assert.deepEqual(g.claims, { status: 'unavailable', reason: 'disabled', message: 'signed claims were not read' });
    assert.equal(issuer.requests.length, before);
  });
});

describe('generateProvenance on GitLab CI', () => {
  let gitlab: LocalIssuer;
  let gitlabEnv: Record<string, string>;
  const claims = (aud: string) => ({
    aud,
    project_path: 'gitlab-org/gitlab-runner',
    project_id: '278964',
    pipeline_id: '1590845675',
    pipeline_source: 'push',
    job_id: '8812345678',
    ref: 'main',
    ref_type: 'branch',
    sha: GITLAB_ENV['CI_COMMIT_SHA'],
    runner_id: 12270831,
    runner_environment: 'gitlab-hosted',
  });

  before(async () => {
    gitlab = await startLocalIssuer({ now: () => NOW });
    const project = `${gitlab.url}/gitlab-org/gitlab-runner`;
    gitlabEnv = { ...GITLAB_ENV, CI_SERVER_URL: gitlab.url, CI_PROJECT_URL: project, CI_JOB_URL: `${project}/-/jobs/8812345678` };
  });
  after(() => gitlab.close());

  test('SIGSTORE_ID_TOKEN (aud sigstore) verified: fields signed, and the runner kind only the token states', async () => {
    const g = await generate({ ...gitlabEnv, SIGSTORE_ID_TOKEN: gitlab.mint(claims('sigstore')) });
    assert.deepEqual(g.claims, { status: 'verified', issuer: gitlab.url, audience: 'sigstore' });
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.runner.kind'), [{ kind: 'signed-claim', claim: 'runner_environment' }]);
    assert.deepEqual(sourcesOf(g, 'runDetails.metadata.invocationId'), [
      { kind: 'signed-claim', claim: 'iss' },
      { kind: 'signed-claim', claim: 'project_path' },
      { kind: 'signed-claim', claim: 'job_id' },
    ]);
  });

  test('PROVENANT_ID_TOKEN (aud provenant) is preferred; a token for the wrong audience is not used', async () => {
    const preferred = await generate({ ...gitlabEnv, PROVENANT_ID_TOKEN: gitlab.mint(claims('provenant')), SIGSTORE_ID_TOKEN: gitlab.mint(claims('sigstore')) });
    assert.equal(preferred.claims.status === 'verified' && preferred.claims.audience, 'provenant');
    const wrong = await generate({ ...gitlabEnv, PROVENANT_ID_TOKEN: gitlab.mint(claims('sigstore')) });
    assert.equal(wrong.claims.status === 'not-verified' && wrong.claims.reason, 'audience-mismatch');
  });

  test('a tampered CI_COMMIT_SHA: CLAIM_CONTRADICTION', async () => {
    await assert.rejects(generate({ ...gitlabEnv, CI_COMMIT_SHA: 'e'.repeat(40), SIGSTORE_ID_TOKEN: gitlab.mint(claims('sigstore')) }), /CI_COMMIT_SHA; signed claim sha/);
  });
});
