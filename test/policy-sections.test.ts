// The policy sections of issue 6 through the CLI: buildTypes with the external parameters each may
// carry, subject semantics, and required attestations. Each violation gives its code and exit 1;
// the matching policy passes.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliInProcess } from './support/cli.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CI = 'https://provenant.dev/buildtypes/ci/v1';
const SLSA = 'https://slsa.dev/provenance/v1';
const CDX = 'https://cyclonedx.org/bom';

function statement(predicateType: string, predicate: Record<string, unknown>): string {
  return JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'app', digest: { sha256: 'ab'.repeat(32) } }], predicateType, predicate });
}

const PROVENANCE = {
  buildDefinition: {
    buildType: CI,
    externalParameters: {
      source: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: 'c'.repeat(40) },
      trigger: 'push',
      workflow: { path: '.github/workflows/release.yml', ref: 'refs/heads/main' },
    },
    resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: 'c'.repeat(40) } }],
  },
  runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' }, metadata: { invocationId: 'x', startedOn: '2020-01-01T00:00:00Z', finishedOn: '2020-01-01T00:10:00Z' } },
};

const SBOM = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] };

const MATCHING = `apiVersion: provenant.dev/v1
kind: Policy
buildTypes:
  - type: ${CI}
    externalParameters:
      source:
      trigger:
      workflow: { path: .github/workflows/release.yml }
subjects: { match: exactly, names: [app] }
requiredAttestations: [${SLSA}, ${CDX}]
`;

let dir: string;
let pub: string;
let provenance: string;
let sbom: string;
let both: string;

after(() => rm(dir, { recursive: true, force: true }));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provenant-test-'));
  assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'k')])).status, 0);
  pub = join(dir, 'k.pub');
  const sign = async (name: string, text: string) => {
    await writeFile(join(dir, `${name}.json`), text);
    const out = join(dir, `${name}.sigstore.json`);
    const r = await runCliInProcess(['sign', join(dir, `${name}.json`), '--key', join(dir, 'k.key'), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    return out;
  };
  provenance = await sign('provenance', statement(SLSA, PROVENANCE));
  sbom = await sign('sbom', statement(CDX, SBOM));
  both = join(dir, 'both.intoto.jsonl');
  const lines = await Promise.all([provenance, sbom].map(async (f) => JSON.stringify(JSON.parse(await readFile(f, 'utf8')))));
  await writeFile(both, `${lines.join('\n')}\n`);
});

async function verifyWith(policyText: string, bundles: string[]) {
  const policy = join(dir, `policy-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(policy, policyText);
  return runCliInProcess(['verify', DIGEST, ...bundles.flatMap((b) => ['--bundle', b]), '--key', pub, '--policy', policy]);
}

describe('policy sections through the CLI', () => {
  it('the matching policy passes: provenance and SBOM in one JSON Lines file', async () => {
    const r = await verifyWith(MATCHING, [both]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED\n/);
  });

  it('the matching policy passes: provenance and SBOM as two --bundle files', async () => {
    const r = await verifyWith(MATCHING, [sbom, provenance]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  const violations: [name: string, policy: string, bundles: () => string[], code: string, at: string][] = [
    [
      'an external parameter the policy does not list',
      MATCHING.replace('      trigger:\n', ''),
      () => [both],
      'EXTERNAL_PARAMETER_UNEXPECTED',
      'predicate.buildDefinition.externalParameters.trigger',
    ],
    [
      'an external parameter with another value',
      MATCHING.replace('release.yml', 'other.yml'),
      () => [both],
      'EXTERNAL_PARAMETER_MISMATCH',
      'predicate.buildDefinition.externalParameters.workflow',
    ],
    ['a subject set that is not exactly the one named', MATCHING.replace('names: [app]', 'names: [app, app.sig]'), () => [both], 'SUBJECT_SET_MISMATCH', 'subject'],
    ['a required SBOM that is not there', MATCHING, () => [provenance], 'ATTESTATION_MISSING', 'predicateType'],
  ];
  for (const [name, policy, bundles, code, at] of violations) {
    it(`${name} -> ${code}, exit 1`, async () => {
      const r = await verifyWith(policy, bundles());
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.equal(r.stdout, r.stdout.match(new RegExp(`^FAILED\\n  ${code}: [^\\n]* \\(at ${at.replace(/[.[\]]/g, '\\$&')}\\)\\n$`))?.[0], r.stdout);
    });
  }

  it('plain build type strings still admit any external parameters', async () => {
    const r = await verifyWith(`apiVersion: provenant.dev/v1\nkind: Policy\nbuildTypes: [${CI}]\n`, [provenance]);
    assert.equal(r.status, 0, r.stdout);
  });
});

describe('publicKeys in the policy file are trusted signers', () => {
  it('a key named by path (relative to the policy) or inline is trust enough; none is NO_TRUST_CONSTRAINT', async () => {
    const byPath = join(dir, 'keys-by-path.yaml');
    await writeFile(byPath, 'apiVersion: provenant.dev/v1\nkind: Policy\npublicKeys: [k.pub]\n');
    const ok = await runCliInProcess(['verify', DIGEST, '--bundle', provenance, '--policy', byPath]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);

    const inline = join(dir, 'keys-inline.yaml');
    const pem = await readFile(pub, 'utf8');
    await writeFile(inline, `apiVersion: provenant.dev/v1\nkind: Policy\npublicKeys:\n  - |\n${pem.trim().split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    assert.equal((await runCliInProcess(['verify', DIGEST, '--bundle', provenance, '--policy', inline])).status, 0);

    await runCliInProcess(['keygen', '--out', join(dir, 'other')]);
    const wrong = join(dir, 'keys-wrong.yaml');
    await writeFile(wrong, 'apiVersion: provenant.dev/v1\nkind: Policy\npublicKeys: [other.pub]\n');
    const refused = await runCliInProcess(['verify', DIGEST, '--bundle', provenance, '--policy', wrong]);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /KEY_UNTRUSTED/);

    const none = join(dir, 'no-keys.yaml');
    await writeFile(none, 'apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: 36500d\n');
    const untrusted = await runCliInProcess(['verify', DIGEST, '--bundle', provenance, '--policy', none]);
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.stdout, /NO_TRUST_CONSTRAINT/);
  });
});
