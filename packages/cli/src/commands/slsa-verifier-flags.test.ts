import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Policy } from '@provenant/verifier';
import { type SlsaVerifierFlags, applySlsaVerifierFlags } from './slsa-verifier-flags.ts';

const GENERIC = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';
const flags = (f: Partial<SlsaVerifierFlags>): SlsaVerifierFlags => ({ builderId: [], builderIdPrefix: [], sourceUri: [], buildWorkflowInput: [], ...f });
const apply = (f: Partial<SlsaVerifierFlags>, otherTrust: boolean, policy: Policy = {}): Policy => {
  applySlsaVerifierFlags(policy, flags(f), otherTrust);
  return policy;
};

describe('slsa-verifier flags into a policy', () => {
  it('--source-uri alone is the GitHub builder trust; --builder-id names the builder', () => {
    assert.deepEqual(apply({ sourceUri: ['github.com/acme/app'] }, false), { source: { uris: ['https://github.com/acme/app'] }, githubBuilder: {} });
    assert.deepEqual(apply({ sourceUri: ['https://GitHub.com/acme/app.git'], builderId: [`${GENERIC}@v1.9.0`] }, false), {
      source: { uris: ['https://GitHub.com/acme/app.git'] },
      githubBuilder: { ids: [`${GENERIC}@v1.9.0`] },
    });
  });
  it('with a key or an identity, --source-uri and --builder-id constrain the statement only', () => {
    assert.deepEqual(apply({ sourceUri: ['github.com/acme/app'], builderId: [GENERIC, `${GENERIC}@v1.9.0`] }, true), {
      source: { uris: ['https://github.com/acme/app'] },
      builder: { ids: [GENERIC, `${GENERIC}@v1.9.0`, `${GENERIC}@refs/tags/v1.9.0`], idPrefixes: [`${GENERIC}@`] },
    });
    assert.deepEqual(apply({ builderIdPrefix: ['https://github.com/acme'] }, true), { builder: { idPrefixes: ['https://github.com/acme'] } });
  });
  it('a policy file\'s githubBuilder stays the trust, and --builder-id replaces its ids', () => {
    const policy: Policy = { source: { uris: ['https://github.com/acme/app'] }, githubBuilder: { ids: ['https://x.example/b'] } };
    assert.deepEqual(apply({ builderId: [GENERIC] }, false, policy).githubBuilder, { ids: [GENERIC] });
  });
  it('ref flags and workflow inputs; a later input replaces an earlier one; an input may be named __proto__', () => {
    const policy = apply({ sourceVersionedTag: 'v1', buildWorkflowInput: ['a=1', 'b=x=y', 'a=2', '__proto__=p'] }, true);
    assert.deepEqual(policy.source, { versionedTag: 'v1' });
    assert.deepEqual(Object.entries(policy.workflowInputs ?? {}), [['a', '2'], ['b', 'x=y'], ['__proto__', 'p']]);
  });
});
