import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DependencyFacts, ResolvedPackage } from '../dependencies/model.ts';
import { parseNpmLockfile } from '../dependencies/npm-lockfile.ts';
import type { Subject } from '../subjects.ts';
import { BUILD_BOM_REF, type CycloneDxBom, buildCycloneDxSbom, subjectBomRef } from './cyclonedx-sbom.ts';
import { cycloneDx16Errors } from './testing/json-schema-subset.ts';

const META = { timestamp: new Date('2026-03-01T12:00:00.000Z'), toolVersion: '0.1.0' };
const SUBJECT: Subject = { name: 'dist/app.tgz', digest: { sha256: 'ab'.repeat(32), sha512: 'cd'.repeat(64) } };
const SHA512 = (c: string) => c.repeat(128);

function pkg(over: Partial<ResolvedPackage> & Pick<ResolvedPackage, 'purl' | 'name' | 'version'>): ResolvedPackage {
  return { ecosystem: 'npm', digest: { sha512: SHA512('1') }, scope: 'prod', direct: false, sourceKind: 'registry', ...over };
}

/** A small graph: app → express → debug → ms; app → @types/node (dev); express → missing (dangling). */
const NPM: DependencyFacts = {
  lockfile: 'package-lock.json',
  ecosystem: 'npm',
  manager: 'npm',
  lockfileVersion: 3,
  roots: ['pkg:npm/%40types/node@20.0.0', 'pkg:npm/express@4.19.2'],
  packages: [
    pkg({ purl: 'pkg:npm/express@4.19.2', name: 'express', version: '4.19.2', direct: true, downloadLocation: 'https://registry.npmjs.org/express/-/express-4.19.2.tgz', dependencies: ['pkg:npm/debug@2.6.9', 'pkg:npm/not-in-lockfile@1.0.0'] }),
    pkg({ purl: 'pkg:npm/debug@2.6.9', name: 'debug', version: '2.6.9', digest: { sha1: 'a'.repeat(40), sha512: SHA512('2') }, dependencies: ['pkg:npm/ms@2.0.0'] }),
    pkg({ purl: 'pkg:npm/ms@2.0.0', name: 'ms', version: '2.0.0', scope: 'optional', dependencies: [] }),
    pkg({ purl: 'pkg:npm/%40types/node@20.0.0', name: '@types/node', version: '20.0.0', scope: 'dev', direct: true, dependencies: [] }),
    pkg({ purl: 'pkg:npm/react@18.3.1', name: 'react', version: '18.3.1', scope: 'peer' }),
    pkg({ purl: 'pkg:npm/helper@1.0.0', name: 'helper', version: '1.0.0', digest: {}, sourceKind: 'git', downloadLocation: 'git+ssh://git@github.com/acme/helper.git#0123abc', dependencies: [] }),
  ],
};

/** A second lockfile (Go): a module with a dirHash only, and a package also listed above, weaker. */
const GO: DependencyFacts = {
  lockfile: 'tools/go.sum',
  ecosystem: 'golang',
  manager: 'go',
  roots: ['pkg:golang/github.com/pkg/errors@v0.9.1'],
  packages: [
    pkg({ ecosystem: 'golang', purl: 'pkg:golang/github.com/pkg/errors@v0.9.1', name: 'github.com/pkg/errors', version: 'v0.9.1', digest: { dirHash: 'h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=' }, direct: true }),
    pkg({ purl: 'pkg:npm/ms@2.0.0', name: 'ms', version: '2.0.0', scope: 'dev', digest: { sha512: SHA512('9'), sha256: 'ef'.repeat(32) } }),
  ],
};

function component(bom: CycloneDxBom, ref: string) {
  const found = bom.components?.find((c) => c['bom-ref'] === ref);
  assert.ok(found, `component ${ref}`);
  return found;
}

function edges(bom: CycloneDxBom): Record<string, string[]> {
  return Object.fromEntries((bom.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
}

describe('buildCycloneDxSbom', () => {
  const { bom, json } = buildCycloneDxSbom([SUBJECT], [NPM, GO], META);

  test('is a CycloneDX 1.6 document that validates against the shipped 1.6 JSON schema', () => {
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.version, 1);
    assert.match(bom.serialNumber ?? '', /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(cycloneDx16Errors(bom), []);
    assert.deepEqual(JSON.parse(json), bom);
  });

  test('metadata: timestamp, the tool, and the subject as a file component with its hashes', () => {
    assert.equal(bom.metadata?.timestamp, '2026-03-01T12:00:00.000Z');
    assert.deepEqual(bom.metadata?.tools, { components: [{ type: 'application', name: 'provenant', version: '0.1.0' }] });
    assert.deepEqual(bom.metadata?.component, {
      type: 'file',
      name: 'dist/app.tgz',
      'bom-ref': subjectBomRef('dist/app.tgz'),
      hashes: [
        { alg: 'SHA-512', content: 'cd'.repeat(64) },
        { alg: 'SHA-256', content: 'ab'.repeat(32) },
      ],
    });
  });

  test('one component per distinct purl, bom-ref = purl, sorted by purl', () => {
    const refs = bom.components?.map((c) => c['bom-ref']);
    assert.deepEqual(refs, [
      'pkg:golang/github.com/pkg/errors@v0.9.1',
      'pkg:npm/%40types/node@20.0.0',
      'pkg:npm/debug@2.6.9',
      'pkg:npm/express@4.19.2',
      'pkg:npm/helper@1.0.0',
      'pkg:npm/ms@2.0.0',
      'pkg:npm/react@18.3.1',
    ]);
    for (const c of bom.components ?? []) assert.equal(c.purl, c['bom-ref']);
  });

  const scopes: [string, string][] = [
    ['pkg:npm/express@4.19.2', 'required'],
    ['pkg:npm/ms@2.0.0', 'optional'], // optional here, dev in the Go lockfile: the stronger wins
    ['pkg:npm/%40types/node@20.0.0', 'excluded'],
    ['pkg:npm/react@18.3.1', 'required'], // peer
  ];
  for (const [ref, scope] of scopes) {
    test(`scope of ${ref} is ${scope}`, () => assert.equal(component(bom, ref).scope, scope));
  }

  test('group and name come from the purl namespace and name', () => {
    assert.deepEqual([component(bom, 'pkg:npm/%40types/node@20.0.0').group, component(bom, 'pkg:npm/%40types/node@20.0.0').name], ['@types', 'node']);
    assert.deepEqual([component(bom, 'pkg:golang/github.com/pkg/errors@v0.9.1').group, component(bom, 'pkg:golang/github.com/pkg/errors@v0.9.1').name], ['github.com/pkg', 'errors']);
    assert.equal(component(bom, 'pkg:npm/express@4.19.2').group, undefined);
  });

  test('hashes map SHA-512/SHA-256/SHA-1; digests of merged packages are united; dirHash becomes a property', () => {
    assert.deepEqual(component(bom, 'pkg:npm/debug@2.6.9').hashes, [
      { alg: 'SHA-512', content: SHA512('2') },
      { alg: 'SHA-1', content: 'a'.repeat(40) },
    ]);
    // npm lockfile first: its sha512 wins; the Go one adds sha256.
    assert.deepEqual(component(bom, 'pkg:npm/ms@2.0.0').hashes, [
      { alg: 'SHA-512', content: SHA512('1') },
      { alg: 'SHA-256', content: 'ef'.repeat(32) },
    ]);
    const errors = component(bom, 'pkg:golang/github.com/pkg/errors@v0.9.1');
    assert.equal(errors.hashes, undefined);
    assert.deepEqual(errors.properties, [{ name: 'provenant:digest:dirHash', value: 'h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=' }]);
  });

  test('download location is the distribution reference; a git source is a vcs reference with a sourceKind property', () => {
    assert.deepEqual(component(bom, 'pkg:npm/express@4.19.2').externalReferences, [{ url: 'https://registry.npmjs.org/express/-/express-4.19.2.tgz', type: 'distribution' }]);
    const helper = component(bom, 'pkg:npm/helper@1.0.0');
    assert.deepEqual(helper.externalReferences, [{ url: 'git+ssh://git@github.com/acme/helper.git#0123abc', type: 'vcs' }]);
    assert.deepEqual(helper.properties, [{ name: 'provenant:sourceKind', value: 'git' }]);
    assert.equal(helper.hashes, undefined);
  });

  test('dependencies: the subject depends on the roots of every lockfile; packages on their edges', () => {
    assert.deepEqual(edges(bom), {
      [subjectBomRef('dist/app.tgz')]: ['pkg:golang/github.com/pkg/errors@v0.9.1', 'pkg:npm/%40types/node@20.0.0', 'pkg:npm/express@4.19.2'],
      // the dangling edge to not-in-lockfile is dropped: every dependsOn must name a component
      'pkg:npm/express@4.19.2': ['pkg:npm/debug@2.6.9'],
      'pkg:npm/debug@2.6.9': ['pkg:npm/ms@2.0.0'],
      'pkg:npm/ms@2.0.0': [],
      'pkg:npm/%40types/node@20.0.0': [],
      'pkg:npm/helper@1.0.0': [],
    });
  });

  test('a package whose edges are unknown has no dependency entry (an empty one would claim it has none)', () => {
    const refs = new Set(bom.dependencies?.map((d) => d.ref));
    assert.equal(refs.has('pkg:npm/react@18.3.1'), false);
    assert.equal(refs.has('pkg:golang/github.com/pkg/errors@v0.9.1'), false);
  });

  test('the same facts in another order give the same bytes; another timestamp another serial number', () => {
    const shuffled = buildCycloneDxSbom([SUBJECT], [{ ...NPM, packages: [...NPM.packages].reverse() }, GO], META);
    assert.equal(shuffled.json, json);
    const later = buildCycloneDxSbom([SUBJECT], [NPM, GO], { ...META, timestamp: new Date('2026-03-01T12:00:01.000Z') });
    assert.notEqual(later.bom.serialNumber, bom.serialNumber);
  });
});

describe('buildCycloneDxSbom: subjects and roots', () => {
  test('several subjects: an application root named after the build holds them as file components', () => {
    const subjects: Subject[] = [
      { name: 'b.bin', digest: { sha256: '22'.repeat(32) } },
      { name: 'a.bin', digest: { sha256: '11'.repeat(32) } },
    ];
    const { bom } = buildCycloneDxSbom(subjects, [NPM], { ...META, name: 'acme/app' });
    assert.equal(bom.metadata?.component?.type, 'application');
    assert.equal(bom.metadata?.component?.name, 'acme/app');
    assert.equal(bom.metadata?.component?.['bom-ref'], BUILD_BOM_REF);
    assert.deepEqual(bom.metadata?.component?.components?.map((c) => [c.type, c.name, c['bom-ref']]), [
      ['file', 'a.bin', 'subject:a.bin'],
      ['file', 'b.bin', 'subject:b.bin'],
    ]);
    assert.deepEqual(edges(bom)[BUILD_BOM_REF], NPM.roots);
    assert.deepEqual(cycloneDx16Errors(bom), []);
  });

  test('without roots the direct packages are the root edges', () => {
    const { roots: _, ...noRoots } = NPM;
    const { bom } = buildCycloneDxSbom([SUBJECT], [noRoots], META);
    assert.deepEqual(edges(bom)[subjectBomRef('dist/app.tgz')], ['pkg:npm/%40types/node@20.0.0', 'pkg:npm/express@4.19.2']);
  });

  test('with neither roots nor direct packages the root has no entry (its edges are unknown)', () => {
    const facts: DependencyFacts = { lockfile: 'x', ecosystem: 'npm', manager: 'npm', packages: [pkg({ purl: 'pkg:npm/ms@2.1.3', name: 'ms', version: '2.1.3' })] };
    const { bom } = buildCycloneDxSbom([SUBJECT], [facts], META);
    assert.deepEqual(bom.dependencies, []);
    assert.deepEqual(cycloneDx16Errors(bom), []);
  });

  test('an empty version is left out rather than written empty', () => {
    const facts: DependencyFacts = { lockfile: 'x', ecosystem: 'npm', manager: 'npm', packages: [pkg({ purl: 'pkg:npm/local-thing', name: 'local-thing', version: '' })] };
    const { bom } = buildCycloneDxSbom([SUBJECT], [facts], META);
    assert.equal(component(bom, 'pkg:npm/local-thing').version, undefined);
  });
});

describe('the offline schema check is a real check', () => {
  const { bom } = buildCycloneDxSbom([SUBJECT], [NPM], META);
  const broken: [string, (b: Record<string, unknown>) => void, RegExp][] = [
    ['a scope CycloneDX does not have', (b) => ((b.components as Record<string, unknown>[])[0]!.scope = 'dev'), /scope: "dev" is not one of/],
    ['a hash of the wrong length', (b) => ((b.components as { hashes: { content: string }[] }[])[0]!.hashes[0]!.content = 'abc'), /content: "abc" does not match/],
    ['an unknown component key', (b) => ((b.components as Record<string, unknown>[])[0]!.integrity = 'sha512-x'), /unknown property integrity/],
    ['a random serial number', (b) => (b.serialNumber = 'urn:uuid:not-a-uuid'), /serialNumber: .* does not match/],
  ];
  for (const [name, breakIt, message] of broken) {
    test(`rejects ${name}`, () => {
      const copy = JSON.parse(JSON.stringify(bom)) as Record<string, unknown>;
      breakIt(copy);
      assert.match(cycloneDx16Errors(copy).join('\n'), message);
    });
  }
});

describe('buildCycloneDxSbom on a real npm lockfile', () => {
  test('small-v3: every package once, scopes carried over, every edge resolves, schema-valid', async () => {
    const dir = fileURLToPath(new URL('../dependencies/fixtures/npm/small-v3/', import.meta.url));
    const parsed = parseNpmLockfile(await readFile(`${dir}package-lock.json`, 'utf8'), 'small-v3/package-lock.json', {
      rootManifest: JSON.parse(await readFile(`${dir}package.json`, 'utf8')),
    });
    const facts: DependencyFacts = { lockfile: 'package-lock.json', ecosystem: 'npm', manager: 'npm', lockfileVersion: parsed.lockfileVersion, packages: parsed.packages };
    const { bom } = buildCycloneDxSbom([SUBJECT], [facts], META);
    assert.deepEqual(cycloneDx16Errors(bom), []);

    const purls = new Set(parsed.packages.map((p) => p.purl));
    assert.equal(bom.components?.length, purls.size);
    assert.equal(bom.components?.filter((c) => c.scope === 'excluded').length, parsed.packages.filter((p) => p.scope === 'dev').length);
    const refs = new Set([...(bom.components ?? []).map((c) => c['bom-ref']), subjectBomRef(SUBJECT.name)]);
    for (const d of bom.dependencies ?? []) {
      assert.ok(refs.has(d.ref), d.ref);
      for (const to of d.dependsOn ?? []) assert.ok(refs.has(to), `${d.ref} -> ${to}`);
    }
    // The parser may or may not record roots yet (another change adds them): either way the subject
    // depends on exactly the project's direct dependencies.
    const expectedRoots = [...new Set(facts.roots ?? parsed.packages.filter((p) => p.direct).map((p) => p.purl))].sort();
    assert.deepEqual(edges(bom)[subjectBomRef(SUBJECT.name)], expectedRoots);
    assert.ok(expectedRoots.includes('pkg:npm/connect@3.7.0'));
  });
});
