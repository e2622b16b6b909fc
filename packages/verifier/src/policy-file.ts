import { ProvenantError } from '@provenant/core';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { BUNDLE_VERSIONS } from './checks/bundle-version.ts';
import { DURATION_PATTERN } from './duration.ts';
import { FULCIO_EXTENSIONS } from './fulcio-extensions.ts';
import { compileAnchored } from './identity-policy.ts';
import { DependencyPolicySchema, dependencyPolicyKeys } from './dependencies/dependency-policy.ts';
import { formatPath } from './issue-path.ts';
import type { Policy } from './policy.ts';

const DURATION_HINT = 'expected a duration such as 30d, 12h, 90m, 3600s, or a positive whole number of seconds';

const List = (description: string) => z.array(z.string().min(1, { error: 'expected a non-empty string' })).min(1, { error: 'expected at least one entry (omit the field to leave it unconstrained)' }).meta({ description });

const Text = (description: string) => z.string().min(1, { error: 'expected a non-empty string' }).meta({ description });
const Regexp = (description: string) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string' })
    .refine((s) => compileAnchored(s) !== undefined, { error: 'not a valid regular expression' })
    .meta({ description });

const ExtensionsSchema = z
  .strictObject(Object.fromEntries(FULCIO_EXTENSIONS.map((e) => [e.name, Text(`Fulcio extension ${e.oid}, exactly.`).optional()])) as Record<(typeof FULCIO_EXTENSIONS)[number]['name'], z.ZodOptional<z.ZodString>>)
  .meta({ description: 'Fulcio certificate extensions that must have exactly these values.' });

const IdentitySchema = z
  .strictObject({
    subjectAlternativeName: Text('The certificate SAN, exactly (cosign --certificate-identity).').optional(),
    subjectAlternativeNameRegexp: Regexp('A regexp the whole SAN must match, anchored at both ends (cosign --certificate-identity-regexp).').optional(),
    issuer: Text('The OIDC issuer, exactly (cosign --certificate-oidc-issuer).').optional(),
    issuerRegexp: Regexp('A regexp the whole OIDC issuer must match, anchored at both ends.').optional(),
    noIssuer: z.literal(true).meta({ description: 'The certificate carries no OIDC issuer (a CA certifying its own service).' }).optional(),
    extensions: ExtensionsSchema.optional(),
    denySelfHostedRunners: z.boolean().meta({ description: 'The runner environment extension must name a platform-hosted runner.' }).optional(),
  })
  .superRefine((id, ctx) => {
    if ((id.subjectAlternativeName === undefined) === (id.subjectAlternativeNameRegexp === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of subjectAlternativeName and subjectAlternativeNameRegexp' });
    }
    if ([id.issuer, id.issuerRegexp, id.noIssuer].filter((v) => v !== undefined).length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of issuer, issuerRegexp and noIssuer' });
    }
  })
  .meta({ description: 'A certificate identity allowed to sign keyless: a SAN constraint, an issuer constraint, and optional extension constraints.' });

/**
 * The policy file (YAML or JSON): flat, typed, strict. Unknown keys are errors, so a misspelt
 * constraint cannot silently constrain nothing. `schemas/policy.schema.json` is generated from it.
 */
export const PolicyFileSchema = z
  .strictObject({
    apiVersion: z.literal('provenant.dev/v1', { error: (iss) => `${iss.input === undefined ? 'missing, ' : ''}expected "provenant.dev/v1"` }),
    kind: z.literal('Policy', { error: (iss) => `${iss.input === undefined ? 'missing, ' : ''}expected "Policy"` }),
    predicateTypes: List('Accepted predicate types; default: SLSA provenance v1 and v0.2.').optional(),
    builder: z
      .strictObject({
        ids: List('Builder ids accepted exactly.').optional(),
        idPrefixes: List('Builder id prefixes, matched at a "/" or "@" boundary.').optional(),
      })
      .meta({ description: 'Accepted builders: an exact id or a prefix admits.' })
      .optional(),
    source: z
      .strictObject({
        uris: List('Source repository URIs, compared after normalisation (no git+, .git or trailing /; lowercase host).').optional(),
        refs: List('Git refs, exact or glob: * and ? within one path segment, ** across segments.').optional(),
      })
      .meta({ description: 'Accepted sources.' })
      .optional(),
    buildTypes: List('Accepted build types, exact.').optional(),
    maxAge: z
      .union([z.string().regex(DURATION_PATTERN, { error: DURATION_HINT }), z.number().int({ error: DURATION_HINT }).positive({ error: DURATION_HINT }).max(315_360_000_000, { error: DURATION_HINT })], { error: DURATION_HINT })
      .meta({ description: 'Oldest acceptable build, from its finish (else start) time: 30d, 12h, 90m, 3600s, or seconds.' })
      .optional(),
    identities: z
      .array(IdentitySchema)
      .min(1, { error: 'expected at least one identity (omit the field to leave it unconstrained)' })
      .meta({ description: 'Who may sign keyless: the signing certificate must match one of these.' })
      .optional(),
    minBundleVersion: z
      .enum(BUNDLE_VERSIONS as [string, ...string[]], { error: `expected one of ${BUNDLE_VERSIONS.join(', ')}` })
      .meta({ description: 'Oldest accepted Sigstore bundle version.' })
      .optional(),
    dependencies: DependencyPolicySchema.optional(),
  })
  .meta({ id: 'ProvenantPolicy', title: 'provenant verification policy', description: 'What SLSA provenance must say to pass `provenant verify`.' });

export type PolicyFile = z.infer<typeof PolicyFileSchema>;

/**
 * Parses a policy file (YAML or JSON). Throws ProvenantError POLICY_INVALID with one line per
 * problem, each `<source>:<line>:<col>: <what was expected>`.
 */
export function parsePolicy(text: string, source = 'policy'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw invalid(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${source}:${pos?.line ?? 1}:${pos?.col ?? 1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    throw invalid([`${source}:1:1: ${(err as Error).message}`]);
  }
  const parsed = PolicyFileSchema.safeParse(value);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => `${source}:${locate(doc, lineCounter, issue)}: ${describe(issue)}`));
  }
  const { apiVersion: _a, kind: _k, ...policy } = parsed.data;
  return policy;
}

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${where ? ` in ${where}` : ''} (allowed: ${allowedKeys(issue.path).join(', ')})`;
  }
  if (issue.path.length === 0 && issue.code === 'invalid_type') return 'expected a mapping with apiVersion: provenant.dev/v1 and kind: Policy';
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** line:col of the node an issue is about: the unknown key itself, or the nearest node that exists. */
function locate(doc: Document, lineCounter: LineCounter, issue: Issue): string {
  let offset: number | undefined;
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((p) => isScalar(p.key) && p.key.value === issue.keys[0]);
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    }
  }
  for (let n = path.length; offset === undefined && n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node) offset = (node as { range?: [number, number, number] | null }).range?.[0];
  }
  const pos = lineCounter.linePos(offset ?? 0);
  return `${pos.line}:${pos.col}`;
}

function allowedKeys(path: readonly PropertyKey[]): string[] {
  const shape = PolicyFileSchema.shape;
  if (path.length === 0) return Object.keys(shape);
  if (path[0] === 'builder') return Object.keys(shape.builder.unwrap().shape);
  if (path[0] === 'source') return Object.keys(shape.source.unwrap().shape);
  if (path[0] === 'identities' && path[2] === 'extensions') return Object.keys(ExtensionsSchema.shape);
  if (path[0] === 'identities') return Object.keys(IdentitySchema.shape);
  if (path[0] === 'dependencies') return dependencyPolicyKeys(path.slice(1));
  return [];
}

function invalid(lines: string[]): ProvenantError {
  return new ProvenantError('POLICY_INVALID', lines.join('\n'));
}
