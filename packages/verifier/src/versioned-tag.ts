import { semver } from './lazy-modules.ts';

/**
 * A version as slsa-verifier's `--source-versioned-tag` reads it (Go's golang.org/x/mod/semver): a
 * leading `v`, a major version, then optionally a minor and a patch version; only a full
 * `vX.Y.Z` may carry a prerelease (`-rc.1`) and build metadata (`+build.5`).
 */
export interface VersionedTag {
  major: string;
  /** Absent in `v1`: then any minor version is admitted. */
  minor?: string;
  /** Absent in `v1` and `v1.2`: then any patch version, and any prerelease, is admitted. */
  patch?: string;
  /** The prerelease without its `-`, or '' for none. Only meaningful with a patch version. */
  prerelease: string;
}

// Go's shorthand forms (`v1`, `v1.2`) take no prerelease or build: `v1.2-rc` is not a version.
const SHAPE = /^v(\d+)(?:\.(\d+)(?:\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?)?)?$/;

/**
 * Parses a version tag (without `refs/tags/`), or returns undefined when it is not one. The
 * identifier rules (no leading zeros in numbers or numeric prerelease identifiers, no empty
 * identifiers) are semver's own, checked with the `semver` package on the full form.
 */
export function parseVersionedTag(tag: string): VersionedTag | undefined {
  const m = SHAPE.exec(tag);
  if (!m) return undefined;
  const [, major, minor, patch, prerelease, build] = m;
  const full = `${major}.${minor ?? '0'}.${patch ?? '0'}${prerelease ? `-${prerelease}` : ''}${build ? `+${build}` : ''}`;
  if (semver().valid(full) === null || (build !== undefined && !build.split('.').every((id) => id !== ''))) return undefined;
  const out: VersionedTag = { major: major!, prerelease: prerelease ?? '' };
  if (minor !== undefined) out.minor = minor;
  if (patch !== undefined) out.patch = patch;
  return out;
}

/**
 * slsa-verifier's VerifyVersionedTag: the provenance's tag, read as a version (a short `v1.2` is
 * `v1.2.0`), admits the expected version when the major versions are equal, and the minor and
 * patch versions too where the expected version names them. With a patch version the prerelease
 * must be equal as well (`v1.2.3` does not admit `v1.2.3-rc.1`); without one any is admitted (`v1`
 * admits `v1.4.0-rc.1`). Build metadata is ignored on both sides. A tag that is not a version
 * never matches.
 */
export function versionedTagMatches(expected: VersionedTag, tag: string): boolean {
  const actual = parseVersionedTag(tag);
  if (actual === undefined || actual.major !== expected.major) return false;
  if (expected.minor !== undefined && (actual.minor ?? '0') !== expected.minor) return false;
  if (expected.patch !== undefined && ((actual.patch ?? '0') !== expected.patch || actual.prerelease !== expected.prerelease)) return false;
  return true;
}
