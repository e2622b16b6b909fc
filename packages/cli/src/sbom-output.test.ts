import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type StatementV1, generateKeyPair, isProvenantError, loadPrivateKey, readAttestationFile } from '@provenant/core';
import type { DependencyFacts } from '@provenant/generator';
import { createTrust, verifyAttestation } from '@provenant/verifier';
// The generator's index does not export the SBOM functions until the lead wires them; the test
// reads them from source meanwhile (tests are not part of the build).
import { buildCycloneDxSbom } from '../../generator/src/sbom/cyclonedx-sbom.ts';
import { statementForSbom } from '../../generator/src/sbom/sbom-statement.ts';
import { sbomOutputPath, writeSbomAttestation } from './sbom-output.ts';
import { signAndWrite } from './signing.ts';

const builder = { buildCycloneDxSbom, statementForSbom };

describe('sbomOutputPath', () => {
  const cases: [string, string | undefined, string][] = [
    ['build.sigstore.json', undefined, 'build.sbom.sigstore.json'],
    ['out/app-1.2.sigstore.json', undefined, 'out/app-1.2.sbom.sigstore.json'],
    ['build.intoto.jsonl', undefined, 'build.sbom.intoto.jsonl'],
    ['build.json', undefined, 'build.sbom.json'],
    ['provenance', undefined, 'provenance.sbom'],
    ['build.sigstore.json', 'sbom/app.cdx.sigstore.json', 'sbom/app.cdx.sigstore.json'],
  ];
  for (const [out, sbomOut, expected] of cases) {
    test(`${out}${sbomOut ? ` --sbom-out ${sbomOut}` : ''} -> ${expected}`, () => assert.equal(sbomOutputPath(out, sbomOut), expected));
  }

  test('refuses --sbom-out equal to --out', () => {
    assert.throws(() => sbomOutputPath('a.sigstore.json', 'a.sigstore.json'), (err) => isProvenantError(err) && err.code === 'USAGE');
  });
});

describe('writeSbomAttestation', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const subjectDigest = { sha256: '5e'.repeat(32) };
  const statement: StatementV1 = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: subjectDigest }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://provenant.dev/buildtypes/ci/v1', externalParameters: { source: { repository: 'https://github.com/acme/app' } } },
      runDetails: { builder: { id: 'https://provenant.dev/builders/local/v1' }, metadata: { finishedOn: '2026-02-03T04:05:06Z' } },
    },
  };
  const dependencies: DependencyFacts[] = [
    {
      lockfile: 'package-lock.json',
      ecosystem: 'npm',
      manager: 'npm',
      roots: ['pkg:npm/ms@2.1.3'],
      packages: [{ ecosystem: 'npm', name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3', digest: { sha512: '7'.repeat(128) }, scope: 'prod', direct: true, sourceKind: 'registry', dependencies: [] }],
    },
  ];

  test('hands the signer the stable-key SBOM statement and the derived path', async () => {
    const signed: { payload: string; out: string }[] = [];
    const result = await writeSbomAttestation({ statement, dependencies }, { out: 'dist/build.sigstore.json', sbom: true }, builder, async (payload, out) => {
      signed.push({ payload: payload.toString('utf8'), out });
    });
    assert.deepEqual(result, { path: 'dist/build.sbom.sigstore.json', components: 1 });
    assert.equal(signed.length, 1);
    assert.equal(signed[0]!.out, 'dist/build.sbom.sigstore.json');
    const sbomStatement = JSON.parse(signed[0]!.payload);
    assert.equal(sbomStatement.predicateType, 'https://cyclonedx.org/bom');
    assert.deepEqual(sbomStatement.subject, [{ name: 'app.tgz', digest: subjectDigest }]);
    assert.equal(sbomStatement.predicate.metadata.timestamp, '2026-02-03T04:05:06.000Z', 'dated by the provenance, not the clock');
    assert.equal(sbomStatement.predicate.metadata.component.name, 'app.tgz');
    assert.deepEqual(sbomStatement.predicate.dependencies, [{ ref: 'subject:app.tgz', dependsOn: ['pkg:npm/ms@2.1.3'] }, { ref: 'pkg:npm/ms@2.1.3' }]);
    assert.equal(signed[0]!.payload, JSON.stringify(JSON.parse(signed[0]!.payload)), 'compact JSON');
    assert.ok(signed[0]!.payload.indexOf('"_type"') < signed[0]!.payload.indexOf('"predicate"'), 'keys sorted');
  });

  test('signed with a real key, the SBOM bundle verifies for the subject under its predicate type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provenant-sbom-'));
    dirs.push(dir);
    const keys = generateKeyPair('ecdsa-p256');
    const key = loadPrivateKey(keys.privateKeyPem);
    const out = join(dir, 'build.sigstore.json');
    const result = await writeSbomAttestation({ statement, dependencies }, { out, sbom: true }, builder, (payload, path) => signAndWrite(payload, { kind: 'key', key }, { out: path, format: 'sigstore' }));
    assert.equal(result.path, join(dir, 'build.sbom.sigstore.json'));
    const [att] = await readAttestationFile(result.path);
    const verdict = verifyAttestation(att!, subjectDigest, createTrust({ publicKeys: [keys.publicKeyPem] }), { predicateTypes: ['https://cyclonedx.org/bom'] }, new Date());
    assert.deepEqual(verdict.findings, []);
    assert.equal(verdict.ok, true);
    assert.match(await readFile(result.path, 'utf8'), /application\/vnd\.dev\.sigstore\.bundle/);
  });
});
