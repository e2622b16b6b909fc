import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildTypeRule } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { verifyBuildType } from './build-type.ts';
import { verifyExternalParameters } from './external-parameters.ts';

const CI = 'https://provenant.dev/buildtypes/ci/v1';
const PATH = 'predicate.buildDefinition.externalParameters';

function view(externalParameters: Record<string, unknown> | undefined, buildType = CI): ProvenanceView {
  const v: ProvenanceView = { statementType: 'x', predicateType: 'https://slsa.dev/provenance/v1', subjects: [], buildType, dependencies: [], locations: { buildType: 'predicate.buildDefinition.buildType' } };
  if (externalParameters !== undefined) {
    v.externalParameters = externalParameters;
    v.locations.externalParameters = PATH;
  }
  return v;
}

const params = { source: { repository: 'https://github.com/acme/app' }, trigger: 'push', workflow: { path: '.github/workflows/release.yml', ref: 'refs/heads/main' } };

describe('verifyExternalParameters', () => {
  const cases: { name: string; buildTypes: (string | BuildTypeRule)[] | undefined; params?: Record<string, unknown>; findings: [code: string, path: string][] }[] = [
    { name: 'no buildTypes: nothing checked', buildTypes: undefined, params, findings: [] },
    { name: 'a plain string admits any parameters', buildTypes: [CI], params, findings: [] },
    { name: 'a rule without externalParameters admits any', buildTypes: [{ type: CI }], params, findings: [] },
    { name: 'every parameter listed', buildTypes: [{ type: CI, externalParameters: ['source', 'trigger', 'workflow'] }], params, findings: [] },
    { name: 'a listed parameter may be absent', buildTypes: [{ type: CI, externalParameters: ['source', 'trigger', 'workflow', 'inputs'] }], params, findings: [] },
    { name: 'an unlisted parameter', buildTypes: [{ type: CI, externalParameters: ['source', 'workflow'] }], params, findings: [['EXTERNAL_PARAMETER_UNEXPECTED', `${PATH}.trigger`]] },
    { name: 'an empty list admits none', buildTypes: [{ type: CI, externalParameters: [] }], params: { source: 1 }, findings: [['EXTERNAL_PARAMETER_UNEXPECTED', `${PATH}.source`]] },
    { name: 'the rule of another build type does not apply', buildTypes: [{ type: 'https://other', externalParameters: [] }, CI], params, findings: [] },
    { name: 'two rules for one type: the union', buildTypes: [{ type: CI, externalParameters: ['source'] }, { type: CI, externalParameters: ['trigger', 'workflow'] }], params, findings: [] },
    { name: 'no parameters recorded', buildTypes: [{ type: CI, externalParameters: ['source'] }], findings: [] },
    { name: 'expected values that match (partial object, null = any)', buildTypes: [{ type: CI, externalParameters: { source: null, trigger: 'push', workflow: { path: '.github/workflows/release.yml' } } }], params, findings: [] },
    { name: 'an expected value that differs', buildTypes: [{ type: CI, externalParameters: { source: null, trigger: 'push', workflow: { path: '.github/workflows/other.yml' } } }], params, findings: [['EXTERNAL_PARAMETER_MISMATCH', `${PATH}.workflow`]] },
    { name: 'an expected value that is absent', buildTypes: [{ type: CI, externalParameters: { source: null, trigger: 'push', workflow: null, inputs: { x: '1' } } }], params, findings: [['EXTERNAL_PARAMETER_MISMATCH', `${PATH}.inputs`]] },
    { name: 'an object expected, a scalar given', buildTypes: [{ type: CI, externalParameters: { source: null, trigger: { event: 'push' }, workflow: null } }], params, findings: [['EXTERNAL_PARAMETER_MISMATCH', `${PATH}.trigger`]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = verifyExternalParameters(view(c.params), c.buildTypes);
      assert.deepEqual(findings.map((f) => [f.code, f.path]), c.findings);
    });
  }

  it('an unexpected parameter names itself and the allowed ones; v0.2 paths come from the view', () => {
    const v = view({ extra: true });
    v.locations.externalParameters = 'predicate.invocation.parameters';
    const [finding] = verifyExternalParameters(v, [{ type: CI, externalParameters: ['source'] }]);
    assert.deepEqual(finding, { code: 'EXTERNAL_PARAMETER_UNEXPECTED', message: `external parameter extra is not one the policy lists for build type ${CI}`, path: 'predicate.invocation.parameters.extra', expected: ['source'], actual: 'extra' });
  });
});

describe('verifyBuildType with rules', () => {
  const cases: [name: string, buildTypes: (string | BuildTypeRule)[], code: string | undefined][] = [
    ['string', [CI], undefined],
    ['rule', [{ type: CI, externalParameters: [] }], undefined],
    ['other rule', [{ type: 'https://other' }], 'BUILD_TYPE_MISMATCH'],
  ];
  for (const [name, buildTypes, code] of cases) {
    it(name, () => assert.equal(verifyBuildType(view({}), buildTypes)?.code, code));
  }
});
