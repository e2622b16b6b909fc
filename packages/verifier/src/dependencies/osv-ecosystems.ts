// Apart from osv-record.ts (zod), so that matching advisories during verification does not load zod.

/**
 * OSV ecosystems provenant can match, as purl types. Records for other ecosystems (Maven, NuGet,
 * Debian, ...) are read and ignored. An ecosystem with a suffix (`Debian:12`) is matched on the
 * part before the colon.
 */
export const OSV_ECOSYSTEM_TO_PURL_TYPE: Readonly<Record<string, string>> = Object.freeze({
  npm: 'npm',
  'crates.io': 'cargo',
  Go: 'golang',
  PyPI: 'pypi',
  RubyGems: 'gem',
  Packagist: 'composer',
});
