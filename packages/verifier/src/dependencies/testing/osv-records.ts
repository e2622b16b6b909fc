/**
 * Test-only OSV records, shaped like the real ones (github/advisory-database GHSA exports, the Go
 * vulnerability database, PyPA's PYSEC, RustSec): every field a real record has, so the loader's
 * tolerance of fields it does not read is exercised too. Ids and versions follow the real
 * advisories; details are shortened.
 */

/** GHSA-35jh-r3h4-6jhm: lodash command injection, all versions below 4.17.21 (GitHub's ECOSYSTEM range). */
export const LODASH_TEMPLATE = {
  schema_version: '1.4.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-03-15T12:55:47Z',
  published: '2021-05-06T16:05:51Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  details: '`lodash` versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      database_specific: { source: 'https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/2021/05/GHSA-35jh-r3h4-6jhm/GHSA-35jh-r3h4-6jhm.json' },
    },
    {
      package: { ecosystem: 'npm', name: 'lodash-es' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
    },
  ],
  references: [
    { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
    { type: 'PACKAGE', url: 'https://github.com/lodash/lodash' },
  ],
  database_specific: { cwe_ids: ['CWE-77', 'CWE-94'], severity: 'HIGH', github_reviewed: true, github_reviewed_at: '2021-05-06T15:42:39Z', nvd_published_at: '2021-02-15T13:15:00Z' },
};

/** GHSA-p6mc-m468-83gw: lodash prototype pollution, introduced 3.7.0, fixed 4.17.19. */
export const LODASH_ZIPOBJECTDEEP = {
  schema_version: '1.4.0',
  id: 'GHSA-p6mc-m468-83gw',
  modified: '2024-02-01T00:00:00Z',
  published: '2020-07-15T19:15:48Z',
  aliases: ['CVE-2020-8203'],
  summary: 'Prototype Pollution in lodash',
  details: 'Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution.',
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.7.0' }, { fixed: '4.17.19' }] }] }],
  references: [{ type: 'WEB', url: 'https://hackerone.com/reports/712065' }],
};

/** GO-2023-1571: golang.org/x/net HTTP/2 HPACK, a SEMVER range (OSV writes Go versions without `v`). */
export const GO_X_NET = {
  schema_version: '1.3.1',
  id: 'GO-2023-1571',
  modified: '2024-05-20T16:03:47Z',
  published: '2023-02-16T22:27:38Z',
  aliases: ['CVE-2022-41723', 'GHSA-vvpx-j8f3-3w6h'],
  summary: 'Denial of service via crafted HTTP/2 stream in net/http and golang.org/x/net',
  details: 'A maliciously crafted HTTP/2 stream could cause excessive CPU consumption in the HPACK decoder.',
  affected: [
    {
      package: { name: 'golang.org/x/net', ecosystem: 'Go' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.7.0' }] }],
      ecosystem_specific: { imports: [{ path: 'golang.org/x/net/http2/hpack', symbols: ['Decoder.DecodeFull'] }] },
    },
  ],
  references: [{ type: 'FIX', url: 'https://go.dev/cl/468135' }],
  credits: [{ name: 'Philippe Antoine (Catena cyber)' }],
  database_specific: { url: 'https://pkg.go.dev/vuln/GO-2023-1571' },
};

/** PYSEC-2023-74 (requests, CVE-2023-32681): an ECOSYSTEM range plus the explicit versions list PyPA writes. */
export const REQUESTS_PYSEC = {
  id: 'PYSEC-2023-74',
  modified: '2023-06-05T01:13:00Z',
  published: '2023-05-26T18:15:00Z',
  aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
  details: 'Requests leaks Proxy-Authorization headers to destination servers when redirected to HTTPS.',
  affected: [
    {
      package: { name: 'requests', ecosystem: 'PyPI', purl: 'pkg:pypi/requests' },
      ranges: [{ type: 'GIT', repo: 'https://github.com/psf/requests', events: [{ introduced: '0' }, { fixed: '74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5' }] }, { type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }],
      versions: ['2.3.0', '2.30.0'],
    },
  ],
  references: [{ type: 'ARTICLE', url: 'https://github.com/psf/requests/releases/tag/v2.31.0' }],
};

/** GHSA-j8r2-6x86-q33q: GitHub's record of the same requests vulnerability (aliases the CVE). */
export const REQUESTS_GHSA = {
  schema_version: '1.4.0',
  id: 'GHSA-j8r2-6x86-q33q',
  modified: '2023-09-01T00:00:00Z',
  published: '2023-05-22T20:36:32Z',
  aliases: ['CVE-2023-32681'],
  summary: 'Unintended leak of Proxy-Authorization header in requests',
  affected: [{ package: { ecosystem: 'PyPI', name: 'Requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }] }],
};

/** RUSTSEC-2021-0078 (hyper): two introduced/fixed pairs in one range. */
export const HYPER_RUSTSEC = {
  id: 'RUSTSEC-2021-0078',
  modified: '2023-06-13T13:10:24Z',
  published: '2021-07-07T12:00:00Z',
  aliases: ['CVE-2021-32715', 'GHSA-f3pg-qwvg-p99c'],
  summary: 'Lenient `hyper` header parsing of `Content-Length` could allow request smuggling',
  affected: [
    {
      package: { name: 'hyper', ecosystem: 'crates.io', purl: 'pkg:cargo/hyper' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0.0.0-0' }, { fixed: '0.14.10' }] }],
      ecosystem_specific: { affects: { functions: [], os: [], arch: [] } },
      database_specific: { categories: [], cvss: null, informational: null },
    },
  ],
};

/** A crates.io advisory with `last_affected` (no fix released), as RustSec writes unmaintained crates. */
export const LAST_AFFECTED = {
  id: 'RUSTSEC-2020-0071',
  modified: '2023-01-01T00:00:00Z',
  summary: 'Potential segfault in the time crate',
  aliases: ['CVE-2020-26235'],
  affected: [{ package: { ecosystem: 'crates.io', name: 'time' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0.2.0' }, { last_affected: '0.2.22' }] }] }],
};

/** Two affected ranges of one package: 1.0.0 – <1.2.5 and 2.0.0 – <2.1.1 (nokogiri-style RubyGems record). */
export const NOKOGIRI = {
  schema_version: '1.4.0',
  id: 'GHSA-2qc6-mcvw-92cw',
  modified: '2023-01-01T00:00:00Z',
  aliases: ['CVE-2022-23476'],
  summary: 'Nokogiri unchecked return value from xmlTextReaderExpand',
  affected: [
    { package: { ecosystem: 'RubyGems', name: 'nokogiri' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.13.8' }, { fixed: '1.13.10' }] }] },
    { package: { ecosystem: 'RubyGems', name: 'nokogiri' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.14.0.rc1' }, { fixed: '1.14.1' }] }] },
  ],
};

/** A Packagist record (Composer names are case-insensitive). */
export const GUZZLE = {
  id: 'GHSA-w248-ffj2-4v5q',
  modified: '2023-01-01T00:00:00Z',
  aliases: ['CVE-2022-31090'],
  summary: 'Fix failure to strip Authorization header on HTTP downgrade',
  affected: [{ package: { ecosystem: 'Packagist', name: 'guzzlehttp/guzzle' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '7.0.0' }, { fixed: '7.4.5' }] }] }],
};

/** Synthetic: an open-ended range cut by a `limit` (OSV allows limits on any range type). */
export const LIMITED = {
  id: 'OSV-TEST-LIMIT',
  modified: '2023-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'limited' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '2.0.0' }] }] }],
};

/** A GHSA record GitHub withdrew (it was not a vulnerability after all). */
export const WITHDRAWN = {
  schema_version: '1.4.0',
  id: 'GHSA-xxxx-withdrawn-0001',
  modified: '2023-04-01T00:00:00Z',
  published: '2023-03-01T00:00:00Z',
  withdrawn: '2023-04-01T00:00:00Z',
  aliases: [],
  summary: 'Withdrawn: duplicate advisory',
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
};

/** A Maven record: an ecosystem provenant does not map, read and ignored. */
export const MAVEN = {
  id: 'GHSA-jfh8-c2jp-5v3q',
  modified: '2023-01-01T00:00:00Z',
  aliases: ['CVE-2021-44228'],
  summary: 'Remote code injection in Log4j',
  affected: [{ package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] }] }],
};

/** A malicious-package record (OSV MAL-): every version. */
export const MALICIOUS = {
  id: 'MAL-2022-1',
  modified: '2022-06-20T00:00:00Z',
  summary: 'Malicious code in evil-pkg (npm)',
  affected: [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }], database_specific: { 'malicious-packages-origins': [] } }],
};

export const ALL_RECORDS = [LODASH_TEMPLATE, LODASH_ZIPOBJECTDEEP, GO_X_NET, REQUESTS_PYSEC, REQUESTS_GHSA, HYPER_RUSTSEC, LAST_AFFECTED, NOKOGIRI, GUZZLE, LIMITED, WITHDRAWN, MAVEN, MALICIOUS];
