import type { Finding } from '../finding.ts';
import { refMatches } from '../ref-pattern.ts';
import { normaliseSourceUri } from '../source-uri.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/** The source repository must equal one of the accepted URIs, both sides normalised. */
export function verifySourceUri(view: ProvenanceView, uris: readonly string[] | undefined): Finding | undefined {
  if (uris === undefined) return undefined;
  const actual = view.source?.uri;
  if (actual !== undefined && uris.some((u) => normaliseSourceUri(u) === actual)) return undefined;
  return {
    code: 'SOURCE_MISMATCH',
    message: actual === undefined ? `no source repository can be read from this ${view.buildType ?? view.predicateType} provenance` : `source ${actual} is not accepted`,
    path: view.locations.sourceUri ?? 'predicate',
    expected: uris.map(normaliseSourceUri),
    actual,
  };
}

/** The source ref must equal one of the accepted refs or match one of the ref globs. */
export function verifyRef(view: ProvenanceView, refs: readonly string[] | undefined): Finding | undefined {
  if (refs === undefined) return undefined;
  const actual = view.source?.ref;
  if (actual !== undefined && refs.some((pattern) => refMatches(pattern, actual))) return undefined;
  return {
    code: 'REF_MISMATCH',
    message: actual === undefined ? 'the provenance records no source ref' : `ref ${actual} is not accepted`,
    path: view.locations.ref ?? view.locations.sourceUri ?? 'predicate',
    expected: [...refs],
    actual,
  };
}
