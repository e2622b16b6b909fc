import type { Finding } from '../finding.ts';
import { parseVersionedTag, versionedTagMatches } from '../versioned-tag.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

const BRANCH_PREFIX = 'refs/heads/';
const TAG_PREFIX = 'refs/tags/';

/**
 * slsa-verifier's `--source-branch`: the build ran from `refs/heads/<branch>`. Unlike slsa-verifier,
 * a build from a tag is not traced back to the branch the tag was pushed from (see
 * docs/slsa-verifier-compatibility.md): it fails.
 */
export function verifyBranch(view: ProvenanceView, branch: string | undefined): Finding | undefined {
  if (branch === undefined) return undefined;
  const ref = view.source?.ref;
  if (ref === `${BRANCH_PREFIX}${branch}`) return undefined;
  return refFinding(view, `branch ${branch}`, `${BRANCH_PREFIX}${branch}`);
}

/** slsa-verifier's `--source-tag`: the build ran from `refs/tags/<tag>`, exactly. */
export function verifyTag(view: ProvenanceView, tag: string | undefined): Finding | undefined {
  if (tag === undefined) return undefined;
  const ref = view.source?.ref;
  if (ref === `${TAG_PREFIX}${tag}`) return undefined;
  return refFinding(view, `tag ${tag}`, `${TAG_PREFIX}${tag}`);
}

/**
 * slsa-verifier's `--source-versioned-tag`: the build ran from a tag that is a version within the
 * expected one (`v1` admits `v1.4.2`, `v1.2` admits `v1.2.9`; see versionedTagMatches).
 */
export function verifyVersionedTag(view: ProvenanceView, expected: string | undefined): Finding | undefined {
  if (expected === undefined) return undefined;
  const version = parseVersionedTag(expected);
  const ref = view.source?.ref;
  if (version !== undefined && ref?.startsWith(TAG_PREFIX) && versionedTagMatches(version, ref.slice(TAG_PREFIX.length))) return undefined;
  return refFinding(view, `a version tag within ${expected}`, `${TAG_PREFIX}${expected}`);
}

function refFinding(view: ProvenanceView, wanted: string, expected: string): Finding {
  const actual = view.source?.ref;
  return {
    code: 'REF_MISMATCH',
    message: actual === undefined ? `the provenance records no source ref, and the build must be from ${wanted}` : `ref ${actual} is not ${wanted}`,
    path: view.locations.ref ?? view.locations.sourceUri ?? 'predicate',
    expected,
    actual,
  };
}
