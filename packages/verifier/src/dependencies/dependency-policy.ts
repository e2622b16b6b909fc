import { z } from 'zod';
import type { Finding } from '../finding.ts';
import { formatPath } from '../issue-path.ts';
import { packageIdOf } from './package-id.ts';
import { parseVersionSpec } from './version-spec.ts';

/** Source kinds a policy may admit besides the registry (the generator's SourceKind minus `registry`). */
export const NON_REGISTRY_SOURCES = ['git', 'file', 'link', 'remote-tarball'] as const;
export type NonRegistrySource = (typeof NON_REGISTRY_SOURCES)[number];

const NonEmpty = z.string().min(1, { error: 'expected a non-empty string' });

const DenyRuleSchema = z
  .strictObject({
    purl: NonEmpty.meta({ description: 'The package, as a purl without version (pkg:npm/lodash, pkg:npm/%40scope/name, pkg:pypi/requests); with a version, that version only.' }),
    versions: z
      .union([NonEmpty, z.array(NonEmpty).min(1, { error: 'expected at least one version' })])
      .meta({
        description:
          'Versions denied; default all. A list is exact versions. A string is a range: node-semver for npm, cargo, golang, composer and gem (<4.17.21, ^2); a PEP 440 specifier set for pypi (>=1.0,<2, ==1.4.*); comma-separated comparisons otherwise.',
      })
      .optional(),
    reason: z.string().meta({ description: 'Shown in the finding.' }).optional(),
  })
  .superRefine((rule, ctx) => {
    const id = packageIdOf(rule.purl);
    if (id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['purl'], message: `"${rule.purl}" is not a package URL such as pkg:npm/lodash` });
      return;
    }
    if (/[?#]/.test(rule.purl)) ctx.addIssue({ code: 'custom', path: ['purl'], message: 'qualifiers and subpaths are not matched: name the package only (pkg:type/namespace/name)' });
    if (id.version !== undefined && rule.versions !== undefined) ctx.addIssue({ code: 'custom', path: ['versions'], message: 'the purl already names a version: give the version in the purl or in versions, not both' });
    if (rule.versions !== undefined) {
      const spec = parseVersionSpec(id.type, rule.versions);
      if ('error' in spec) ctx.addIssue({ code: 'custom', path: ['versions'], message: spec.error });
    }
  })
  .meta({ description: 'A package (or some of its versions) that must not be among the dependencies.' });

const RegistryUrl = NonEmpty.refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  },
  { error: 'expected an http(s) URL without credentials, query or fragment, such as https://registry.npmjs.org' },
);

/**
 * The `dependencies:` section of a policy file: rules over the packages the provenance lists in
 * resolvedDependencies (entries whose uri is a purl; the build's own source is not a package).
 * When the section is present, packages from sources other than a registry are refused unless
 * `allowSources` admits them.
 */
export const DependencyPolicySchema = z
  .strictObject({
    deny: z.array(DenyRuleSchema).min(1, { error: 'expected at least one entry (omit the field to deny nothing)' }).meta({ description: 'Packages that must not be used.' }).optional(),
    allowedRegistries: z
      .array(RegistryUrl)
      .min(1, { error: 'expected at least one entry (omit the field to leave it unconstrained)' })
      .meta({ description: 'Registry base URLs; a registry package must have been downloaded from under one of them (matched at a path boundary).' })
      .optional(),
    allowSources: z
      .array(z.enum(NON_REGISTRY_SOURCES, { error: `expected one of ${NON_REGISTRY_SOURCES.join(', ')}` }))
      .min(1, { error: 'expected at least one entry (omit the field to admit registry packages only)' })
      .meta({ description: 'Non-registry sources admitted (git, file, link, remote-tarball); every other non-registry package fails.' })
      .optional(),
    requireDigest: z.boolean().meta({ description: 'Every package (except local links) must carry a digest.' }).optional(),
    advisories: z
      .strictObject({
        directory: NonEmpty.meta({ description: 'Directory of OSV records (JSON), relative to the policy file.' }).optional(),
      })
      .meta({ description: 'Known-vulnerability check against OSV advisories; `provenant verify --advisories DIR` sets the directory too.' })
      .optional(),
  })
  .meta({ description: 'Rules over the resolved dependencies.' });

/** The `dependencies:` section of a policy. */
export type DependencyPolicy = z.infer<typeof DependencyPolicySchema>;

/** The keys allowed at a path inside the section, for "unknown key" messages of parsePolicy. */
export function dependencyPolicyKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(DependencyPolicySchema.shape);
  if (path[0] === 'deny') return ['purl', 'versions', 'reason'];
  if (path[0] === 'advisories') return ['directory'];
  return [];
}

/**
 * A `dependencies` policy built in code did not go through parsePolicy: check it against the schema
 * so that a broken one fails (POLICY_INVALID findings, path `policy.dependencies…`) instead of
 * admitting more than meant. Empty when usable or absent.
 */
export function verifyDependencyPolicyUsable(value: unknown): Finding[] {
  if (value === undefined) return [];
  const parsed = DependencyPolicySchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = formatPath(issue.path, 'policy.dependencies');
    return { code: 'POLICY_INVALID', message: `${path}: ${issue.message}`, path };
  });
}
