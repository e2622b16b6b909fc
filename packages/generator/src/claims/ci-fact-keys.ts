import type { CiFacts } from '../collectors/ci-facts.ts';

/**
 * One CI fact that a platform's environment or its signed claims can state: a CiFacts field, or
 * one of its platformIds. `platform` itself is not one: it is which collector detected.
 */
export type CiFactKey =
  | 'builderId'
  | 'invocationId'
  | 'triggerEvent'
  | 'runnerKind'
  | 'repository'
  | 'ref'
  | 'commit'
  | 'workflow.path'
  | 'workflow.ref'
  | `platformIds.${string}`;

/** Where each CI fact lands in the SLSA v1 predicate (see provenance.ts). */
export function predicatePathOf(key: CiFactKey): string {
  switch (key) {
    case 'builderId':
      return 'runDetails.builder.id';
    case 'invocationId':
      return 'runDetails.metadata.invocationId';
    case 'triggerEvent':
      return 'buildDefinition.externalParameters.trigger.event';
    case 'runnerKind':
      return 'buildDefinition.internalParameters.runner.kind';
    case 'repository':
    case 'ref':
    case 'commit':
      return `buildDefinition.externalParameters.source.${key}`;
    case 'workflow.path':
    case 'workflow.ref':
      return `buildDefinition.externalParameters.${key}`;
    default:
      return `buildDefinition.internalParameters.${key}`;
  }
}

/** The facts as key -> value; unset facts are absent. */
export function flattenCi(ci: CiFacts): Map<CiFactKey, string> {
  const out = new Map<CiFactKey, string>();
  const put = (key: CiFactKey, value: string | undefined) => {
    if (value !== undefined) out.set(key, value);
  };
  put('builderId', ci.builderId);
  put('invocationId', ci.invocationId);
  put('triggerEvent', ci.triggerEvent);
  put('runnerKind', ci.runnerKind);
  put('repository', ci.repository);
  put('ref', ci.ref);
  put('commit', ci.commit);
  put('workflow.path', ci.workflow?.path);
  put('workflow.ref', ci.workflow?.ref);
  for (const [id, value] of Object.entries(ci.platformIds)) put(`platformIds.${id}`, value);
  return out;
}

/** CiFacts of `platform` holding exactly `values` (the inverse of flattenCi). */
export function unflattenCi(platform: CiFacts['platform'], values: ReadonlyMap<CiFactKey, string>): CiFacts {
  const get = (key: CiFactKey) => values.get(key);
  const runnerKind = get('runnerKind');
  const workflow = { ...optional('path', get('workflow.path')), ...optional('ref', get('workflow.ref')) };
  const platformIds: Record<string, string> = {};
  for (const key of [...values.keys()].filter((k) => k.startsWith('platformIds.')).sort()) {
    platformIds[key.slice('platformIds.'.length)] = values.get(key)!;
  }
  return {
    platform,
    builderId: get('builderId') ?? '',
    invocationId: get('invocationId') ?? '',
    ...optional('triggerEvent', get('triggerEvent')),
    ...(runnerKind === 'hosted' || runnerKind === 'self-hosted' ? { runnerKind } : {}),
    ...optional('repository', get('repository')),
    ...optional('ref', get('ref')),
    ...optional('commit', get('commit')),
    ...(Object.keys(workflow).length > 0 ? { workflow } : {}),
    platformIds,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
