import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparePep440, parsePep440, parsePep440Specifier } from './pep440.ts';
import { compareGeneric, compareVersions, toSemver } from './version-order.ts';
import { parseVersionSpec } from './version-spec.ts';

const sign = (n: number | undefined) => (n === undefined ? undefined : Math.sign(n));

describe('PEP 440 ordering', () => {
  // Strictly increasing, after the example of PEP 440's "Summary of permitted suffixes and relative ordering".
  const ordered = ['1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1', '2!0.1'];
  for (let i = 1; i < ordered.length; i++) {
    test(`${ordered[i - 1]} < ${ordered[i]}`, () => {
      const a = parsePep440(ordered[i - 1]!);
      const b = parsePep440(ordered[i]!);
      assert.ok(a && b);
      assert.ok(comparePep440(a, b) < 0);
      assert.ok(comparePep440(b, a) > 0);
    });
  }

  const equal: [string, string][] = [
    ['1.0', '1.0.0'],
    ['v1.0', '1'],
    ['1.0-1', '1.0.post1'],
    ['1.0alpha1', '1.0a1'],
    ['1.0c1', '1.0rc1'],
    ['1.0.RC1', '1.0rc1'],
    ['1.0-dev', '1.0.dev0'],
  ];
  for (const [a, b] of equal) test(`${a} == ${b}`, () => assert.equal(comparePep440(parsePep440(a)!, parsePep440(b)!), 0));

  for (const bad of ['', 'abc', '1.0-foo', '1..0', '1.0+', 'latest']) test(`"${bad}" is not a PEP 440 version`, () => assert.equal(parsePep440(bad), undefined));
});

describe('PEP 440 specifiers', () => {
  const cases: [string, string, boolean][] = [
    ['>=1.0,<2', '1.5', true],
    ['>=1.0,<2', '2.0', false],
    ['>=1.0,<2', '0.9', false],
    ['==1.4.*', '1.4.5', true],
    ['==1.4.*', '1.4', true],
    ['==1.4.*', '1.4rc1', true],
    ['==1.4.*', '1.5.0', false],
    ['!=1.4.*', '1.5.0', true],
    ['~=1.4.2', '1.4.9', true],
    ['~=1.4.2', '1.5.0', false],
    ['~=1.4.2', '1.4.1', false],
    ['~=2.2', '2.9', true],
    ['~=2.2', '3.0', false],
    ['==1.0', '1.0+local.1', true],
    ['==1.0+local.1', '1.0', false],
    ['!=1.5', '1.5.0', false],
    ['<2.31.0', '2.31.0rc1', true],
    ['===1.0-weird', '1.0-WEIRD', true],
  ];
  for (const [spec, version, expected] of cases) {
    test(`${version} ${expected ? 'matches' : 'does not match'} ${spec}`, () => {
      const parsed = parsePep440Specifier(spec);
      assert.ok(!('error' in parsed), spec);
      assert.equal(parsed.matches(parsePep440(version)!, version), expected);
    });
  }
  for (const bad of ['1.0', '>=', '=>1.0', '~=1', '==1.*.2', '>=1.0;<2']) test(`"${bad}" is refused`, () => assert.ok('error' in parsePep440Specifier(bad)));
});

describe('generic order (RubyGems, Composer, others)', () => {
  const cases: [string, string, number][] = [
    ['1.2.3', '1.2.3', 0],
    ['1.2', '1.2.0', 0],
    ['v1.2.0', '1.2', 0],
    ['1.13.9', '1.13.10', -1],
    ['1.13.10.rc1', '1.13.10', -1],
    ['1.0.0.alpha', '1.0.0.beta', -1],
    ['1.0.0-beta2', '1.0.0-RC1', -1],
    ['1.0.0-dev', '1.0.0-alpha1', -1],
    ['1.0.0-p1', '1.0.0', 1],
    ['1.0.0-patch2', '1.0.1', -1],
    ['2.0.0.pre', '1.9.9', 1],
    ['1.2.3.4', '1.2.3', 1],
  ];
  for (const [a, b, expected] of cases) test(`${a} ${['<', '=', '>'][expected + 1]} ${b}`, () => assert.equal(sign(compareGeneric(a, b)), expected));
  test('an empty version cannot be compared', () => assert.equal(compareGeneric('', '1.0'), undefined));
});

describe('compareVersions and toSemver', () => {
  const cases: [string, string, string, number | undefined][] = [
    ['npm', '4.17.20', '4.17.21', -1],
    ['npm', '4.17.21-beta.1', '4.17.21', -1],
    ['npm', 'not-a-version', '1.0.0', undefined],
    ['golang', 'v0.7.0', 'v0.10.0', -1],
    ['golang', 'v0.0.0-20220906165146-f3363e06e74c', 'v0.1.0', -1],
    ['golang', 'v2.0.0+incompatible', 'v2.0.0', 0],
    ['cargo', '0.2.3', '0.2.10', -1],
    ['pypi', '2.31.0', '2.31', 0],
    ['pypi', '1.0.post1', '1.0', 1],
    ['gem', '1.13.10.rc1', '1.13.10', -1],
    ['composer', 'v7.4.5', '7.4.5', 0],
  ];
  for (const [type, a, b, expected] of cases) test(`${type}: ${a} vs ${b}`, () => assert.equal(sign(compareVersions(type, a, b)), expected));

  const semvers: [string, string, string | undefined][] = [
    ['golang', 'v1.2.3', '1.2.3'],
    ['gem', '1.13.10.rc1', '1.13.10-rc1'],
    ['gem', '2.1', '2.1.0'],
    ['composer', 'v7.4', '7.4.0'],
    ['composer', '1.0.0-beta1', '1.0.0-beta1'],
    ['gem', '1.2.3.4', undefined],
  ];
  for (const [type, v, expected] of semvers) test(`toSemver(${type}, ${v}) = ${expected}`, () => assert.equal(toSemver(type, v)?.version, expected));
});

describe('deny version specs', () => {
  const cases: [string, string | string[], string, boolean | undefined][] = [
    ['npm', '<4.17.21', '4.17.20', true],
    ['npm', '<4.17.21', '4.17.21', false],
    ['npm', '<4.17.21', '4.17.21-rc.1', true],
    ['npm', '>=1.0.0 <1.2.3 || 2.x', '2.5.0', true],
    ['npm', '^3', '4.0.0', false],
    ['npm', '<1.0.0', 'github:acme/x', undefined],
    ['golang', '<0.7.0', 'v0.6.0', true],
    ['gem', '<1.13.10', '1.13.10.rc1', true],
    ['gem', '<1.13.10', '1.2.3.4', undefined],
    ['composer', '>=7.0.0 <7.4.5', 'v7.4.4', true],
    ['pypi', '>=2.3,<2.31', '2.30.0', true],
    ['pypi', '>=2.3,<2.31', '2.31.0', false],
    ['maven', '>=2.0, <2.15.0', '2.14.1', true],
    ['maven', '>=2.0, <2.15.0', '2.15.0', false],
    ['npm', ['1.0.0', '1.0.1'], '1.0.1', true],
    ['npm', ['1.0.0'], '1.0.2', false],
    ['pypi', ['2.31'], '2.31.0', true],
  ];
  for (const [type, spec, version, expected] of cases) {
    test(`${type} ${JSON.stringify(spec)} on ${version}: ${expected}`, () => {
      const parsed = parseVersionSpec(type, spec);
      assert.ok(!('error' in parsed));
      assert.equal(parsed.matches(version), expected);
    });
  }
  for (const [type, spec] of [['npm', 'not a range'], ['pypi', '>>2'], ['maven', '~> 2']] as const) {
    test(`${type} "${spec}" is refused`, () => assert.ok('error' in parseVersionSpec(type, spec)));
  }
});
