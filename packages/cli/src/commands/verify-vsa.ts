import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type LoadedAttestation, MAX_BUNDLE_BYTES, ProvenantError, digestFile, isProvenantError, parseAttestations, readAttestationFile, stableStringify } from '@provenant/core';
import {
  type ArtifactDigests,
  type Policy,
  type VerifyInput,
  type VerifyResult,
  PROVENANT_VERIFIER_ID,
  buildLevelName,
  buildVsa,
  computeBuildLevel,
  parsePolicy,
  verify,
  verifyVsa,
} from '@provenant/verifier';
import type { Io } from '../output.ts';
import { type SignFlags, prepareSigning, signAndWrite } from '../signing.ts';
import { readBytes } from '../verify-options.ts';
import { VERSION } from '../version.ts';

/** The `verify` flags of results as attestations (see main.ts). */
export interface VsaFlags {
  bundle: string;
  policy?: string;
  /** Verify the bundle as a VSA (evidence) instead of as provenance. */
  vsa?: boolean;
  /** Write a VSA of this verification here. */
  vsaOut?: string;
  vsaKey?: string;
  vsaKeyPassphraseEnv?: string;
  vsaKeyless?: boolean;
  vsaIdentityToken?: string;
  vsaSigningConfig?: string;
  /** --vsa: accepted verifier ids; --vsa-out: the id to write (one). */
  vsaVerifierId?: string[];
  /** --vsa: the expected resourceUri; --vsa-out: the one to write. */
  vsaResourceUri?: string;
  vsaPolicyUri?: string;
  vsaLevel?: string[];
  vsaDependencyLevel?: string;
}

/** Policy files larger than this are not policies (as in verify.ts). */
const MAX_POLICY_BYTES = 1024 * 1024;
/** A VSA's subject carries both, so that consumers matching either find it. */
const VSA_SUBJECT_ALGORITHMS = ['sha256', 'sha512'] as const;

/**
 * `verify --vsa` (verify the bundle as a VSA, as evidence) or `verify --vsa-out FILE` (verify the
 * provenance, then write a signed VSA of the decision, PASSED or FAILED). Returns the result that
 * `verify` prints; the VSA written is reported on stderr.
 */
export async function verifyWithVsa(input: VerifyInput, artifactArg: string, flags: VsaFlags, io: Io): Promise<VerifyResult> {
  if (flags.vsa === true && flags.vsaOut !== undefined) throw new ProvenantError('USAGE', '--vsa verifies a VSA and --vsa-out writes one: give one of them');
  return flags.vsa === true ? verifyVsaEvidence(input, flags) : verifyAndWriteVsa(input, artifactArg, flags, io);
}

/** The SLSA VSA verification steps against the flags' expectations (docs/vsa.md). */
async function verifyVsaEvidence(input: VerifyInput, flags: VsaFlags): Promise<VerifyResult> {
  const verifierIds = flags.vsaVerifierId ?? [];
  const levels = flags.vsaLevel ?? [];
  const missing = [verifierIds.length === 0 && '--vsa-verifier-id ID', flags.vsaResourceUri === undefined && '--vsa-resource-uri URI', levels.length === 0 && '--vsa-level LEVEL'].filter(Boolean);
  if (missing.length > 0) throw new ProvenantError('USAGE', `--vsa needs ${missing.join(', ')}: a VSA is evidence only for the verifier, resource and level you expect`);
  const stray = provenanceConstraints(input.policy);
  if (stray.length > 0) throw new ProvenantError('USAGE', `--vsa verifies a VSA, not provenance: ${stray.join(', ')} cannot apply (--max-age applies to timeVerified)`);
  const attestations = await readAttestationFile(flags.bundle);
  const artifact = await artifactDigests(input);
  const now = input.now ?? new Date();
  const expected = {
    verifiers: verifierIds.map((id) => ({ id })),
    resourceUri: flags.vsaResourceUri!,
    levels,
    ...(input.policy.maxAge === undefined ? {} : { maxAge: input.policy.maxAge }),
    ...(flags.vsaDependencyLevel === undefined ? {} : { dependencyLevel: flags.vsaDependencyLevel }),
    ...(input.policy.identities === undefined ? {} : { identities: input.policy.identities }),
    ...(input.policy.minBundleVersion === undefined ? {} : { minBundleVersion: input.policy.minBundleVersion }),
  };
  return firstPassing(attestations.map((att: LoadedAttestation) => verifyVsa(att, artifact, input.trust, expected, now)));
}

/** Verifies as `verify` does, then writes the VSA of the decision (signed) to --vsa-out. */
async function verifyAndWriteVsa(input: VerifyInput, artifactArg: string, flags: VsaFlags, io: Io): Promise<VerifyResult> {
  const vsa = await prepareVsaOut(flags);
  const artifact = await artifactDigests(input);
  // The bundle file read once: named by the SHA-256 of its bytes, and verified from the same bytes
  // when it is the only one (several --bundle files come already loaded).
  const bundleBytes = await readBytes(flags.bundle, 'bundle', MAX_BUNDLE_BYTES);
  const bundle = 'path' in input.bundle ? parseAttestations(bundleBytes.toString('utf8'), flags.bundle) : input.bundle;
  const now = input.now ?? new Date();
  const result = await verify({ ...input, bundle, artifact: { digest: artifact }, now });
  await vsa.write({
    result,
    policy: input.policy,
    artifact,
    resourceUri: flags.vsaResourceUri ?? defaultResourceUri(artifactArg, artifact),
    inputAttestations: [{ uri: flags.bundle, digest: { sha256: sha256(bundleBytes) } }],
    now,
    io,
  });
  return result;
}

/** What a VSA records of one verification. */
export interface VsaRecord {
  result: VerifyResult;
  policy: Policy;
  artifact: ArtifactDigests;
  resourceUri: string;
  inputAttestations: { uri: string; digest: Record<string, string> }[];
  now: Date;
  io: Io;
}

/**
 * `--vsa-out`: checks the VSA flags and settles the signing (a bad key or a missing OIDC token
 * fails before anything is verified), and returns the writer of the signed VSA of a decision.
 */
export async function prepareVsaOut(flags: Omit<VsaFlags, 'bundle'>): Promise<{ write(record: VsaRecord): Promise<void> }> {
  const out = flags.vsaOut!;
  if ((flags.vsaVerifierId?.length ?? 0) > 1) throw new ProvenantError('USAGE', '--vsa-out writes one verifier id: give --vsa-verifier-id once');
  const vsaOnly = [flags.vsaLevel?.length ? '--vsa-level' : '', flags.vsaDependencyLevel === undefined ? '' : '--vsa-dependency-level'].filter(Boolean);
  if (vsaOnly.length > 0) throw new ProvenantError('USAGE', `${vsaOnly.join(', ')} only apply with --vsa (verifying a VSA)`);
  const signFlags: SignFlags = {
    out,
    format: 'sigstore',
    ...(flags.vsaKey === undefined ? {} : { key: flags.vsaKey }),
    keyPassphraseEnv: flags.vsaKeyPassphraseEnv ?? 'PROVENANT_KEY_PASSPHRASE',
    ...(flags.vsaKeyless === true ? { keyless: true } : {}),
    ...(flags.vsaIdentityToken === undefined ? {} : { identityToken: flags.vsaIdentityToken }),
    ...(flags.vsaSigningConfig === undefined ? {} : { signingConfig: flags.vsaSigningConfig }),
  };
  const signing = await prepareSigning(signFlags).catch((err: unknown) => {
    if (isProvenantError(err) && err.code === 'USAGE') throw new ProvenantError('USAGE', `--vsa-out: ${err.message.replaceAll('--key', '--vsa-key').replaceAll('--keyless', '--vsa-keyless')}`);
    throw err;
  });
  return {
    async write(record) {
      const { result, artifact, resourceUri } = record;
      const level = computeBuildLevel(result, record.policy).level;
      const { payload } = buildVsa({
        verifier: { id: flags.vsaVerifierId?.[0] ?? PROVENANT_VERIFIER_ID, version: { provenant: VERSION } },
        timeVerified: record.now,
        resourceUri,
        subject: { name: result.subjects[0]?.name ?? resourceUri, digest: artifact },
        policy: await policyDescriptor(record.policy, flags),
        inputAttestations: record.inputAttestations,
        passed: result.ok,
        level,
      });
      const { signedBy } = await signAndWrite(payload, signing, signFlags);
      record.io.stderr(`wrote ${out}: VSA ${result.ok ? `PASSED at ${buildLevelName(level)}` : 'FAILED'} for ${resourceUri}, signed ${signedBy}\n`);
    },
  };
}

/**
 * The artifact as digests. A file is hashed here with sha256 and sha512, once, and verified by
 * those digests: both go into a VSA's subject, and the provenance's subjects match either.
 */
async function artifactDigests(input: VerifyInput): Promise<ArtifactDigests> {
  const artifact = input.artifact;
  if ('digest' in artifact && typeof artifact.digest !== 'string') return artifact.digest;
  if ('path' in artifact) return (await digestFile(artifact.path, [...VSA_SUBJECT_ALGORITHMS])).digest;
  throw new ProvenantError('INTERNAL', 'verify passes a path or a digest set');
}

/**
 * `policy.uri` and `policy.digest`. When the policy file is applied as it is, its path (or
 * --vsa-policy-uri) and the SHA-256 of its exact bytes. When flags add to it or replace it (or
 * there is no file), the policy applied is the sorted-key JSON of what was used: its digest, and
 * as uri a `data:` URI holding it (or --vsa-policy-uri), so that the VSA names what decided.
 */
async function policyDescriptor(policy: Policy, flags: Pick<VsaFlags, 'policy' | 'vsaPolicyUri'>): Promise<{ uri: string; digest: { sha256: string } }> {
  const effective = stableStringify(policy);
  if (flags.policy !== undefined) {
    const bytes = await readFile(flags.policy);
    if (bytes.length <= MAX_POLICY_BYTES && stableStringify(parsePolicy(bytes.toString('utf8'), flags.policy)) === effective) {
      return { uri: flags.vsaPolicyUri ?? flags.policy, digest: { sha256: sha256(bytes) } };
    }
  }
  return { uri: flags.vsaPolicyUri ?? `data:application/json;base64,${Buffer.from(effective).toString('base64')}`, digest: { sha256: sha256(Buffer.from(effective)) } };
}

/** Without --vsa-resource-uri: the file's name, or the digest as given (`sha256:<hex>`). */
function defaultResourceUri(artifactArg: string, artifact: ArtifactDigests): string {
  if (/^sha(256|384|512):/i.test(artifactArg)) {
    const [alg] = artifactArg.split(':');
    return `${alg!.toLowerCase()}:${artifact[alg!.toLowerCase()]}`;
  }
  return basename(artifactArg);
}

/** The policy fields that constrain provenance: meaningless for a VSA. */
function provenanceConstraints(policy: Policy): string[] {
  const fields: [string, unknown][] = [
    ['builder', policy.builder],
    ['source', policy.source],
    ['buildTypes', policy.buildTypes],
    ['predicateTypes', policy.predicateTypes],
    ['dependencies', policy.dependencies],
    ['githubBuilder', policy.githubBuilder],
    ['workflowInputs', policy.workflowInputs],
  ];
  return fields.filter(([, v]) => v !== undefined).map(([name]) => name);
}

/** As verify does with several attestations: the first that passes, else all findings, each path prefixed `attestations[i]`. */
function firstPassing(results: readonly VerifyResult[]): VerifyResult {
  const passed = results.find((r) => r.ok);
  if (passed) return passed;
  if (results.length === 1) return results[0]!;
  return {
    ok: false,
    subjects: [],
    findings: results.flatMap((r, i) => r.findings.map((f) => ({ ...f, path: f.path === undefined ? `attestations[${i}]` : `attestations[${i}].${f.path}` }))),
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
