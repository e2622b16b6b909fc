import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProvenantError } from '@provenant/core';
import { type TrustRecord, checkDowngrade, emptyTrustRecord, parseTrustRecord, recordAccepted } from './trust-record.ts';

const BUILDER = 'https://github.com/acme/app/.github/workflows/release.yml';
const ACCEPTED = { builderId: BUILDER, sourceUri: 'https://github.com/acme/app', level: 2 as const };
const record: TrustRecord = recordAccepted(emptyTrustRecord(), 'app', ACCEPTED, new Date('2025-06-01T12:00:00Z'), '1.0.0');

describe('trust record', () => {
  it('a name seen for the first time, or the same or stronger provenance, is no finding', () => {
    assert.equal(checkDowngrade(emptyTrustRecord(), 'app', undefined), undefined);
    assert.equal(checkDowngrade(record, 'app', ACCEPTED), undefined);
    assert.equal(checkDowngrade(record, 'app', { ...ACCEPTED, level: 3 }), undefined);
    assert.equal(checkDowngrade(record, 'other', undefined), undefined);
  });

  const weaker: [string, Parameters<typeof checkDowngrade>[2], RegExp][] = [
    ['provenance that disappeared', undefined, /disappeared/],
    ['a lower level', { ...ACCEPTED, level: 1 }, /level 1, below the level 2/],
    ['another builder', { ...ACCEPTED, builderId: 'https://github.com/evil/ci.yml' }, /builder https:\/\/github\.com\/evil/],
    ['another source', { ...ACCEPTED, sourceUri: 'https://github.com/evil/app' }, /source https:\/\/github\.com\/evil\/app/],
  ];
  for (const [name, observed, message] of weaker) {
    it(`${name} -> PROVENANCE_DOWNGRADE, saying what to edit if it was intended`, () => {
      const finding = checkDowngrade(record, 'app', observed, 'trust.json');
      assert.equal(finding?.code, 'PROVENANCE_DOWNGRADE');
      assert.match(finding.message, message);
      assert.match(finding.message, /remove the entry "app" from trust\.json/);
    });
  }

  it('round-trips through JSON, and a name such as __proto__ stays a name', () => {
    const odd = recordAccepted(record, '__proto__', ACCEPTED, new Date('2025-06-02T00:00:00Z'));
    const back = parseTrustRecord(JSON.stringify(odd));
    assert.deepEqual(back, odd);
    assert.ok(Object.hasOwn(back.entries, '__proto__'));
    assert.equal(back.entries.app?.version, '1.0.0');
  });

  it('refuses a file that is not a trust record (POLICY_INVALID)', () => {
    for (const text of ['nope', '[]', '{"version":2,"entries":{}}', '{"version":1,"entries":{"a":{"level":7,"acceptedAt":"x"}}}', '{"version":1,"entries":{"a":{"level":1,"acceptedAt":"x","builderId":3}}}']) {
      assert.throws(() => parseTrustRecord(text, 'tr.json'), (e: ProvenantError) => e.code === 'POLICY_INVALID' && e.message.startsWith('tr.json'), text);
    }
  });
});
