import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builderConstraintOf, builderIdMatches, parseBuilderId } from './builder-id.ts';
import { verifyBuilderId } from './checks/builder.ts';
import type { ProvenanceView } from './view/provenance-view.ts';

const GENERIC = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';

describe('parseBuilderId', () => {
  const cases: [string, ReturnType<typeof parseBuilderId>][] = [
    [`${GENERIC}@refs/tags/v1.9.0`, { name: GENERIC, version: 'refs/tags/v1.9.0' }],
    [GENERIC, { name: GENERIC }],
    [`${GENERIC}@`, undefined],
    [`${GENERIC}@a@b`, undefined],
    ['', undefined],
    ['@v1', undefined],
  ];
  for (const [id, parts] of cases) it(`${JSON.stringify(id)} -> ${JSON.stringify(parts)}`, () => assert.deepEqual(parseBuilderId(id), parts));
});

// The builder id in the provenance (or certificate), `--builder-id`, admitted? (slsa-verifier's MatchesLoose with allowRef.)
const MATCH_CASES: [actual: string, expected: string, admitted: boolean][] = [
  [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@refs/tags/v1.9.0`, true],
  [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@v1.9.0`, true],
  [`${GENERIC}@refs/tags/v1.9.0`, GENERIC, true],
  [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@v1.8.0`, false],
  [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@refs/heads/main`, false],
  [`${GENERIC}@v1.9.0`, `${GENERIC}@refs/tags/v1.9.0`, false],
  [GENERIC, `${GENERIC}@v1.9.0`, false],
  [`${GENERIC}x@refs/tags/v1.9.0`, GENERIC, false],
  [`${GENERIC}@a@b`, GENERIC, false],
  ['https://github.com/actions/runner/github-hosted', 'https://github.com/actions/runner', false],
];

describe('builderIdMatches', () => {
  for (const [actual, expected, admitted] of MATCH_CASES) {
    it(`${expected.replace(GENERIC, 'generic')} ${admitted ? 'admits' : 'refuses'} ${actual.replace(GENERIC, 'generic')}`, () => assert.equal(builderIdMatches(actual, expected), admitted));
  }
});

describe('builderConstraintOf: --builder-id as a policy builder constraint means the same', () => {
  const view = (builderId: string): ProvenanceView => ({ statementType: '', predicateType: '', subjects: [], dependencies: [], locations: {}, builderId });
  for (const [actual, expected, admitted] of MATCH_CASES.filter(([a]) => !a.includes('@a@b'))) {
    it(`${expected.replace(GENERIC, 'generic')} ${admitted ? 'admits' : 'refuses'} ${actual.replace(GENERIC, 'generic')}`, () => {
      const constraint = builderConstraintOf([expected]);
      assert.ok(constraint);
      assert.equal(verifyBuilderId(view(actual), constraint) === undefined, admitted);
    });
  }
  it('refuses an id that is not name[@version]', () => assert.equal(builderConstraintOf([`${GENERIC}@`]), undefined));
});
