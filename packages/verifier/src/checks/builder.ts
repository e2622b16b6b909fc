import type { Finding } from '../finding.ts';
import type { Policy } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/**
 * True when `id` equals `prefix` or continues it at a `/` or `@` boundary, so that
 * `https://github.com/acme` admits `https://github.com/acme/ci.yml@refs/tags/v1` but not
 * `https://github.com/acme-evil/ci.yml`. A prefix that itself ends in `/` or `@` is its own boundary.
 */
export function builderIdHasPrefix(id: string, prefix: string): boolean {
  if (prefix === '' || !id.startsWith(prefix)) return false;
  if (id.length === prefix.length || prefix.endsWith('/') || prefix.endsWith('@')) return true;
  const next = id[prefix.length];
  return next === '/' || next === '@';
}

/** The builder id must equal one of `builder.ids` or continue one of `builder.idPrefixes`. */
export function verifyBuilderId(view: ProvenanceView, builder: Policy['builder']): Finding | undefined {
  const ids = builder?.ids;
  const prefixes = builder?.idPrefixes;
  if (ids === undefined && prefixes === undefined) return undefined;
  const id = view.builderId;
  if (id !== undefined && (ids?.includes(id) || prefixes?.some((p) => builderIdHasPrefix(id, p)))) return undefined;
  const expected: Record<string, string[]> = {};
  if (ids !== undefined) expected['ids'] = ids;
  if (prefixes !== undefined) expected['idPrefixes'] = prefixes;
  return {
    code: 'BUILDER_ID_MISMATCH',
    message: id === undefined ? `the ${view.predicateType} predicate names no builder id` : `builder ${id} is not accepted`,
    path: view.locations.builderId ?? 'predicate',
    expected,
    actual: id,
  };
}
