import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAnchored, identityProblems } from './identity-policy.ts';

describe('identity policies', () => {
  it('a usable identity constrains the SAN and the issuer, once each', () => {
    assert.deepEqual(identityProblems({ subjectAlternativeName: 'a', issuer: 'b' }), []);
    assert.deepEqual(identityProblems({ subjectAlternativeNameRegexp: 'a.*', issuerRegexp: 'b', extensions: { sourceRepositoryURI: 'x' }, denySelfHostedRunners: true }), []);
    assert.deepEqual(identityProblems({ subjectAlternativeName: 'https://dotcom.releases.github.com', noIssuer: true }), []);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no SAN constraint (a root and an issuer trust anyone the issuer names)', { issuer: 'b' }, /exactly one of subjectAlternativeName and subjectAlternativeNameRegexp/],
    ['no issuer constraint', { subjectAlternativeName: 'a' }, /exactly one of issuer, issuerRegexp and noIssuer/],
    ['two SAN constraints', { subjectAlternativeName: 'a', subjectAlternativeNameRegexp: 'a', issuer: 'b' }, /exactly one of subjectAlternativeName/],
    ['an issuer and noIssuer', { subjectAlternativeName: 'a', issuer: 'b', noIssuer: true }, /exactly one of issuer/],
    ['an empty SAN', { subjectAlternativeName: '', issuer: 'b' }, /subjectAlternativeName must be a non-empty string/],
    ['a regexp that does not compile', { subjectAlternativeNameRegexp: '(', issuer: 'b' }, /not a valid regular expression/],
    ['an unknown extension', { subjectAlternativeName: 'a', issuer: 'b', extensions: { repo: 'x' } }, /extensions\.repo is not a Fulcio extension/],
    ['an extension that is not a string', { subjectAlternativeName: 'a', issuer: 'b', extensions: { sourceRepositoryURI: 1 } }, /must be a non-empty string/],
    ['not an object', 'a@example.com', /must be an object/],
  ];
  for (const [name, identity, pattern] of bad) {
    it(`refuses ${name}`, () => {
      const problems = identityProblems(identity);
      assert.ok(problems.some((p) => pattern.test(p)), problems.join('\n'));
    });
  }

  it('anchors every regexp at both ends', () => {
    const re = compileAnchored('https://github\\.com/acme/.*')!;
    assert.ok(re.test('https://github.com/acme/app/.github/workflows/r.yml@refs/heads/main'));
    assert.ok(!re.test('https://evil.example/?https://github.com/acme/x'));
    assert.ok(!compileAnchored('acme')!.test('acme-evil'));
    assert.ok(!compileAnchored('a|b')!.test('ab'), 'an alternation stays inside the anchors');
  });

  it('refuses a source that would close the anchoring group rather than escape it', () => {
    assert.equal(compileAnchored('x)|(.*'), undefined);
    assert.equal(compileAnchored('x\\'), undefined);
  });
});
