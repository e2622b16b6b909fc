import type { Policy } from './policy.ts';

/** A builder id in slsa-verifier's `name[@version]` form. */
export interface BuilderIdParts {
  name: string;
  /** The part after `@`, e.g. `refs/tags/v1.9.0` or `v1.9.0`; absent when the id has none. */
  version?: string;
}

/**
 * Splits `name@version` as slsa-verifier's ParseBuilderID does: at most one `@`, and a version
 * that is not empty. Undefined for anything else (`a@b@c`, `name@`, ``).
 */
export function parseBuilderId(id: string): BuilderIdParts | undefined {
  const parts = id.split('@');
  if (parts[0] === '' || parts.length > 2) return undefined;
  if (parts.length === 1) return { name: parts[0]! };
  return parts[1] === '' ? undefined : { name: parts[0]!, version: parts[1]! };
}

/**
 * slsa-verifier's MatchesLoose: `actual` is admitted by `expected` (`--builder-id`) when the names
 * are equal and, if `expected` names a version, the versions are equal too, where a bare tag
 * stands for its ref (`…@v1.9.0` admits `…@refs/tags/v1.9.0`).
 */
export function builderIdMatches(actual: string, expected: string): boolean {
  const a = parseBuilderId(actual);
  const e = parseBuilderId(expected);
  if (a === undefined || e === undefined || a.name !== e.name) return false;
  return e.version === undefined || a.version === e.version || a.version === `refs/tags/${e.version}`;
}

/**
 * The statement constraint `--builder-id` sets, in the policy's own terms: `name` admits the name
 * alone and the name at any version (`ids: [name]`, `idPrefixes: ['name@']`); `name@v1.9.0` admits
 * exactly that and `name@refs/tags/v1.9.0`. Undefined when the id is not of the form `name[@version]`.
 */
export function builderConstraintOf(ids: readonly string[]): NonNullable<Policy['builder']> | undefined {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const id of ids) {
    const parts = parseBuilderId(id);
    if (parts === undefined) return undefined;
    if (parts.version === undefined) {
      exact.push(parts.name);
      prefixes.push(`${parts.name}@`);
    } else {
      exact.push(id);
      if (!parts.version.startsWith('refs/')) exact.push(`${parts.name}@refs/tags/${parts.version}`);
    }
  }
  return prefixes.length > 0 ? { ids: exact, idPrefixes: prefixes } : { ids: exact };
}
