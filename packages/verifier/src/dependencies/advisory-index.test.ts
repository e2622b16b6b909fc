import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AdvisoryMatch, buildAdvisoryIndex, matchAdvisories } from './advisory-index.ts';
import { OsvRecordSchema } from './osv-record.ts';
import * as osv from './testing/osv-records.ts';

const index = buildAdvisoryIndex(osv.ALL_RECORDS.map((r) => OsvRecordSchema.parse(r)));
const ids = (matches: AdvisoryMatch[]) => matches.map((m) => m.id);

describe('matchAdvisories', () => {
  const cases: { purl: string; version: string; expected: string[]; why: string }[] = [
    { purl: 'pkg:npm/lodash', version: '4.17.20', expected: ['GHSA-35jh-r3h4-6jhm'], why: 'introduced 0, fixed 4.17.21; the other lodash advisory was fixed in 4.17.19' },
    { purl: 'pkg:npm/lodash', version: '4.17.15', expected: ['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw'], why: 'both ranges' },
    { purl: 'pkg:npm/lodash', version: '3.6.0', expected: ['GHSA-35jh-r3h4-6jhm'], why: 'below introduced 3.7.0 of the second' },
    { purl: 'pkg:npm/lodash', version: '4.17.21', expected: [], why: 'the fixed version' },
    { purl: 'pkg:npm/lodash-es', version: '4.17.20', expected: ['GHSA-35jh-r3h4-6jhm'], why: 'a second affected package of one record' },
    { purl: 'pkg:npm/lodash@4.17.20', version: '4.17.21', expected: [], why: 'the version argument counts, not the purl version' },
    { purl: 'pkg:golang/golang.org/x/net', version: 'v0.6.0', expected: ['GO-2023-1571'], why: 'Go module path from namespace/name, leading v' },
    { purl: 'pkg:golang/golang.org/x/net', version: 'v0.0.0-20220906165146-f3363e06e74c', expected: ['GO-2023-1571'], why: 'a pseudo-version is below 0.7.0' },
    { purl: 'pkg:golang/golang.org/x/net', version: 'v0.7.0', expected: [], why: 'fixed' },
    { purl: 'pkg:pypi/requests', version: '2.30.0', expected: ['GHSA-j8r2-6x86-q33q'], why: 'PYSEC and GHSA records alias each other: reported once' },
    { purl: 'pkg:pypi/Requests', version: '2.28.1', expected: ['GHSA-j8r2-6x86-q33q'], why: 'PyPI names are case-insensitive; in the range but not in the versions list' },
    { purl: 'pkg:pypi/requests', version: '2.31.0', expected: [], why: 'fixed (the GIT range is not evaluated against versions)' },
    { purl: 'pkg:pypi/requests', version: '2.2.1', expected: [], why: 'before introduced' },
    { purl: 'pkg:cargo/hyper', version: '0.14.9', expected: ['RUSTSEC-2021-0078'], why: 'package from affected[].package.purl' },
    { purl: 'pkg:cargo/time', version: '0.2.22', expected: ['RUSTSEC-2020-0071'], why: 'last_affected is inclusive' },
    { purl: 'pkg:cargo/time', version: '0.2.23', expected: [], why: 'after last_affected' },
    { purl: 'pkg:cargo/time', version: '0.1.43', expected: [], why: 'before introduced' },
    { purl: 'pkg:gem/nokogiri', version: '1.13.9', expected: ['GHSA-2qc6-mcvw-92cw'], why: 'first range' },
    { purl: 'pkg:gem/nokogiri', version: '1.13.10', expected: [], why: 'between the two ranges' },
    { purl: 'pkg:gem/nokogiri', version: '1.14.0', expected: ['GHSA-2qc6-mcvw-92cw'], why: 'second range, after its rc1 introduction' },
    { purl: 'pkg:gem/nokogiri', version: '1.14.0.rc1', expected: ['GHSA-2qc6-mcvw-92cw'], why: 'a RubyGems pre-release is in the range it introduces' },
    { purl: 'pkg:composer/GuzzleHttp/Guzzle', version: 'v7.4.4', expected: ['GHSA-w248-ffj2-4v5q'], why: 'Composer names are case-insensitive, v prefix' },
    { purl: 'pkg:composer/guzzlehttp/guzzle', version: '7.4.5', expected: [], why: 'fixed' },
    { purl: 'pkg:npm/limited', version: '1.9.9', expected: ['OSV-TEST-LIMIT'], why: 'below the limit' },
    { purl: 'pkg:npm/limited', version: '2.0.0', expected: [], why: 'at the limit' },
    { purl: 'pkg:npm/evil-pkg', version: '0.0.1', expected: ['MAL-2022-1'], why: 'a malicious package: every version' },
    { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core', version: '2.14.1', expected: [], why: 'Maven records are read and not matched' },
    { purl: 'pkg:npm/express', version: '4.19.2', expected: [], why: 'no advisory' },
    { purl: 'git+https://github.com/acme/app@refs/heads/main', version: '', expected: [], why: 'not a purl' },
  ];
  for (const c of cases) {
    test(`${c.purl} ${c.version}: ${c.expected.join(', ') || 'none'} (${c.why})`, () => {
      assert.deepEqual(ids(matchAdvisories(c.purl, c.version, index)).sort(), [...c.expected].sort());
    });
  }

  test('a match names its aliases and the fixed version to upgrade to', () => {
    const [m] = matchAdvisories('pkg:npm/lodash', '4.17.20', index);
    assert.deepEqual(m, { id: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'], summary: 'Command Injection in lodash', fixed: ['4.17.21'], uncertain: false });
  });

  test('collapsed aliases keep every id', () => {
    const [m] = matchAdvisories('pkg:pypi/requests', '2.30.0', index);
    assert.deepEqual(m?.aliases.sort(), ['CVE-2023-32681', 'PYSEC-2023-74']);
  });

  test('a version that cannot be compared is assumed affected and says so', () => {
    const matches = matchAdvisories('pkg:npm/lodash', 'github:lodash/lodash#abc', index);
    assert.deepEqual(ids(matches).sort(), ['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
    assert.ok(matches.every((m) => m.uncertain));
  });

  test('withdrawn advisories are ignored; with a time before the withdrawal they still count', () => {
    assert.equal(ids(matchAdvisories('pkg:npm/lodash', '4.17.21', index)).includes('GHSA-xxxx-withdrawn-0001'), false);
    assert.deepEqual(ids(matchAdvisories('pkg:npm/lodash', '4.17.21', index, new Date('2023-03-15T00:00:00Z'))), ['GHSA-xxxx-withdrawn-0001']);
    assert.deepEqual(ids(matchAdvisories('pkg:npm/lodash', '4.17.21', index, new Date('2023-05-01T00:00:00Z'))), []);
  });

  test('the index counts every record, withdrawn and unmatched ones too', () => {
    assert.equal(index.records, osv.ALL_RECORDS.length);
  });
});

describe('OsvRecordSchema', () => {
  const invalid: [string, unknown][] = [
    ['no id', { modified: '2023-01-01T00:00:00Z' }],
    ['an event with two kinds', { id: 'X-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }] }] }],
    ['an event with none', { id: 'X-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{}] }] }] }],
    ['aliases not a list', { id: 'X-1', aliases: 'CVE-1' }],
    ['a withdrawn time that is not a time', { id: 'X-1', withdrawn: 'yesterday' }],
  ];
  for (const [name, record] of invalid) test(`refuses ${name}`, () => assert.equal(OsvRecordSchema.safeParse(record).success, false));

  test('keeps unknown fields out of the way (a future schema version still reads)', () => {
    assert.equal(OsvRecordSchema.safeParse({ ...osv.LODASH_TEMPLATE, schema_version: '1.9.0', upstream: ['CVE-x'], something_new: { a: 1 } }).success, true);
  });
});
