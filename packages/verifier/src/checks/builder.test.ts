import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builderIdHasPrefix } from './builder.ts';

describe('builderIdHasPrefix', () => {
  const cases: [id: string, prefix: string, matches: boolean][] = [
    ['https://github.com/acme/ci/.github/workflows/b.yml@refs/tags/v1', 'https://github.com/acme/ci', true],
    ['https://github.com/acme/ci@v1', 'https://github.com/acme/ci', true],
    ['https://github.com/acme/ci', 'https://github.com/acme/ci', true],
    ['https://github.com/acme-evil/ci', 'https://github.com/acme', false],
    ['https://github.com/acme/ci-evil', 'https://github.com/acme/ci', false],
    ['https://github.com/acme/ci', 'https://github.com/acme/', true],
    ['https://github.com/acme/b.yml@refs/tags/v1', 'https://github.com/acme/b.yml@', true],
    ['https://github.com/acme/b.yml@refs/tags/v1', 'https://github.com/acme/b.yml@refs/tags/v', false],
    ['https://github.com/acme', '', false],
  ];
  for (const [id, prefix, matches] of cases) {
    it(`${JSON.stringify(prefix)} ${matches ? 'admits' : 'refuses'} ${id}`, () => assert.equal(builderIdHasPrefix(id, prefix), matches));
  }
});
