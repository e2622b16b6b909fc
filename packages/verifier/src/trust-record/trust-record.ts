import { ProvenantError } from '@provenant/core/verification';
import type { Finding } from '../finding.ts';
import type { BuildLevel } from '../level/build-level.ts';
import { describeSigner } from '../level/signer-constraint.ts';
import type { VerifyResult } from '../verify-attestation.ts';

/**
 * What was accepted last time for one package or artifact name: trust on first use, as the SLSA
 * "Verifying artifacts" page describes it (compare each new version's provenance to the old one).
 */
export interface TrustRecordEntry {
  /** The builder id of the accepted provenance. */
  builderId?: string;
  /** Its (normalised) source repository. */
  sourceUri?: string;
  /** The SLSA Build level it reached under the policy's roots of trust. */
  level: BuildLevel;
  /** Who signed it, for people (not compared: keys rotate). */
  signer?: string;
  /** The version accepted (npm packages). */
  version?: string;
  /** When it was accepted (RFC 3339). */
  acceptedAt: string;
}

/** The trust record file: `{ "version": 1, "entries": { "<name>": TrustRecordEntry } }`. */
export interface TrustRecord {
  version: 1;
  entries: Record<string, TrustRecordEntry>;
}

/** What a verification observed about one name's provenance; undefined when there was none. */
export interface ObservedProvenance {
  builderId?: string;
  sourceUri?: string;
  level: BuildLevel;
  signer?: string;
}

/** An empty record: the first verification of each name is trusted on first use. */
export function emptyTrustRecord(): TrustRecord {
  return { version: 1, entries: {} };
}

/** What a passing verification observed, for the record. */
export function observedProvenance(result: VerifyResult, level: BuildLevel): ObservedProvenance {
  const observed: ObservedProvenance = { level, signer: describeSigner(result.signer) };
  if (result.view?.builderId !== undefined) observed.builderId = result.view.builderId;
  if (result.view?.source?.uri !== undefined) observed.sourceUri = result.view.source.uri;
  return observed;
}

/**
 * PROVENANCE_DOWNGRADE when provenance accepted before for `name` has disappeared or weakened: no
 * provenance now, a lower SLSA Build level, another builder, or another source repository. A name
 * seen for the first time, or the same or stronger provenance, is not a finding. `file` names the
 * record in the message, so that a person who expected the change knows what to edit.
 */
export function checkDowngrade(record: TrustRecord, name: string, observed: ObservedProvenance | undefined, file = 'the trust record'): Finding | undefined {
  const before = Object.hasOwn(record.entries, name) ? record.entries[name] : undefined;
  if (before === undefined) return undefined;
  const since = `accepted ${before.acceptedAt}${before.version ? ` (version ${before.version})` : ''}`;
  const changes: string[] = [];
  if (observed === undefined) changes.push(`provenance has disappeared (level ${before.level}, builder ${before.builderId ?? '?'} was ${since})`);
  else {
    if (observed.level < before.level) changes.push(`SLSA Build level ${observed.level}, below the level ${before.level} ${since}`);
    if (before.builderId !== undefined && observed.builderId !== before.builderId) changes.push(`builder ${observed.builderId ?? '(none)'}, not ${before.builderId} as ${since}`);
    if (before.sourceUri !== undefined && observed.sourceUri !== before.sourceUri) changes.push(`source ${observed.sourceUri ?? '(none)'}, not ${before.sourceUri} as ${since}`);
  }
  if (changes.length === 0) return undefined;
  return {
    code: 'PROVENANCE_DOWNGRADE',
    message: `${name}: ${changes.join('; ')}. If the change is intended, remove the entry ${JSON.stringify(name)} from ${file}`,
    expected: { builderId: before.builderId, sourceUri: before.sourceUri, level: before.level },
    actual: observed === undefined ? null : { builderId: observed.builderId, sourceUri: observed.sourceUri, level: observed.level },
  };
}

/** A copy of the record with `name`'s entry set to what was just accepted. */
export function recordAccepted(record: TrustRecord, name: string, observed: ObservedProvenance, acceptedAt: Date, version?: string): TrustRecord {
  const entry: TrustRecordEntry = { level: observed.level, acceptedAt: acceptedAt.toISOString() };
  if (observed.builderId !== undefined) entry.builderId = observed.builderId;
  if (observed.sourceUri !== undefined) entry.sourceUri = observed.sourceUri;
  if (observed.signer !== undefined) entry.signer = observed.signer;
  if (version !== undefined) entry.version = version;
  return { version: 1, entries: { ...record.entries, [name]: entry } };
}

/** Parses a trust record file; throws POLICY_INVALID (it is part of what is trusted) with `source` when it is not one. */
export function parseTrustRecord(text: string, source = 'trust record'): TrustRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProvenantError('POLICY_INVALID', `${source}: not JSON: ${(err as Error).message}`);
  }
  const bad = (why: string) => new ProvenantError('POLICY_INVALID', `${source}: not a provenant trust record: ${why}`);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw bad('expected an object');
  const { version, entries } = json as { version?: unknown; entries?: unknown };
  if (version !== 1) throw bad('expected "version": 1');
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) throw bad('expected "entries" to be an object');
  const out: [string, TrustRecordEntry][] = [];
  for (const [name, value] of Object.entries(entries)) {
    const e = value as Partial<TrustRecordEntry> | null;
    if (e === null || typeof e !== 'object' || ![0, 1, 2, 3].includes(e.level as number) || typeof e.acceptedAt !== 'string') throw bad(`entry ${JSON.stringify(name)} needs a level (0-3) and acceptedAt`);
    for (const key of ['builderId', 'sourceUri', 'signer', 'version'] as const) {
      if (e[key] !== undefined && typeof e[key] !== 'string') throw bad(`entry ${JSON.stringify(name)}: ${key} must be a string`);
    }
    out.push([name, e as TrustRecordEntry]);
  }
  // fromEntries defines own properties: a name such as __proto__ stays a name.
  return { version: 1, entries: Object.fromEntries(out) };
}
