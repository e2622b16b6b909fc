import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProvenantError } from '@provenant/core';
import { compileAnchored } from './identity-policy.ts';
import { inspectAttestation } from './inspect-attestation.ts';
import { initPolicy } from './policy-init.ts';
import { parsePolicy } from './policy-file.ts';
import { lintPolicy } from './policy-lint.ts';
import { BUILDER_ID, githubStatement, provenantStatement, signedBundle, testKey } from './testing/fixtures.ts';
import { toProvenanceView } from './view/to-provenance-view.ts';

const OPTIONS = { from: 'build.sigstore.json', now: new Date('2025-06-01T12:00:00Z') };

describe('initPolicy', () => {
  it('writes a commented policy from a key-signed attestation: exact builder, branch ref, build type, key root of trust at level 1', async () => {
    const text = initPolicy(inspectAttestation(await signedBundle(provenantStatement())), OPTIONS);
    assert.match(text, /^# provenant policy, written by `provenant policy init` from build\.sigstore\.json on 2025-06-01\./);
    assert.match(text, /read, not verified/);
    const policy = parsePolicy(text);
    assert.deepEqual(policy.builder, { ids: [BUILDER_ID] });
    assert.deepEqual(policy.source, { uris: ['https://github.com/acme/app'], refs: ['refs/heads/main'] });
    assert.deepEqual(policy.buildTypes, ['https://provenant.dev/buildtypes/ci/v1']);
    assert.deepEqual(policy.predicateTypes, ['https://slsa.dev/provenance/v1']);
    assert.deepEqual(policy.trustedBuilders, [{ builderId: BUILDER_ID, signer: { keyId: testKey().keyId }, maxLevel: 1 }]);
    assert.equal(policy.maxAge, '30d');
    assert.equal(policy.identities, undefined);
    // Every setting line is explained by a comment above it.
    for (const key of ['predicateTypes:', 'builder:', 'source:', 'buildTypes:', 'trustedBuilders:', 'maxAge:']) {
      const lines = text.split('\n');
      assert.match(lines[lines.findIndex((l) => l.startsWith(key)) - 1]!, /^#/, key);
    }
    assert.deepEqual(lintPolicy(text), [], 'a generated policy has nothing to warn about');
  });

  it('from a keyless GitHub attestation at a tag: builder prefix, any tag, a SAN regexp over tags, level 2 on a hosted runner', () => {
    const reading = toProvenanceView(githubStatement());
    assert.equal(reading.kind, 'statement');
    const san = 'https://github.com/Owner/Repo/.github/workflows/release.yml@refs/tags/v1.2.0';
    const text = initPolicy(
      {
        keyHints: [],
        signedWith: 'certificate',
        signatureCount: 1,
        findings: [],
        view: reading.kind === 'statement' ? reading.view : undefined,
        certificate: { subjectAlternativeName: san, issuer: 'https://token.actions.githubusercontent.com', extensions: { runnerEnvironment: 'github-hosted', sourceRepositoryURI: 'https://github.com/Owner/Repo' } },
      },
      OPTIONS,
    );
    const policy = parsePolicy(text);
    assert.deepEqual(policy.builder, { idPrefixes: ['https://github.com/Owner/Repo/.github/workflows/release.yml'] });
    assert.deepEqual(policy.source?.refs, ['refs/tags/*']);
    const identity = policy.identities?.[0];
    assert.equal(identity?.issuer, 'https://token.actions.githubusercontent.com');
    assert.deepEqual(identity?.extensions, { sourceRepositoryURI: 'https://github.com/Owner/Repo' });
    const sanRegexp = compileAnchored(identity?.subjectAlternativeNameRegexp ?? '')!;
    assert.ok(sanRegexp.test('https://github.com/Owner/Repo/.github/workflows/release.yml@refs/tags/v1.3.0'), 'the next tag passes');
    assert.ok(!sanRegexp.test('https://github.com/Owner/Repo/.github/workflows/release.yml@refs/heads/main'), 'a branch does not');
    assert.ok(!sanRegexp.test('https://github.com/Owner/Repo/.github/workflowsXrelease.yml@refs/tags/v1'), 'dots are escaped');
    assert.equal(policy.trustedBuilders?.[0]?.maxLevel, 2);
    assert.deepEqual(policy.trustedBuilders?.[0]?.signer?.identity, identity);
    assert.deepEqual(lintPolicy(text), []);
  });

  it('refuses what is not SLSA provenance (STATEMENT_INVALID)', async () => {
    const sbom = provenantStatement((s) => {
      s.predicateType = 'https://cyclonedx.org/bom';
    });
    const summary = inspectAttestation(await signedBundle(sbom));
    assert.throws(() => initPolicy(summary, OPTIONS), (e: ProvenantError) => e.code === 'STATEMENT_INVALID');
  });
});

describe('lintPolicy', () => {
  it('reports each schema error at its line and column, trustedBuilders rules included', () => {
    const text = ['apiVersion: provenant.dev/v1', 'kind: Policy', 'trustedBuilders:', '  - builderId: https://ci.example/b', '    maxLevel: 3', '  - builderIdPrefix: https://ci.example', '    maxLevel: 4', 'colour: red', ''].join('\n');
    const problems = lintPolicy(text, 'p.yaml');
    assert.ok(problems.every((p) => p.severity === 'error'));
    const at = (pattern: RegExp) => problems.find((p) => pattern.test(p.message));
    assert.deepEqual({ ...at(/needs a signer/) }, { severity: 'error', line: 5, col: 15, message: at(/needs a signer/)?.message });
    assert.equal(at(/expected a SLSA Build level/)?.line, 7);
    assert.equal(at(/unknown key "colour"/)?.line, 8);
  });

  it('warns about weak policies: no source, no builder, a bare-host prefix, SAN regexps without a literal host', () => {
    const text = [
      'apiVersion: provenant.dev/v1',
      'kind: Policy',
      'identities:',
      '  - subjectAlternativeNameRegexp: .*acme.*',
      '    issuer: https://token.actions.githubusercontent.com',
      '  - subjectAlternativeNameRegexp: https://github.com/acme/.*',
      '    issuer: https://token.actions.githubusercontent.com',
      '  - subjectAlternativeNameRegexp: https://github\\.com/acme/.*',
      '    issuer: https://token.actions.githubusercontent.com',
      '  - subjectAlternativeNameRegexp: release@acme\\.example',
      '    issuer: https://accounts.google.com',
      'trustedBuilders:',
      '  - builderIdPrefix: https://github.com/',
      '    maxLevel: 1',
      '',
    ].join('\n');
    const problems = lintPolicy(text, 'p.yaml');
    assert.ok(problems.every((p) => p.severity === 'warning'));
    const messages = problems.map((p) => `${p.line}: ${p.message}`);
    assert.equal(problems.length, 5, messages.join('\n'));
    assert.ok(messages.some((m) => /no source constraint/.test(m)));
    assert.ok(messages.some((m) => /no builder constraint/.test(m)));
    assert.ok(messages.some((m) => /^4: .*no literal host/.test(m)));
    assert.ok(messages.some((m) => /^6: .*does not escape the dots/.test(m)));
    assert.ok(messages.some((m) => /^13: .*every builder on github\.com/.test(m)));
  });
});
