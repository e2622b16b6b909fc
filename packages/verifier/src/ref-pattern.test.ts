import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refMatches } from './ref-pattern.ts';

describe('refMatches', () => {
  const cases: [pattern: string, ref: string, matches: boolean][] = [
    ['refs/heads/main', 'refs/heads/main', true],
    ['refs/heads/main', 'refs/heads/main2', false],
    ['refs/heads/main', 'refs/heads/main/', false],
    ['refs/tags/v*', 'refs/tags/v1.2.3', true],
    ['refs/tags/v*', 'refs/tags/v1/evil', false],
    ['refs/tags/v*', 'refs/heads/v1', false],
    ['refs/tags/**', 'refs/tags/release/v1', true],
    ['refs/heads/release-?', 'refs/heads/release-1', true],
    ['refs/heads/release-?', 'refs/heads/release-10', false],
    ['refs/heads/{main,develop}', 'refs/heads/develop', true],
    ['refs/tags/v[0-9]*', 'refs/tags/v1.0', true],
    ['refs/tags/v[0-9]*', 'refs/tags/vx', false],
    ['refs/heads/*', 'refs/heads/.hidden', true],
    ['refs/heads/*', 'refs/heads/a\\b', true],
    ['!refs/heads/main', 'refs/heads/dev', false],
    ['*', 'refs/heads/main', false],
    ['main', 'refs/heads/main', false],
    ['refs/heads/feat(x)', 'refs/heads/feat(x)', true],
  ];
  for (const [pattern, ref, matches] of cases) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${ref}`, () => assert.equal(refMatches(pattern, ref), matches));
  }
});
