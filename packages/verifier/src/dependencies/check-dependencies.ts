import type { Finding } from '../finding.ts';
import { packageUrl } from '../lazy-modules.ts';
import { type AdvisoryIndex, matchAdvisories } from './advisory-index.ts';
import type { DependencyPolicy } from './dependency-policy.ts';
import { type PackageId, packageIdOf } from './package-id.ts';
import { isUnderRegistry } from './registry-url.ts';
import { compareVersions } from './version-order.ts';
import { parseVersionSpec } from './version-spec.ts';

/** The finding codes of the dependency checks (to be merged into FINDING_CODES). */
export const DEPENDENCY_FINDING_CODES = [
  'DEPENDENCY_DENIED',
  'DEPENDENCY_UNPINNED',
  'DEPENDENCY_SOURCE_FORBIDDEN',
  'DEPENDENCY_REGISTRY_FORBIDDEN',
  'DEPENDENCY_VULNERABLE',
] as const;

/** A finding of the dependency checks: the shared Finding shape with one of these codes (or POLICY_INVALID). */
export type DependencyFinding = Omit<Finding, 'code'> & { code: (typeof DEPENDENCY_FINDING_CODES)[number] | 'POLICY_INVALID' };

/**
 * A resolved dependency as the checks read it: a SLSA ResourceDescriptor (v1 resolvedDependencies;
 * v0.2 materials have only uri and digest). Structural, so the view's DependencyRef fits once it
 * carries downloadLocation and annotations.
 */
export interface DependencyEntry {
  uri?: string;
  digest?: Record<string, string>;
  name?: string;
  downloadLocation?: string;
  annotations?: Record<string, unknown>;
}

/**
 * Checks the packages among the resolved dependencies (entries whose uri is a purl; the build's own
 * source is not one) against the `dependencies:` policy and known advisories. Pure and synchronous.
 *
 * With `policy` set: `deny` rules (DEPENDENCY_DENIED), the source rule — a package not from a
 * registry fails unless `allowSources` lists its kind (DEPENDENCY_SOURCE_FORBIDDEN) —,
 * `allowedRegistries` for registry packages (DEPENDENCY_REGISTRY_FORBIDDEN; a registry package
 * without a download location fails too), `requireDigest` (DEPENDENCY_UNPINNED; local links are
 * exempt: their content is the source commit's). With `advisories`: DEPENDENCY_VULNERABLE, one per
 * advisory, naming its id, aliases and fixed versions. `now` decides which withdrawals have happened.
 *
 * Fail closed: a version a deny range or an advisory range cannot read counts as matching, and a
 * policy asking for advisories with none loaded is POLICY_INVALID.
 *
 * Each finding's path is `<pathPrefix>[i]`, i the entry's index in `dependencies`.
 */
export function checkDependencies(
  dependencies: readonly DependencyEntry[],
  policy: DependencyPolicy | undefined,
  advisories?: AdvisoryIndex,
  now?: Date,
  pathPrefix = 'predicate.buildDefinition.resolvedDependencies',
): DependencyFinding[] {
  const findings: DependencyFinding[] = [];
  if (policy?.advisories !== undefined && advisories === undefined) {
    findings.push({
      code: 'POLICY_INVALID',
      message: 'the policy asks for an advisory check (dependencies.advisories) but no advisories were loaded: pass the directory (--advisories DIR or advisories.directory)',
      path: 'policy.dependencies.advisories',
    });
  }
  const deny = (policy?.deny ?? []).map((rule) => {
    const id = packageIdOf(rule.purl);
    return { rule, id, spec: rule.versions === undefined ? undefined : parseVersionSpec(id?.type ?? '', rule.versions) };
  });
  dependencies.forEach((dep, i) => {
    const id = dep.uri === undefined ? undefined : packageIdOf(dep.uri);
    if (id === undefined) return;
    const purl = dep.uri!;
    const path = `${pathPrefix}[${i}]`;
    const version = id.version ?? '';

    if (policy !== undefined) {
      for (const { rule, id: ruleId, spec } of deny) {
        const verdict = denies(ruleId, spec, id, version);
        if (verdict === false) continue;
        const what = `${rule.purl}${rule.versions === undefined ? '' : ` ${typeof rule.versions === 'string' ? rule.versions : rule.versions.join(', ')}`}`;
        const unreadable = verdict === undefined ? ` (${version === '' ? 'no version is recorded' : `version "${version}" cannot be compared with the rule`}, so it is denied)` : '';
        findings.push({
          code: 'DEPENDENCY_DENIED',
          message: `${purl} is denied by the policy (${what})${rule.reason ? `: ${rule.reason}` : ''}${unreadable}`,
          path,
          expected: { not: what },
          actual: purl,
        });
        break;
      }

      const kind = sourceKindOf(dep);
      const allowed: readonly string[] = policy.allowSources ?? [];
      if (kind !== 'registry' && !allowed.includes(kind)) {
        findings.push({
          code: 'DEPENDENCY_SOURCE_FORBIDDEN',
          message: `${purl} comes from a ${kind} source${dep.downloadLocation ? ` (${dep.downloadLocation})` : ''}, which the policy does not allow${allowed.length > 0 ? ` (allowSources: ${allowed.join(', ')})` : ' (only registry packages are allowed; list it in dependencies.allowSources to admit it)'}`,
          path,
          expected: ['registry', ...allowed],
          actual: kind,
        });
      }

      if (policy.allowedRegistries !== undefined && kind === 'registry') {
        const location = dep.downloadLocation ?? repositoryUrlOf(purl);
        if (location === undefined || !policy.allowedRegistries.some((r) => isUnderRegistry(location, r))) {
          findings.push({
            code: 'DEPENDENCY_REGISTRY_FORBIDDEN',
            message:
              location === undefined
                ? `${purl} records no download location, so its registry cannot be checked against the allowed ones`
                : `${purl} was downloaded from ${location}, outside the allowed registries (${policy.allowedRegistries.join(', ')})`,
            path,
            expected: policy.allowedRegistries,
            actual: location,
          });
        }
      }

      if (policy.requireDigest === true && kind !== 'link' && !hasDigest(dep.digest)) {
        findings.push({ code: 'DEPENDENCY_UNPINNED', message: `${purl} has no digest, and the policy requires every dependency to be pinned by one`, path, expected: 'a digest', actual: dep.digest ?? null });
      }
    }

    if (advisories !== undefined) {
      for (const match of matchAdvisories(purl, version, advisories, now)) {
        const aliases = match.aliases.length > 0 ? ` (${match.aliases.join(', ')})` : '';
        const fixed = match.fixed.length > 0 ? `; fixed in ${match.fixed.join(', ')}` : '';
        const uncertain = match.uncertain ? `; version "${version}" cannot be compared with the advisory's ranges, so it is assumed affected` : '';
        findings.push({
          code: 'DEPENDENCY_VULNERABLE',
          message: `${purl} is affected by ${match.id}${aliases}${match.summary ? `: ${match.summary}` : ''}${fixed}${uncertain}`,
          path,
          expected: match.fixed.length > 0 ? { fixedIn: match.fixed } : 'no known advisory',
          actual: { purl, advisory: match.id, aliases: match.aliases },
        });
      }
    }
  });
  return findings;
}

/** false: the rule does not apply; true: it does; undefined: the version cannot be compared (deny). */
function denies(rule: PackageId | undefined, spec: ReturnType<typeof parseVersionSpec> | undefined, id: PackageId, version: string): boolean | undefined {
  if (rule === undefined || rule.type !== id.type || rule.name !== id.name) return false;
  if (rule.version === undefined && spec === undefined) return true;
  // A rule about some versions cannot clear a package whose version is not recorded.
  if (version === '') return undefined;
  if (rule.version !== undefined) return rule.version === version || compareVersions(id.type, rule.version, version) === 0;
  if (spec === undefined) return true;
  // parseVersionSpec errors are refused by the schema; a policy built in code with one denies.
  if ('error' in spec) return undefined;
  return spec.matches(version);
}

/**
 * The source kind: provenant records it in `annotations.sourceKind`. Provenance from elsewhere
 * is read from the download location (`git+…`, `file:`, `link:`); a package with neither is a
 * registry package, as a purl without qualifiers names one. An annotation provenant does not know
 * (anything but registry, git, file, link, remote-tarball) is returned as written, and the source
 * rule refuses it.
 */
export function sourceKindOf(dep: DependencyEntry): string {
  const annotated = dep.annotations?.['sourceKind'];
  if (typeof annotated === 'string') return annotated;
  const location = dep.downloadLocation ?? '';
  if (/^(git\+|git:|git@|github:|gitlab:|bitbucket:)/.test(location)) return 'git';
  if (location.startsWith('file:')) return 'file';
  if (location.startsWith('link:')) return 'link';
  return 'registry';
}

function hasDigest(digest: Record<string, string> | undefined): boolean {
  return digest !== undefined && Object.values(digest).some((v) => typeof v === 'string' && v !== '');
}

/** A purl's `repository_url` qualifier (the registry it names when not the default one). */
function repositoryUrlOf(purl: string): string | undefined {
  try {
    const url = packageUrl().PackageURL.fromString(purl).qualifiers?.['repository_url'];
    return url === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  } catch {
    return undefined;
  }
}
