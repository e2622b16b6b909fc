// The CircleCI profile end to end through generateProvenance: a token from `circleci run oidc get`
// (a fake exec) or CIRCLE_OIDC_TOKEN_V2, minted by a local issuer standing in for the
// organization's issuer https://oidc.circleci.com/org/<id> (fixedIssuerFetch).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type OidcContext, isProvenantError } from '@provenant/core';
import { CIRCLECI_ENV } from '../collectors/testing/ci-env.ts';
import { type GeneratedProvenance, generateProvenance } from '../generate.ts';
import { fakeContext } from '../testing/fake-context.ts';
import { circleciProfile } from './circleci-claims.ts';
import type { ProvenantFieldSources } from './field-sources.ts';
import { fixedIssuerFetch } from './testing/fixed-issuer-fetch.ts';
import { type LocalIssuer, startLocalIssuer } from './testing/local-issuer.ts';

const NOW = new Date('2026-03-04T05:06:07Z');
const ORG = CIRCLECI_ENV['CIRCLE_ORGANIZATION_ID']!;
const PROJECT = CIRCLECI_ENV['CIRCLE_PROJECT_ID']!;
const ISSUER = `https://oidc.circleci.com/org/${ORG}`;
let issuer: LocalIssuer;
let dir: string;

/** A branch push's claims as "Using OpenID Connect tokens in jobs" describes them. */
const CLAIMS = {
  iss: ISSUER,
  sub: `org/${ORG}/project/${PROJECT}/user/5e7a0c1d-2b3f-4a5c-9d8e-7f6a5b4c3d2e/vcs-origin/github.com/acme/widget/vcs-ref/refs/heads/main`,
  'oidc.circleci.com/org-id': ORG,
  'oidc.circleci.com/project-id': PROJECT,
  'oidc.circleci.com/vcs-origin': 'github.com/acme/widget',
  'oidc.circleci.com/vcs-ref': 'refs/heads/main',
  'oidc.circleci.com/context-ids': ['a74579f1-2e7d-451e-b009-5c082ad2729e'],
  'oidc.circleci.com/ssh-rerun': false,
};

before(async () => {
  issuer = await startLocalIssuer({ now: () => NOW });
  dir = await mkdtemp(join(tmpdir(), 'provenant-circleci-claims-'));
});
after(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI answers with `cliToken`, or fails (exit 1) when it is undefined. */
function oidcFor(env: Record<string, string>, cliToken: string | undefined, calls: string[] = []): OidcContext {
  return {
    env,
    fetch: fixedIssuerFetch(issuer, ISSUER),
    exec: async (file, args) => {
      calls.push([file, ...args].join(' '));
      return cliToken === undefined ? { code: 1, stdout: '', stderr: 'no context' } : { code: 0, stdout: `${cliToken}\n`, stderr: '' };
    },
    now: () => NOW,
    sleep: async () => undefined,
  };
}

function generate(env: Record<string, string>, cliToken: string | undefined, calls?: string[]): Promise<GeneratedProvenance> {
  return generateProvenance({
    context: fakeContext({ env, cwd: dir, now: NOW }),
    subjects: { digests: [`app.tgz@sha256:${'1'.repeat(64)}`] },
    dependencies: false,
    oidc: oidcFor(env, cliToken, calls),
  });
}

function sourcesOf(g: GeneratedProvenance, field: string): unknown {
  const metadata = (g.statement.predicate as { runDetails: { metadata: Record<string, unknown> } }).runDetails.metadata;
  return (metadata['provenant_fieldSources'] as ProvenantFieldSources).fields.find((e) => e.field === field)?.sources;
}

describe('CircleCI claims', () => {
  test('a token from `circleci run oidc get` (aud provenant) marks the fields it states signed-claim', async () => {
    const calls: string[] = [];
    const g = await generate({ ...CIRCLECI_ENV }, issuer.mint(CLAIMS), calls);
    assert.deepEqual(g.claims, { status: 'verified', issuer: ISSUER, audience: 'provenant' });
    assert.deepEqual(calls, ['circleci run oidc get --claims {"aud":"provenant"}']);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'signed-claim', claim: 'oidc.circleci.com/vcs-ref' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.project_id'), [{ kind: 'signed-claim', claim: 'oidc.circleci.com/project-id' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.vcs_origin'), [{ kind: 'signed-claim', claim: 'oidc.circleci.com/vcs-origin' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.ssh_rerun'), [{ kind: 'signed-claim', claim: 'oidc.circleci.com/ssh-rerun' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'environment', variable: 'CIRCLE_SHA1' }]);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(g.payload.toString('utf8')), 'no JWT in the statement');
  });

  test('without the CLI, CIRCLE_OIDC_TOKEN_V2 is used with its documented audience, the organization id', async () => {
    const g = await generate({ ...CIRCLECI_ENV, CIRCLE_OIDC_TOKEN_V2: issuer.mint({ ...CLAIMS, aud: ORG }) }, undefined);
    assert.deepEqual(g.claims, { status: 'verified', issuer: ISSUER, audience: ORG });
    const wrong = await generate({ ...CIRCLECI_ENV, CIRCLE_OIDC_TOKEN_V2: issuer.mint({ ...CLAIMS, aud: 'sts.amazonaws.com' }) }, undefined);
    assert.equal(wrong.claims.status === 'not-verified' && wrong.claims.reason, 'audience-mismatch');
  });

  test('CIRCLE_PROJECT_ID changed after the platform set it: CLAIM_CONTRADICTION', async () => {
    await assert.rejects(generate({ ...CIRCLECI_ENV, CIRCLE_PROJECT_ID: '00000000-0000-4000-8000-000000000000' }, issuer.mint(CLAIMS)), (err) => {
      assert.ok(isProvenantError(err));
      assert.equal(err.code, 'CLAIM_CONTRADICTION');
      assert.match(err.message, /platformIds\.project_id \(environment CIRCLE_PROJECT_ID; signed claim oidc\.circleci\.com\/project-id\)/);
      return true;
    });
  });

  test('a token from another issuer (another organization) is not used', async () => {
    const other = `https://oidc.circleci.com/org/11111111-2222-4333-8444-555555555555`;
    const g = await generate({ ...CIRCLECI_ENV, CIRCLE_BRANCH: 'tampered' }, issuer.mint({ ...CLAIMS, iss: other }));
    assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'issuer-mismatch');
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'environment', variable: 'CIRCLE_BRANCH' }]);
  });

  test('issuer: only CircleCI cloud with an organization UUID; facts: a fork pull request ref is not compared', () => {
    assert.equal(circleciProfile.claims!.issuer({ ...CIRCLECI_ENV, CIRCLE_BUILD_URL: 'https://circleci.example.com/gh/acme/widget/1' }), undefined);
    assert.equal(circleciProfile.claims!.issuer({ ...CIRCLECI_ENV, CIRCLE_ORGANIZATION_ID: 'acme' }), undefined);
    const facts = circleciProfile.claims!.facts({ ...CLAIMS, 'oidc.circleci.com/vcs-ref': 'refs/heads/pull/42' }, ISSUER, {});
    assert.equal(facts.get('ref'), undefined);
  });

  test('no CLI token and no CIRCLE_OIDC_TOKEN_V2: unavailable, saying a context is needed', async () => {
    const env: Record<string, string> = { ...CIRCLECI_ENV };
    delete env['CIRCLE_OIDC_TOKEN_V2'];
    const g = await generate(env, undefined);
    assert.equal(g.claims.status === 'unavailable' && g.claims.reason, 'no-token');
    assert.match(g.claims.status === 'unavailable' ? g.claims.message : '', /context/);
  });
});
