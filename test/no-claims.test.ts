// `--no-claims` end to end through the built CLI: in a GitHub-Actions-like environment whose token
// service and issuer are a local server on 127.0.0.1, no token is requested and the provenance says
// the claims were disabled; a changed variable is then the environment's word, not a contradiction.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalIssuer, TOKEN_SERVICE_BEARER, startLocalIssuer } from '../packages/generator/src/claims/testing/local-issuer.ts';
import { GITHUB_ENV } from '../packages/generator/src/collectors/testing/ci-env.ts';
import { runCli, tempDir } from './support/cli.ts';

interface FieldSources {
  claims: { status: string; reason?: string; message?: string };
  fields: { field: string; sources: { kind: string; claim?: string; variable?: string }[] }[];
}

let issuer: LocalIssuer;
let env: Record<string, string>;

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
  // Claims that would contradict GITHUB_SHA if they were read.
  issuer.tokenClaims = { repository: env['GITHUB_REPOSITORY'], sha: 'c'.repeat(40), run_id: env['GITHUB_RUN_ID'], run_attempt: env['GITHUB_RUN_ATTEMPT'] };
});
after(() => issuer.close());

const SUBJECT = ['--subject-digest', `app.tgz@sha256:${'1'.repeat(64)}`, '--no-deps'];

function fieldSourcesOf(statementJson: string): FieldSources {
  const statement = JSON.parse(statementJson) as { predicate: { runDetails: { metadata: Record<string, unknown> } } };
  return statement.predicate.runDetails.metadata['provenant_fieldSources'] as FieldSources;
}

describe('provenant --no-claims', () => {
  test('generate: no token is requested; claims unavailable (disabled); fields are the environment\'s', async (t) => {
    const dir = await tempDir(t);
    const before = issuer.requests.length;
    const r = await runCli(['generate', ...SUBJECT, '--no-claims'], { cwd: dir, env });
    assert.equal(r.status, 0, r.stderr);
    const fs = fieldSourcesOf(r.stdout);
    assert.equal(fs.claims.status, 'unavailable');
    assert.equal(fs.claims.reason, 'disabled');
    assert.deepEqual(fs.fields.find((f) => f.field === 'buildDefinition.externalParameters.source.commit')?.sources, [{ kind: 'environment', variable: 'GITHUB_SHA' }]);
    assert.equal(fs.fields.some((f) => f.sources.some((s) => s.kind === 'signed-claim')), false);
    assert.deepEqual(issuer.requests.slice(before), [], 'neither the token service nor the issuer was asked');
  });

  test('without --no-claims the same environment reads the claims (and here they contradict)', async (t) => {
    const dir = await tempDir(t);
    const r = await runCli(['generate', ...SUBJECT], { cwd: dir, env });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /CLAIM_CONTRADICTION/);
  });

  test('attest --no-claims signs provenance that says the claims were disabled', async (t) => {
    const dir = await tempDir(t);
    const key = await runCli(['keygen', '--out', `${dir}/k`], { cwd: dir });
    assert.equal(key.status, 0, key.stderr);
    const r = await runCli(['attest', ...SUBJECT, '--no-claims', '--key', `${dir}/k.key`, '--out', `${dir}/b.sigstore.json`, '--statement-out', `${dir}/s.json`], {
      cwd: dir,
      env,
    });
    assert.equal(r.status, 0, r.stderr);
    const { readFile } = await import('node:fs/promises');
    assert.equal(fieldSourcesOf(await readFile(`${dir}/s.json`, 'utf8')).claims.reason, 'disabled');
  });

  test('doctor accepts --no-claims, like every other attest flag', async (t) => {
    const dir = await tempDir(t);
    const r = await runCli(['doctor', ...SUBJECT, '--no-claims'], { cwd: dir, env });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.doesNotMatch(r.stderr, /unknown option/);
  });
});
