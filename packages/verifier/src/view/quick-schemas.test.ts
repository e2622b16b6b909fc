import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceV1Schema, ResourceDescriptorSchema, StatementV1Schema, SubjectSchema } from '@provenant/core';
import { githubStatement, provenantStatement } from '../testing/fixtures.ts';
import { isDateTime, isProvenanceV1, isResourceDescriptor, isStatementV1, isSubject } from './quick-schemas.ts';
import { readPayloadStatement, toProvenanceView } from './to-provenance-view.ts';

type Json = Record<string, unknown>;

/** Values a field may hold: valid and invalid for every ResourceDescriptor field. */
const VALUES: unknown[] = ['', 'x', 'aGVsbG8=', '!not base64', 0, 1, true, null, [], ['x'], {}, { a: 'x' }, { a: '' }, { '': 'x' }, { a: 1 }, { a: null }, { a: { b: 'c' } }];
const FIELDS = ['uri', 'digest', 'content', 'name', 'downloadLocation', 'mediaType', 'annotations', 'other'];
const BASES: Json[] = [
  { uri: 'pkg:npm/a@1.0.0', digest: { sha512: 'ab'.repeat(64) }, downloadLocation: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', annotations: { scope: 'prod', direct: true } },
  { name: 'app.tgz', digest: { sha256: 'cd'.repeat(32) } },
  { uri: 'git+https://github.com/acme/app@refs/heads/main' },
  {},
];

/** Every base descriptor with one field changed to every value, or removed. */
function descriptors(): Json[] {
  const out: Json[] = [];
  for (const base of BASES) {
    out.push(base);
    for (const field of FIELDS) {
      for (const value of VALUES) out.push({ ...base, [field]: value });
      const { [field]: _, ...rest } = base;
      out.push(rest);
    }
  }
  return out;
}

/** A statement with many ResourceDescriptors, and `rd` placed at `where`. */
function statementWith(rd: unknown, where: 'subject' | 'resolvedDependencies' | 'builderDependencies' | 'byproducts'): Json {
  const s = provenantStatement() as Json & { subject: unknown[]; predicate: { buildDefinition: Json; runDetails: Json & { builder: Json } } };
  const deps = s.predicate.buildDefinition.resolvedDependencies as unknown[];
  for (let i = 0; i < 5; i++) deps.push({ ...BASES[0]!, uri: `pkg:npm/d${i}@1.0.0` });
  s.predicate.runDetails.builder.builderDependencies = [{ uri: 'pkg:docker/node@24', digest: { sha256: 'ef'.repeat(32) } }];
  s.predicate.runDetails.byproducts = [{ name: 'log', digest: { sha256: '01'.repeat(32) } }];
  const list = where === 'subject' ? s.subject : where === 'resolvedDependencies' ? deps : where === 'builderDependencies' ? (s.predicate.runDetails.builder.builderDependencies as unknown[]) : (s.predicate.runDetails.byproducts as unknown[]);
  list.splice(1, 0, rd);
  return s;
}

/** The reading both ways: from bytes (quick schemas when they accept) and from the value (core's schemas only). */
function bothWays(text: string): { quick: unknown; exact: unknown } {
  const parsed = readPayloadStatement(Buffer.from(text));
  assert.ok(parsed.ok);
  return { quick: parsed.reading, exact: toProvenanceView(JSON.parse(text)) };
}

describe('quick schemas', () => {
  it('isDateTime accepts exactly the timestamps core\'s schema accepts', () => {
    const Timestamp = ProvenanceV1Schema.shape.runDetails.shape.metadata.unwrap().shape.startedOn.unwrap();
    const cases = [
      '2026-12-07T05:00:00Z', '2026-12-07T05:00:00.5Z', '2026-12-07T05:00:00.123456789+01:00', '2026-12-07T23:59:59-23:59',
      '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2400-02-29T00:00:00Z', '0000-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z', '2026-04-30T00:00:00Z', '2026-12-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z',
      '2026-12-07T05:00Z', '2026-12-07T24:00:00Z', '2026-12-07T05:60:00Z', '2026-12-07T05:00:60Z', '2026-12-07T05:00:00+0100', '2026-12-07T05:00:00+24:00',
      '2026-12-07t05:00:00z', '2026-12-07 05:00:00Z', '2026-12-07T05:00:00', '2026-12-07T05:00:00.Z', ' 2026-12-07T05:00:00Z', '2026-12-07T05:00:00Z\n', '+2026-12-07T05:00:00Z', '',
    ];
    for (let y = 1896; y <= 2404; y += 4) cases.push(`${y}-02-29T12:00:00Z`, `${y + 1}-02-29T12:00:00Z`, `${y}-02-28T12:00:00Z`);
    for (const c of cases) assert.equal(isDateTime(c), Timestamp.safeParse(c).success, c);
    assert.equal(isDateTime(20261207), false);
  });


  it('accept a ResourceDescriptor only when core accepts it (subset, never more)', () => {
    let accepted = 0;
    let left = 0;
    for (const rd of descriptors()) {
      const value = JSON.parse(JSON.stringify(rd));
      if (isResourceDescriptor(value)) {
        accepted++;
        assert.ok(ResourceDescriptorSchema.safeParse(value).success, JSON.stringify(rd));
      } else if (ResourceDescriptorSchema.safeParse(value).success) left++;
      if (isSubject(value)) assert.ok(SubjectSchema.safeParse(value).success, JSON.stringify(rd));
    }
    assert.ok(accepted > 50, `${accepted} accepted`);
    // Left to zod: content (base64) only.
    assert.ok(left > 0 && left < 20, `${left} left to zod`);
  });

  it('a __proto__ key is left to zod (it drops the key)', () => {
    for (const text of ['{"uri":"x","__proto__":{"a":1}}', '{"digest":{"__proto__":"x","sha256":"ab"}}', '{"uri":"x","annotations":{"__proto__":1}}']) {
      assert.equal(isResourceDescriptor(JSON.parse(text)), false, text);
    }
  });

  it('read every statement exactly as core schemas do: same view, same finding', () => {
    let quickPaths = 0;
    for (const where of ['subject', 'resolvedDependencies', 'builderDependencies', 'byproducts'] as const) {
      for (const rd of descriptors()) {
        const { quick, exact } = bothWays(JSON.stringify(statementWith(rd, where)));
        assert.deepStrictEqual(quick, exact, `${where}: ${JSON.stringify(rd)}`);
        if ((exact as { kind: string; predicateFinding?: unknown }).kind === 'statement' && !(exact as { predicateFinding?: unknown }).predicateFinding) quickPaths++;
      }
    }
    assert.ok(quickPaths > 200, `${quickPaths} valid statements`);
  });

  it('read statements whose other fields are wrong exactly as core schemas do', () => {
    const paths: [string, (s: Json & { predicate: Json & { buildDefinition: Json; runDetails: Json & { builder: Json } } }, v: unknown) => void][] = [
      ['subject', (s, v) => (s.subject = v)],
      ['predicate', (s, v) => (s.predicate = v as never)],
      ['predicateType', (s, v) => (s.predicateType = v)],
      ['buildDefinition', (s, v) => (s.predicate.buildDefinition = v as never)],
      ['buildType', (s, v) => (s.predicate.buildDefinition.buildType = v)],
      ['externalParameters', (s, v) => (s.predicate.buildDefinition.externalParameters = v)],
      ['internalParameters', (s, v) => (s.predicate.buildDefinition.internalParameters = v)],
      ['resolvedDependencies', (s, v) => (s.predicate.buildDefinition.resolvedDependencies = v)],
      ['runDetails', (s, v) => (s.predicate.runDetails = v as never)],
      ['builder', (s, v) => (s.predicate.runDetails.builder = v as never)],
      ['builder.id', (s, v) => (s.predicate.runDetails.builder.id = v)],
      ['builder.version', (s, v) => (s.predicate.runDetails.builder.version = v)],
      ['builderDependencies', (s, v) => (s.predicate.runDetails.builder.builderDependencies = v)],
      ['byproducts', (s, v) => (s.predicate.runDetails.byproducts = v)],
      ['metadata', (s, v) => (s.predicate.runDetails.metadata = v)],
      ['finishedOn', (s, v) => ((s.predicate.runDetails.metadata as Json).finishedOn = v)],
      ['startedOn', (s, v) => ((s.predicate.runDetails.metadata as Json).startedOn = v)],
      ['invocationId', (s, v) => ((s.predicate.runDetails.metadata as Json).invocationId = v)],
      ['_type', (s, v) => (s._type = v)],
      ['statement.other', (s, v) => (s.other = v)],
      ['buildDefinition.other', (s, v) => (s.predicate.buildDefinition.other = v)],
      ['runDetails.other', (s, v) => (s.predicate.runDetails.other = v)],
      ['externalParameters.x', (s, v) => ((s.predicate.buildDefinition.externalParameters as Json).x = v)],
    ];
    const values = [...VALUES, undefined, '2025-06-01T12:00:00Z', '2025-06-01T12:00:00+02:00', '2025-06-01 12:00', 'https://in-toto.io/Statement/v0.1', [{ uri: 'x' }], [{ uri: 'x' }, { uri: '' }], { id: 'b' }, { a: 'b', c: 'd' }];
    for (const base of [provenantStatement, githubStatement]) {
      for (const [name, set] of paths) {
        for (const value of values) {
          const s = base() as Parameters<typeof set>[0];
          set(s, value);
          const text = JSON.stringify(s);
          const { quick, exact } = bothWays(text);
          assert.deepStrictEqual(quick, exact, `${name}: ${JSON.stringify(value)}`);
          const json = JSON.parse(text);
          if (isStatementV1(json)) assert.ok(StatementV1Schema.safeParse(json).success, `${name}: ${JSON.stringify(value)}`);
          if (isProvenanceV1(json.predicate)) assert.ok(ProvenanceV1Schema.safeParse(json.predicate).success, `${name}: ${JSON.stringify(value)}`);
        }
      }
    }
  });

  it('a statement with a __proto__ key in any object reads as core reads it', () => {
    const text = JSON.stringify(statementWith({ uri: 'x', annotations: { a: 1 } }, 'resolvedDependencies'));
    const objects = ['{"_type"', '"annotations":{', '"digest":{', '"predicate":{', '"buildDefinition":{', '"externalParameters":{', '"runDetails":{', '"builder":{', '"metadata":{', '"source":{'];
    for (const at of objects) {
      for (const value of ['{"polluted":1}', '"x"', '1']) {
        const brace = text.indexOf(at) + at.indexOf('{') + 1;
        const changed = `${text.slice(0, brace)}"__proto__":${value},${text.slice(brace)}`;
        assert.notEqual(changed, text, at);
        const { quick, exact } = bothWays(changed);
        assert.deepStrictEqual(quick, exact, `${at} ${value}`);
      }
    }
  });
});
