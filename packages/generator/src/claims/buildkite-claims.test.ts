// The Buildkite profile end to end through generateProvenance: the agent's token (a fake exec)
// minted by a local issuer that stands in for https://agent.buildkite.com (fixedIssuerFetch).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type OidcContext, isProvenantError } from '@provenant/core';
import { BUILDKITE_ENV } from '../collectors/testing/ci-env.ts';
import { type GeneratedProvenance, generateProvenance } from '../generate.ts';
import { fakeContext } from '../testing/fake-context.ts';
import { BUILDKITE_ISSUER, buildkiteProfile } from './buildkite-claims.ts';
import type { ProvenantFieldSources } from './field-sources.ts';
import { fixedIssuerFetch } from './testing/fixed-issuer-fetch.ts';
import { type LocalIssuer, startLocalIssuer } from './testing/local-issuer.ts';

const NOW = new Date('2026-03-04T05:06:07Z');
let issuer: LocalIssuer;
let dir: string;

/** A tag build's claims as "OIDC with Buildkite" shows them, for BUILDKITE_ENV's job. */
const CLAIMS = {
  iss: BUILDKITE_ISSUER,
  sub: `organization:acme-corp:pipeline:awesome-logger:ref:refs/tags/v1.6.0:commit:${BUILDKITE_ENV['BUILDKITE_COMMIT']}:step:`,
  organization_slug: 'acme-corp',
  pipeline_slug: 'awesome-logger',
  build_number: 49387,
  build_branch: 'v1.6.0',
  build_tag: 'v1.6.0',
  build_commit: BUILDKITE_ENV['BUILDKITE_COMMIT'],
  build_source: 'webhook',
  step_key: null,
  job_id: BUILDKITE_ENV['BUILDKITE_JOB_ID'],
  agent_id: BUILDKITE_ENV['BUILDKITE_AGENT_ID'],
  runner_environment: 'buildkite-hosted',
};

before(async () => {
  issuer = await startLocalIssuer({ now: () => NOW });
  dir = await mkdtemp(join(tmpdir(), 'provenant-buildkite-claims-'));
});
after(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

/** The agent answers `oidc request-token --audience provenant` with `token`. */
function oidcFor(env: Record<string, string>, token: string, calls: string[] = []): OidcContext {
  return {
    env,
    fetch: fixedIssuerFetch(issuer, BUILDKITE_ISSUER),
    exec: async (file, args) => {
      calls.push([file, ...args].join(' '));
      return file === 'buildkite-agent' ? { code: 0, stdout: `${token}\n`, stderr: '' } : { code: null, stdout: '', stderr: '' };
    },
    now: () => NOW,
    sleep: async () => undefined,
  };
}

function generate(env: Record<string, string>, token: string, calls?: string[]): Promise<GeneratedProvenance> {
  return generateProvenance({
    context: fakeContext({ env, cwd: dir, now: NOW }),
    subjects: { digests: [`app.tgz@sha256:${'1'.repeat(64)}`] },
    dependencies: false,
    oidc: oidcFor(env, token, calls),
  });
}

function sourcesOf(g: GeneratedProvenance, field: string): unknown {
  const metadata = (g.statement.predicate as { runDetails: { metadata: Record<string, unknown> } }).runDetails.metadata;
  return (metadata['provenant_fieldSources'] as ProvenantFieldSources).fields.find((e) => e.field === field)?.sources;
}

describe('Buildkite claims', () => {
  test('a verified agent token marks the fields it states signed-claim', async () => {
    const calls: string[] = [];
    const g = await generate({ ...BUILDKITE_ENV }, issuer.mint(CLAIMS), calls);
    assert.deepEqual(g.claims, { status: 'verified', issuer: BUILDKITE_ISSUER, audience: 'provenant' });
    assert.deepEqual(calls, ['buildkite-agent oidc request-token --audience provenant']);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'signed-claim', claim: 'build_commit' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'signed-claim', claim: 'build_tag' }]);
    assert.deepEqual(sourcesOf(g, 'runDetails.builder.id'), [{ kind: 'signed-claim', claim: 'runner_environment' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.trigger.event'), [{ kind: 'signed-claim', claim: 'build_source' }]);
    assert.deepEqual(sourcesOf(g, 'runDetails.metadata.invocationId'), [
      { kind: 'signed-claim', claim: 'iss' },
      { kind: 'signed-claim', claim: 'organization_slug' },
      { kind: 'signed-claim', claim: 'pipeline_slug' },
      { kind: 'signed-claim', claim: 'build_number' },
      { kind: 'signed-claim', claim: 'job_id' },
    ]);
    // No claim states the repository or the build's UUID: those stay the environment's.
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.repository'), [{ kind: 'environment', variable: 'BUILDKITE_REPO' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.build_id'), [{ kind: 'environment', variable: 'BUILDKITE_BUILD_ID' }]);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(g.payload.toString('utf8')), 'no JWT in the statement');
  });

  test('BUILDKITE_COMMIT changed after the agent set it: CLAIM_CONTRADICTION', async () => {
    await assert.rejects(generate({ ...BUILDKITE_ENV, BUILDKITE_COMMIT: 'b'.repeat(40) }, issuer.mint(CLAIMS)), (err) => {
      assert.ok(isProvenantError(err));
      assert.equal(err.code, 'CLAIM_CONTRADICTION');
      assert.match(err.message, /source\.commit \(environment BUILDKITE_COMMIT; signed claim build_commit\)/);
      return true;
    });
  });

  test('a token from another issuer is not used, and fetches nothing', async () => {
    const before = issuer.requests.length;
    // The local issuer's own iss (http://127.0.0.1:...), not Buildkite's.
    const g = await generate({ ...BUILDKITE_ENV, BUILDKITE_COMMIT: 'b'.repeat(40) }, issuer.mint({ ...CLAIMS, iss: issuer.issuer }));
    assert.equal(g.claims.status, 'not-verified');
    assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'issuer-mismatch');
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'environment', variable: 'BUILDKITE_COMMIT' }]);
    assert.equal(issuer.requests.length, before);
  });

  test('a forged signature under the issuer\'s key id: not-verified', async () => {
    const g = await generate({ ...BUILDKITE_ENV }, issuer.mint(CLAIMS, { key: 'other' }));
    assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'signature-invalid');
  });

  test('facts: a pull request build compares no ref, a symbolic HEAD is no commit', () => {
    const facts = buildkiteProfile.claims!.facts({ ...CLAIMS, build_tag: null, build_branch: 'feature', build_commit: 'HEAD' }, BUILDKITE_ISSUER, { BUILDKITE_PULL_REQUEST: '42' });
    assert.equal(facts.get('ref'), undefined);
    assert.equal(facts.get('commit'), undefined);
    const branch = buildkiteProfile.claims!.facts({ ...CLAIMS, build_tag: null, build_branch: 'main' }, BUILDKITE_ISSUER, { BUILDKITE_PULL_REQUEST: 'false' });
    assert.deepEqual(branch.get('ref'), { value: 'refs/heads/main', claims: ['build_branch'] });
    assert.deepEqual(branch.get('platformIds.build_number'), { value: '49387', claims: ['build_number'] });
  });

  test('the agent cannot issue a token: unavailable, token-request-failed', async () => {
    const env = { ...BUILDKITE_ENV };
    const g = await generateProvenance({
      context: fakeContext({ env, cwd: dir, now: NOW }),
      subjects: { digests: [`app.tgz@sha256:${'1'.repeat(64)}`] },
      dependencies: false,
      oidc: { ...oidcFor(env, ''), exec: async () => ({ code: 1, stdout: '', stderr: 'forbidden' }) },
    });
    assert.equal(g.claims.status === 'unavailable' && g.claims.reason, 'token-request-failed');
  });
});
