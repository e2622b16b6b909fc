import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubjectPolicy } from '../policy.ts';
import type { SubjectRef } from '../view/provenance-view.ts';
import { verifySubjectSet } from './subject.ts';

const s = (name?: string): SubjectRef => (name === undefined ? { digest: { sha256: 'ab'.repeat(32) } } : { name, digest: { sha256: 'ab'.repeat(32) } });

describe('verifySubjectSet', () => {
  const cases: [name: string, subjects: SubjectRef[], policy: SubjectPolicy | undefined, mismatch: boolean][] = [
    ['no policy', [s('a')], undefined, false],
    ['match any', [s('a'), s('b')], { match: 'any' }, false],
    ['exactly, same set', [s('b'), s('a')], { match: 'exactly', names: ['a', 'b'] }, false],
    ['exactly, one missing', [s('a')], { match: 'exactly', names: ['a', 'b'] }, true],
    ['exactly, one extra', [s('a'), s('b'), s('c')], { match: 'exactly', names: ['a', 'b'] }, true],
    ['exactly, an unnamed subject', [s('a'), s()], { match: 'exactly', names: ['a'] }, true],
    ['exactly, a name twice', [s('a'), s('a')], { match: 'exactly', names: ['a'] }, true],
  ];
  for (const [name, subjects, policy, mismatch] of cases) {
    it(name, () => assert.equal(verifySubjectSet(subjects, policy)?.code, mismatch ? 'SUBJECT_SET_MISMATCH' : undefined));
  }

  it('reports expected and actual names', () => {
    const f = verifySubjectSet([s('a'), s('c')], { match: 'exactly', names: ['b', 'a'] });
    assert.deepEqual({ path: f?.path, expected: f?.expected, actual: f?.actual }, { path: 'subject', expected: ['a', 'b'], actual: ['a', 'c'] });
    assert.match(f?.message ?? '', /missing b; not in the policy c/);
  });
});
