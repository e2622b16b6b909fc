import { ProvenantError } from '@provenant/core';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { BUNDLE_VERSIONS } from './checks/bundle-version.ts';
import { DURATION_PATTERN } from './duration.ts';
import { FULCIO_EXTENSIONS } from './fulcio-extensions.ts';
import { compileAnchored } from './identity-policy.ts';
import { parseBuilderId } from './builder-id.ts';
import { verifySlsaVerifierPolicyUsable } from './checks/slsa-verifier-policy.ts';
import { parseVersionedTag } from './versioned-tag.ts';
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

const SignerSchema = z
  .strictObject({
    keyId: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected a provenant key id: 64 hex digits (SHA-256 of the DER public key, as `provenant verify` prints it)' })
      .meta({ description: 'A trusted key, by provenant key id.' })
      .optional(),
    identity: IdentitySchema.optional(),
  })
  .superRefine((signer, ctx) => {
    if ((signer.keyId === undefined) === (signer.identity === undefined)) ctx.addIssue({ code: 'custom', message: 'expected exactly one of keyId and identity' });
  })
  .meta({ description: 'Who signs for the builder: a key id or a keyless identity (narrows trust, never widens it).' });

const TrustedBuilderSchema = z
  .strictObject({
    builderId: Text('The builder id, exactly.').optional(),
    builderIdPrefix: Text('A builder id prefix, matched at a "/" or "@" boundary.').optional(),
    signer: SignerSchema.optional(),
    maxLevel: z.literal([1, 2, 3], { error: 'expected a SLSA Build level: 1, 2 or 3' }).meta({ description: 'The highest SLSA Build level this builder is trusted to meet.' }),
  })
  .superRefine((entry, ctx) => {
    if ((entry.builderId === undefined) === (entry.builderIdPrefix === undefined)) ctx.addIssue({ code: 'custom', message: 'expected exactly one of builderId and builderIdPrefix' });
    // Levels 2 and 3 mean "signed by the build platform": without a signer any trusted key could claim the builder.
    if (entry.maxLevel > 1 && entry.signer === undefined) ctx.addIssue({ code: 'custom', message: `maxLevel ${entry.maxLevel} needs a signer (keyId or identity): levels 2 and 3 require provenance signed by the build platform`, path: ['maxLevel'] });
  })
  .meta({ description: 'A root of trust: a builder (id and signer) and the highest SLSA Build level it is trusted to meet.' });

const BuildTypeRuleSchema = z
  .strictObject({
    type: Text('The build type, exactly.'),
    externalParameters: z
      .union(
        [
          List('The external parameters provenance of this build type may carry, any value; any other is EXTERNAL_PARAMETER_UNEXPECTED.'),
          z
            .record(z.string().min(1, { error: 'expected a non-empty parameter name' }), z.unknown())
            .meta({ description: 'The external parameters allowed, with the value each must have (null: any value; an object matches key by key).' }),
        ],
        { error: 'expected a list of parameter names, or a mapping of parameter name to expected value' },
      )
      .optional(),
  })
  .meta({ description: 'A build type and the external parameters its provenance may carry (omit externalParameters for any).' });

const SubjectsSchema = z
  .strictObject({
    match: z.enum(['any', 'exactly'], { error: 'expected any or exactly' }).meta({ description: 'any (default): the artifact is a subject. exactly: the subject names are exactly names.' }).optional(),
    names: List('With match: exactly, every subject name the statement must have, and the only ones.').optional(),
  })
  .superRefine((subjects, ctx) => {
    if (subjects.match === 'exactly' && subjects.names === undefined) ctx.addIssue({ code: 'custom', message: 'match: exactly needs names', path: ['names'] });
    if (subjects.match !== 'exactly' && subjects.names !== undefined) ctx.addIssue({ code: 'custom', message: 'names applies only to match: exactly', path: ['names'] });
  })
  .meta({ description: 'Subject semantics: the artifact must be a subject (any), and with exactly the statement covers exactly the named artifacts.' });

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
        branch: Text('slsa-verifier --source-branch: the build ran from refs/heads/<branch>.').optional(),
        tag: Text('slsa-verifier --source-tag: the build ran from refs/tags/<tag>, exactly.').optional(),
        versionedTag: Text('slsa-verifier --source-versioned-tag: the build ran from a version tag within this one (v1 admits v1.4.2, v1.2 admits v1.2.9).')
          .refine((v) => parseVersionedTag(v) !== undefined, { error: 'expected a version such as v1, v1.2 or v1.2.3 (a leading v; a prerelease or build only after a patch version)' })
          .optional(),
      })
      .meta({ description: 'Accepted sources.' })
      .optional(),
    buildTypes: z
      .array(z.union([Text('A build type admitted with any external parameters.'), BuildTypeRuleSchema], { error: 'expected a build type, or a mapping with type and externalParameters' }))
      .min(1, { error: 'expected at least one entry (omit the field to leave it unconstrained)' })
      .meta({ description: 'Accepted build types, exact: a string admits any external parameters, { type, externalParameters } only those listed.' })
      .optional(),
    maxAge: z
      .union([z.string().regex(DURATION_PATTERN, { error: DURATION_HINT }), z.number().int({ error: DURATION_HINT }).positive({ error: DURATION_HINT }).max(315_360_000_000, { error: DURATION_HINT })], { error: DURATION_HINT })
      .meta({ description: 'Oldest acceptable build, from its finish (else start) time: 30d, 12h, 90m, 3600s, or seconds.' })
      .optional(),
    publicKeys: z
      .array(Text('An SPKI PEM public key, inline or as a path relative to the policy file.'))
      .min(1, { error: 'expected at least one key (omit the field to leave it unconstrained)' })
      .meta({ description: 'Trusted signers with a key: each an SPKI PEM public key (inline text) or the path of one, relative to the policy file. Trust material: the CLI adds them to --key; library callers pass them to createTrust.' })
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
    trustedBuilders: z
      .array(TrustedBuilderSchema)
      .min(1, { error: 'expected at least one trusted builder (omit the field for level 1 at most)' })
      .meta({ description: 'Roots of trust (SLSA "Verifying artifacts"): the SLSA Build level an artifact reaches is the highest maxLevel of the entries matching its builder and signer, else 1.' })
      .optional(),
    requireProvenance: z.boolean().meta({ description: 'verify-npm: a package without an attestation fails (PROVENANCE_MISSING) instead of being reported.' }).optional(),
    githubBuilder: z
      .strictObject({
        ids: z
          .array(Text('A builder id, name or name@ref (slsa-verifier --builder-id).').refine((id) => parseBuilderId(id) !== undefined, { error: 'expected a builder id, name or name@ref' }))
          .min(1, { error: 'expected at least one entry (omit the field for the built-in trusted builders)' })
          .optional(),
      })
      .meta({
        description:
          "slsa-verifier's trust in GitHub-built provenance: the certificate carries GitHub Actions' issuer, names one of source.uris as its source repository, and is a trusted builder (one of ids, or the built-in ones). A trust constraint.",
      })
      .optional(),
    workflowInputs: z
      .record(z.string().min(1, { error: 'expected a non-empty input name' }), z.string({ error: 'expected a string (quote values such as "true" or "3")' }))
      .refine((inputs) => Object.keys(inputs).length > 0, { error: 'expected at least one input (omit the field to leave it unconstrained)' })
      .meta({ description: 'slsa-verifier --build-workflow-input: inputs the workflow run must have been given, exactly.' })
      .optional(),
    subjects: SubjectsSchema.optional(),
    requiredAttestations: List('Predicate types that must each be present among the attestations that verified (ATTESTATION_MISSING).').optional(),
  })
  .superRefine((policy, ctx) => {
    // Across fields: a GitHub builder needs the repository it builds; a branch excludes a tag.
    if (policy.githubBuilder === undefined && policy.source?.branch === undefined) return;
    for (const finding of verifySlsaVerifierPolicyUsable(policy as Policy)) {
      if (finding.path !== 'policy.source.uris' && finding.path !== 'policy.source.branch') continue;
      ctx.addIssue({ code: 'custom', message: finding.message.replace(/^policy \S+ /, ''), path: finding.path?.replace(/^policy\./, '').split('.') ?? [] });
    }
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
  if (path[0] === 'buildTypes') return Object.keys(BuildTypeRuleSchema.shape);
  if (path[0] === 'subjects') return Object.keys(SubjectsSchema.shape);
  if (path[0] === 'githubBuilder') return Object.keys(shape.githubBuilder.unwrap().shape);
  if (path[0] === 'identities' && path[2] === 'extensions') return Object.keys(ExtensionsSchema.shape);
  if (path[0] === 'identities') return Object.keys(IdentitySchema.shape);
  if (path[0] === 'trustedBuilders' && path[2] === 'signer' && path[3] === 'identity' && path[4] === 'extensions') return Object.keys(ExtensionsSchema.shape);
  if (path[0] === 'trustedBuilders' && path[2] === 'signer' && path[3] === 'identity') return Object.keys(IdentitySchema.shape);
  if (path[0] === 'trustedBuilders' && path[2] === 'signer') return Object.keys(SignerSchema.shape);
  if (path[0] === 'trustedBuilders') return Object.keys(TrustedBuilderSchema.shape);
  if (path[0] === 'dependencies') return dependencyPolicyKeys(path.slice(1));
  return [];
}

function invalid(lines: string[]): ProvenantError {
  return new ProvenantError('POLICY_INVALID', lines.join('\n'));
}
