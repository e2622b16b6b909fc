// Trust marking end to end: `provenant generate|attest` in a GitHub-Actions-like environment whose
// ID-token service and OIDC issuer (discovery + JWKS, keys made at test time) are a local server on
// 127.0.0.1, laid out as GitHub Enterprise Server does (issuer = <server>/_services/token).
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GITHUB_ENV } from '../packages/generator/src/collectors/testing/ci-env.ts';
import { type LocalIssuer, TOKEN_SERVICE_BEARER, startLocalIssuer } from '../packages/generator/src/claims/testing/local-issuer.ts';
import { type CliResult, errorCode, runCli, tempDir } from './support/cli.ts';

interface FieldSources {
  claims: { status: string; issuer?: string; reason?: string };
  fields: { field: string; sources: { kind: string; claim?: string; variable?: string }[] }[];
}

let issuer: LocalIssuer;
let env: Record<string, string>;
const seen: string[] = [];

before(async () => {
  issuer = await startLocalIssuer({ issuerPath: '/_services/token' });
  env = {
    ...GITHUB_ENV,
    GITHUB_SERVER_URL: issuer.url,
    ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: TOKEN_SERVICE_BEARER,
    SIGSTORE_ID_TOKEN: '',
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
  // What GitHub puts in the token of the run GITHUB_ENV describes.
  issuer.tokenClaims = {
    sub: `repo:${env['GITHUB_REPOSITORY']}:ref:${env['GITHUB_REF']}`,
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
after(() => issuer.close());

async function cli(args: string[], cwd: string, overrides: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { cwd, env: { ...env, ...overrides } });
  seen.push(r.stdout, r.stderr);
  return r;
}

function fieldSourcesOf(statementJson: string): FieldSources {
  const statement = JSON.parse(statementJson) as { predicate: { runDetails: { metadata: Record<string, unknown> } } };
  return statement.predicate.runDetails.metadata['provenant_fieldSources'] as FieldSources;
}

function sources(fs: FieldSources, field: string): FieldSources['fields'][number]['sources'] | undefined {
  return fs.fields.find((f) => f.field === field)?.sources;
}

const SUBJECT = ['--subject-digest', `app.tgz@sha256:${'1'.repeat(64)}`, '--no-deps'];

describe('provenant generate with signed platform claims', () => {
  test('the token verifies: source, builder, invocation and run ids are marked signed-claim', async (t) => {
    const dir = await tempDir(t);
    const r = await cli(['generate', ...SUBJECT], dir);
    assert.equal(r.status, 0, r.stderr);
    const fs = fieldSourcesOf(r.stdout);
    assert.deepEqual(fs.claims, { status: 'verified', issuer: `${issuer.url}/_services/token`, audience: 'provenant' });
    assert.deepEqual(sources(fs, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'signed-claim', claim: 'sha' }]);
    assert.deepEqual(sources(fs, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'signed-claim', claim: 'ref' }]);
    assert.deepEqual(sources(fs, 'buildDefinition.externalParameters.source.repository'), [
      { kind: 'signed-claim', claim: 'iss' },
      { kind: 'signed-claim', claim: 'repository' },
    ]);
    assert.deepEqual(sources(fs, 'runDetails.builder.id'), [{ kind: 'signed-claim', claim: 'runner_environment' }]);
    assert.ok(sources(fs, 'runDetails.metadata.invocationId')?.every((s) => s.kind === 'signed-claim'));
    assert.deepEqual(sources(fs, 'buildDefinition.internalParameters.platformIds.run_id'), [{ kind: 'signed-claim', claim: 'run_id' }]);
    // No claim states the job name: it is the environment's word, and says so.
    assert.deepEqual(sources(fs, 'buildDefinition.internalParameters.platformIds.job'), [{ kind: 'environment', variable: 'GITHUB_JOB' }]);
    assert.ok(issuer.requests.includes('/token?api-version=2.0&audience=provenant'));
  });

  test('a tampered GITHUB_SHA: exit 2, CLAIM_CONTRADICTION naming the field and both sources, and no output file', async (t) => {
    const dir = await tempDir(t);
    const tampered = 'bad0'.repeat(10);
    const r = await cli(['generate', ...SUBJECT], dir, { GITHUB_SHA: tampered });
    assert.equal(r.status, 2, r.stdout);
    assert.equal(errorCode(r), 'CLAIM_CONTRADICTION', r.stderr);
    assert.match(r.stderr, /buildDefinition\.externalParameters\.source\.commit \(environment GITHUB_SHA; signed claim sha\)/);
    assert.ok(!r.stderr.includes(tampered), 'no value in the message');
    assert.equal(r.stdout, '');

    const key = await cli(['keygen', '--out', join(dir, 'k')], dir);
    assert.equal(key.status, 0, key.stderr);
    const out = join(dir, 'never.sigstore.json');
    const attest = await cli(['attest', ...SUBJECT, '--key', join(dir, 'k.key'), '--out', out], dir, { GITHUB_SHA: tampered });
    assert.equal(errorCode(attest), 'CLAIM_CONTRADICTION', attest.stderr);
    await assert.rejects(access(out), 'no bundle after a contradiction');
  });

  test('the issuer cannot be reached: provenance without signed claims, saying why', async (t) => {
    const dir = await tempDir(t);
    issuer.down = true;
    try {
      const r = await cli(['generate', ...SUBJECT], dir, { GITHUB_SHA: 'bad0'.repeat(10) });
      assert.equal(r.status, 0, r.stderr);
      const fs = fieldSourcesOf(r.stdout);
      assert.equal(fs.claims.status, 'not-verified');
      assert.equal(fs.claims.reason, 'keys-unavailable');
      assert.deepEqual(sources(fs, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'environment', variable: 'GITHUB_SHA' }]);
      assert.equal(fs.fields.some((f) => f.sources.some((s) => s.kind === 'signed-claim')), false, 'never an unverified claim');
    } finally {
      issuer.down = false;
    }
  });

  test('a local build: no claims, and says so', async (t) => {
    const dir = await tempDir(t);
    const r = await runCli(['generate', ...SUBJECT], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fieldSourcesOf(r.stdout).claims.status, 'unavailable');
  });

  test('neither the token nor the request bearer appears in any output', () => {
    assert.ok(seen.length >= 8);
    for (const text of seen) {
      assert.ok(!text.includes(TOKEN_SERVICE_BEARER));
      assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./.test(text), 'no JWT');
    }
  });
});
