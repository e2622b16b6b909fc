import { semver } from '../lazy-modules.ts';
import { OSV_ECOSYSTEM_TO_PURL_TYPE } from './osv-ecosystems.ts';
import type { OsvRecord } from './osv-record.ts';
import { packageIdOf, packageKey } from './package-id.ts';
import { compareVersions } from './version-order.ts';

/** One advisory as the index keeps it. */
export interface Advisory {
  id: string;
  aliases: string[];
  summary?: string;
  /** Epoch milliseconds of `withdrawn`, when the record was withdrawn. */
  withdrawnAt?: number;
}

interface Range {
  type: 'SEMVER' | 'ECOSYSTEM';
  events: { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; version: string }[];
}

interface AffectedEntry {
  advisory: Advisory;
  purlType: string;
  versions: string[];
  ranges: Range[];
}

/** Advisories by package: build once with buildAdvisoryIndex, query with matchAdvisories. */
export interface AdvisoryIndex {
  /** `type:name` → what each advisory says about that package. */
  readonly byPackage: ReadonlyMap<string, readonly AffectedEntry[]>;
  /** How many records were indexed (withdrawn ones included). */
  readonly records: number;
}

/** An advisory that applies to a package version. */
export interface AdvisoryMatch {
  id: string;
  aliases: string[];
  summary?: string;
  /** Fixed versions above the matched one, in the advisory's order: where to upgrade to. */
  fixed: string[];
  /** True when the version could not be compared with the advisory's ranges and is assumed affected. */
  uncertain: boolean;
}

/** An index with no advisories. */
export const EMPTY_ADVISORY_INDEX: AdvisoryIndex = Object.freeze({ byPackage: new Map(), records: 0 });

/**
 * Indexes validated OSV records by package. A package is found by `affected[].package.purl` when
 * given, else by its ecosystem (mapped to a purl type, see OSV_ECOSYSTEM_TO_PURL_TYPE) and name.
 * Ranges of type GIT (commit ranges) cannot be compared with versions and are not indexed: OSV
 * producers list the affected versions of those in `versions`, which is.
 */
export function buildAdvisoryIndex(records: readonly OsvRecord[]): AdvisoryIndex {
  const byPackage = new Map<string, AffectedEntry[]>();
  for (const record of records) {
    const advisory: Advisory = { id: record.id, aliases: record.aliases ?? [] };
    if (record.summary !== undefined) advisory.summary = record.summary;
    if (record.withdrawn !== undefined) advisory.withdrawnAt = Date.parse(record.withdrawn);
    for (const affected of record.affected ?? []) {
      const pkg = affected.package;
      if (pkg === undefined) continue;
      const fromPurl = pkg.purl === undefined ? undefined : packageIdOf(pkg.purl);
      const purlType = fromPurl?.type ?? OSV_ECOSYSTEM_TO_PURL_TYPE[pkg.ecosystem.split(':')[0]!];
      if (purlType === undefined) continue;
      const key = packageKey(purlType, fromPurl?.name ?? pkg.name);
      const ranges: Range[] = [];
      for (const r of affected.ranges ?? []) {
        if (r.type !== 'SEMVER' && r.type !== 'ECOSYSTEM') continue;
        ranges.push({
          type: r.type,
          events: r.events.map((e) =>
            e.introduced !== undefined
              ? { kind: 'introduced', version: e.introduced }
              : e.fixed !== undefined
                ? { kind: 'fixed', version: e.fixed }
                : e.last_affected !== undefined
                  ? { kind: 'last_affected', version: e.last_affected }
                  : { kind: 'limit', version: e.limit! },
          ),
        });
      }
      const entries = byPackage.get(key) ?? [];
      entries.push({ advisory, purlType, versions: affected.versions ?? [], ranges });
      byPackage.set(key, entries);
    }
  }
  return { byPackage, records: records.length };
}

/**
 * The advisories that affect `version` of the package `purl` names (the purl's own version is
 * ignored; pass it as `version`). Follows OSV's evaluation: affected when the version is listed in
 * `versions` or falls in a range (introduced ≤ v < fixed, or ≤ last_affected, below any limit).
 * A version that cannot be compared with a range's events counts as affected (`uncertain`): an
 * unreadable version is no proof of safety. Withdrawn advisories are skipped (when `now` is given,
 * only those withdrawn at or before it). Several records naming each other as aliases (a GHSA and
 * the CVE record it aliases) are reported once.
 */
export function matchAdvisories(purl: string, version: string, index: AdvisoryIndex, now?: Date): AdvisoryMatch[] {
  const id = packageIdOf(purl);
  if (id === undefined) return [];
  const entries = index.byPackage.get(packageKey(id.type, id.name)) ?? [];
  const matches = new Map<string, AdvisoryMatch>();
  for (const entry of entries) {
    const { advisory } = entry;
    if (advisory.withdrawnAt !== undefined && (now === undefined || advisory.withdrawnAt <= now.getTime())) continue;
    const verdict = affects(entry, version);
    if (verdict === false) continue;
    const seen = matches.get(advisory.id);
    if (seen) {
      seen.uncertain &&= verdict.uncertain;
      for (const f of verdict.fixed) if (!seen.fixed.includes(f)) seen.fixed.push(f);
      continue;
    }
    const match: AdvisoryMatch = { id: advisory.id, aliases: [...advisory.aliases], fixed: verdict.fixed, uncertain: verdict.uncertain };
    if (advisory.summary !== undefined) match.summary = advisory.summary;
    matches.set(advisory.id, match);
  }
  return dropAliases([...matches.values()]);
}

function affects(entry: AffectedEntry, version: string): { fixed: string[]; uncertain: boolean } | false {
  const listed = entry.versions.some((v) => v === version || compareVersions(entry.purlType, v, version) === 0);
  const fixed: string[] = [];
  let hit = listed;
  let uncertain = false;
  for (const range of entry.ranges) {
    const compare = range.type === 'SEMVER' ? compareSemver : (a: string, b: string) => compareVersions(entry.purlType, a, b);
    const result = inRange(range, version, compare);
    if (result === false) continue;
    hit = true;
    if (result === undefined) uncertain = true;
    for (const e of range.events) if (e.kind === 'fixed' && (compare(e.version, version) ?? 1) > 0) fixed.push(e.version);
  }
  // Listed in `versions` is certain, whatever an unreadable range says.
  return hit ? { fixed, uncertain: uncertain && !listed } : false;
}

/** SEMVER ranges compare in SemVer 2.0 precedence; OSV writes them without Go's leading `v`. */
function compareSemver(a: string, b: string): number | undefined {
  const x = semver().parse(a.replace(/^v/, ''), { loose: true });
  const y = semver().parse(b.replace(/^v/, ''), { loose: true });
  return x && y ? semver().compare(x, y) : undefined;
}

type Compare = (a: string, b: string) => number | undefined;

/** OSV's IncludedInRanges for one range; undefined when something cannot be compared. */
function inRange(range: Range, version: string, compare: Compare): boolean | undefined {
  // `introduced: "0"` is before every version and `limit: "*"` after every one (OSV, "special values").
  const cmp = (event: Range['events'][number]): number | undefined => {
    if (event.kind === 'introduced' && event.version === '0') return 1;
    if (event.kind === 'limit' && event.version === '*') return -1;
    return compare(version, event.version);
  };
  const limits = range.events.filter((e) => e.kind === 'limit');
  if (limits.length > 0) {
    const below = limits.map(cmp);
    if (below.includes(undefined)) return undefined;
    if (!below.some((c) => c! < 0)) return false;
  }
  const events = range.events.filter((e) => e.kind !== 'limit');
  // The schema requires an `introduced`; a range without one is read as open from the start
  // rather than as affecting nothing.
  if (!events.some((e) => e.kind === 'introduced')) events.unshift({ kind: 'introduced', version: '0' });
  const sorted = sortEvents(events, compare);
  if (sorted === undefined) return undefined;
  let vulnerable = false;
  for (const event of sorted) {
    const c = cmp(event);
    if (c === undefined) return undefined;
    if (event.kind === 'introduced' && c >= 0) vulnerable = true;
    else if (event.kind === 'fixed' && c >= 0) vulnerable = false;
    else if (event.kind === 'last_affected' && c > 0) vulnerable = false;
  }
  return vulnerable;
}

function sortEvents(events: Range['events'], compare: Compare): Range['events'] | undefined {
  let failed = false;
  const key = (e: Range['events'][number]) => (e.kind === 'introduced' && e.version === '0' ? undefined : e.version);
  const sorted = [...events].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === undefined || kb === undefined) return ka === kb ? 0 : ka === undefined ? -1 : 1;
    const c = compare(ka, kb);
    if (c === undefined) failed = true;
    // At one version, `fixed` closes what `introduced` opened only after it (introduced first).
    return c || (a.kind === 'introduced' ? -1 : b.kind === 'introduced' ? 1 : 0);
  });
  return failed ? undefined : sorted;
}

/** Of records that alias one another, keeps the first (by id); GHSA/CVE/PYSEC duplicates collapse. */
function dropAliases(matches: AdvisoryMatch[]): AdvisoryMatch[] {
  const sorted = [...matches].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept: AdvisoryMatch[] = [];
  for (const m of sorted) {
    const dup = kept.find((k) => k.aliases.includes(m.id) || m.aliases.includes(k.id) || k.aliases.some((a) => m.aliases.includes(a)));
    if (dup) {
      for (const a of [m.id, ...m.aliases]) if (a !== dup.id && !dup.aliases.includes(a)) dup.aliases.push(a);
      for (const f of m.fixed) if (!dup.fixed.includes(f)) dup.fixed.push(f);
      dup.uncertain &&= m.uncertain;
    } else kept.push({ ...m, aliases: [...m.aliases], fixed: [...m.fixed] });
  }
  return kept;
}
