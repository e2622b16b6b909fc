import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatementV1Schema, stableStringify } from '@provenant/core';
import { buildCycloneDxSbom } from './cyclonedx-sbom.ts';
import { CYCLONEDX_PREDICATE_TYPE, statementForSbom } from './sbom-statement.ts';

describe('statementForSbom', () => {
  const subjects = [{ name: 'app.tgz', digest: { sha256: '0f'.repeat(32) } }];
  const { bom } = buildCycloneDxSbom(subjects, [], { timestamp: new Date('2026-01-01T00:00:00Z'), toolVersion: '1.2.3' });
  const statement = statementForSbom(subjects, bom);

  test('is an in-toto Statement v1 with the CycloneDX predicate type and the BOM as predicate', () => {
    assert.equal(StatementV1Schema.safeParse(statement).success, true);
    assert.equal(statement.predicateType, CYCLONEDX_PREDICATE_TYPE);
    assert.equal(statement.predicateType, 'https://cyclonedx.org/bom');
    assert.deepEqual(statement.predicate, bom);
    assert.deepEqual(statement.subject, subjects);
  });

  test('copies the subjects: changing the input afterwards does not change the statement', () => {
    const input = [{ name: 'x', digest: { sha256: '1'.repeat(64) } }];
    const s = statementForSbom(input, bom);
    input[0]!.digest.sha256 = '2'.repeat(64);
    assert.equal(s.subject[0]?.digest?.sha256, '1'.repeat(64));
  });

  test('serialises to the same bytes every time', () => {
    assert.equal(stableStringify(statementForSbom(subjects, bom)), stableStringify(statement));
  });
});
