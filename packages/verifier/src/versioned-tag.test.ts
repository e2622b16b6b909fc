import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVersionedTag, versionedTagMatches } from './versioned-tag.ts';

// slsa-verifier's own table (verifiers/internal/gha/provenance_test.go, Test_VerifyVersionedTag):
// the provenance's tag, the expected version, and whether it is admitted. `invalid` marks an
// expected version slsa-verifier refuses as not semver (a usage error here).
const SLSA_VERIFIER_CASES: [tag: string, expected: string, outcome: 'match' | 'mismatch' | 'invalid'][] = [
  ['v1.2', '1.2', 'invalid'],
  ['vslsa1', 'vslsa1', 'invalid'],
  ['vslsa1', 'v1.2.3', 'mismatch'],
  ['v1.2.3', 'v1.2.3', 'match'],
  ['v1.2.3', 'v1.2', 'match'],
  ['v1.2.3', 'v1', 'match'],
  ['v1.2.3', 'v2', 'mismatch'],
  ['v1.2.3', 'v1.3', 'mismatch'],
  ['v1.2.3', 'v1.2.4', 'mismatch'],
  ['v1.2.3', 'v1.2.2', 'mismatch'],
  ['v1.2', 'v1.2', 'match'],
  ['v1.2', 'v1', 'match'],
  ['v1.3', 'v1.1', 'mismatch'],
  ['v1.3', 'v0', 'mismatch'],
  ['v1.2', 'v1.3', 'mismatch'],
  ['v1.2', 'v1.2.3', 'mismatch'],
  ['v1.2', 'v1.2.0', 'match'],
  ['v1.2', 'v1.2.0+123', 'match'],
  ['v1.2', 'v1.2+123', 'invalid'],
  ['v1.2', 'v1.2-alpha', 'invalid'],
  ['v1.2', 'v1-alpha', 'invalid'],
  ['v1.2', 'v1+123', 'invalid'],
  ['v1.2', 'v1-alpha+123', 'invalid'],
  ['v1.2', 'v1.2-alpha+123', 'invalid'],
  ['v1.2.3-alpha', 'v1.2.3-alpha', 'match'],
  ['v1.2.3-alpha', 'v1.2.3', 'mismatch'],
  ['v1.2.3-alpha+123', 'v1.2.3-alpha', 'match'],
  ['v1.2.3-alpha+123', 'v1.2.3-alpha+123', 'match'],
  ['v1.2.3-alpha+123', 'v1.2.3-alpha+456', 'match'],
  ['v1.2.3-alpha', 'v1.2.3-alpha+123', 'match'],
  ['v1.2.3-alpha', 'v1.2.3-beta+123', 'mismatch'],
  ['v1.2.3+123', 'v1.2.3-alpha+123', 'mismatch'],
  ['v1.2.3+123', 'v1.2.3-alpha', 'mismatch'],
  ['v1.2.3+123', 'v1.2.3+123', 'match'],
  ['v1.2.3+123', 'v1.2.3', 'match'],
  ['v1.2.3+123', 'v1.2.3+456', 'match'],
  ['v1.2.3', 'v1.2.3-alpha', 'mismatch'],
  ['v1.2.3-alpha', 'v1.2.3-beta', 'mismatch'],
  ['v1.2', 'v1.2.3-beta', 'mismatch'],
  ['v1.2.3', 'v1.2.3+123', 'match'],
  ['v1.2', 'v1.2.0-alpha+123', 'mismatch'],
  ['v1.2', 'v2', 'mismatch'],
  ['v1', 'v1', 'match'],
  ['v1', 'v2', 'mismatch'],
  ['v1', 'v1.2', 'mismatch'],
  ['v1', 'v0', 'mismatch'],
  ['v1', 'v1.2.3', 'mismatch'],
  ['v1', 'v1.0', 'match'],
  ['v1', 'v1.0.0', 'match'],
  ['v1', 'v1-alpha', 'invalid'],
];

// Where provenant decides: prereleases of a major or minor line, numbers semver refuses, and two
// places where slsa-verifier splits on `.` (see docs/slsa-verifier-compatibility.md).
const PROVENANT_CASES: [tag: string, expected: string, outcome: 'match' | 'mismatch' | 'invalid'][] = [
  ['v1.4.0-rc.1', 'v1', 'match'],
  ['v1.2.7-rc.1', 'v1.2', 'match'],
  ['v1.2.3-rc.2', 'v1.2.3-rc.1', 'mismatch'],
  ['v1.2.3', 'v1.2.3+build.5', 'match'],
  ['1.2.3', 'v1', 'mismatch'],
  ['v01.2.3', 'v1', 'mismatch'],
  ['v1.2.3-01', 'v1.2.3-01', 'invalid'],
  ['v1.2.3', 'v1.2.3-', 'invalid'],
  ['v1.2.3', 'v1.2.3+', 'invalid'],
  ['v1.2.3', 'v1.2.3+a..b', 'invalid'],
  ['v1.2.3', '', 'invalid'],
];

describe('versionedTagMatches (slsa-verifier --source-versioned-tag)', () => {
  for (const [tag, expected, outcome] of [...SLSA_VERIFIER_CASES, ...PROVENANT_CASES]) {
    it(`${expected || '(empty)'} ${outcome === 'invalid' ? 'is not a version' : `${outcome === 'match' ? 'admits' : 'refuses'} tag ${tag}`}`, () => {
      const parsed = parseVersionedTag(expected);
      if (outcome === 'invalid') return assert.equal(parsed, undefined);
      assert.ok(parsed, `${expected} should parse`);
      assert.equal(versionedTagMatches(parsed, tag), outcome === 'match');
    });
  }
});
