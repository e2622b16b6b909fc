import { type LoadedAttestation, SLSA_VSA_V1, type VsaV1, VsaV1Schema } from '@provenant/core';
import type { ArtifactDigests } from '../checks/subject.ts';
import { durationToMs } from '../duration.ts';
import type { Finding } from '../finding.ts';
import type { IdentityPolicy } from '../identity-policy.ts';
import { formatPath } from '../issue-path.ts';
import { type SignerConstraint, describeSigner, describeSignerConstraint, signerMatches } from '../level/signer-constraint.ts';
import type { TrustMaterial } from '../trust.ts';
import { type VerifyResult, verifyAttestation } from '../verify-attestation.ts';
import { levelsSatisfy, parseSlsaLevel } from './slsa-result.ts';

/** How far in the future a verification time may lie (clock skew) before it is refused. */
const MAX_FUTURE_MS = 5 * 60 * 1000;

/**
 * What a consumer expects of a VSA it relies on (SLSA VSA "How to verify"). Every field but
 * `maxAge`, `dependencyLevel`, `identities` and `minBundleVersion` is required: a VSA checked
 * against less would say nothing the consumer asked.
 */
export interface VsaExpectations {
  /**
   * The (verifier id, signer) pairs accepted: `verifier.id` must be one of these ids, and the VSA's
   * signer must be the entry's `signer` when it names one (else any signer the trust material trusts).
   */
  verifiers: { id: string; signer?: SignerConstraint }[];
  /** `resourceUri` must be exactly this: the resource the consumer is using the artifact as. */
  resourceUri: string;
  /** Each must be met by `verifiedLevels` (a level implies the lower ones of its track). */
  levels: string[];
  /** `timeVerified` must be at most this old (`30d`, `12h`, seconds); a VSA without a time then fails. */
  maxAge?: string | number;
  /** Every dependency `dependencyLevels` counts must be at this level of the same track or higher. */
  dependencyLevel?: string;
  /** Keyless VSA signers: the certificate must match one of these (with the trust material's). */
  identities?: IdentityPolicy[];
  /** Oldest accepted Sigstore bundle version. */
  minBundleVersion?: string;
}

/** The outcome of verifying a VSA; `vsa` is its predicate, set once the signature verified and the predicate parsed. */
export interface VsaVerifyResult extends VerifyResult {
  vsa?: VsaV1;
}

/**
 * Verifies a VSA as evidence, following the SLSA VSA verification steps: (1) the signature with
 * the trust material (a trusted verifier), (2) a subject is the artifact, (3) the predicate type is
 * VSA v1 — these three through verifyAttestation, so keys, keyless identities and bundle versions
 * work as for provenance — then, only on trusted content: (4) `verifier.id` is an accepted id, for
 * the signer that signed, (5) `resourceUri` is the expected one, `timeVerified` is recent enough,
 * (6) `verificationResult` is PASSED, (7) `verifiedLevels` meets each required level, and
 * optionally `dependencyLevels`. Every finding is collected. Pure: time and trust are parameters.
 */
export function verifyVsa(att: LoadedAttestation, artifact: ArtifactDigests, trust: TrustMaterial, expected: VsaExpectations, now: Date): VsaVerifyResult {
  const problems = expectationProblems(expected);
  if (problems.length > 0) return { ok: false, subjects: [], findings: problems.map((message) => ({ code: 'POLICY_INVALID', message, path: 'vsaExpectations' })) };
  const policy = {
    predicateTypes: [SLSA_VSA_V1],
    ...(expected.identities === undefined ? {} : { identities: expected.identities }),
    ...(expected.minBundleVersion === undefined ? {} : { minBundleVersion: expected.minBundleVersion }),
  };
  const base = verifyAttestation(att, artifact, trust, policy, now);
  const statementRead = base.view !== undefined && base.view.predicateType === SLSA_VSA_V1;
  if (base.signer === undefined || !statementRead) return base;
  const parsed = VsaV1Schema.safeParse((base.statement as { predicate?: unknown }).predicate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue?.path ?? [], 'predicate');
    const finding: Finding = { code: 'VSA_PREDICATE_INVALID', message: `not a valid VSA v1 predicate${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}`, path: path || 'predicate' };
    return { ...base, ok: false, findings: [...base.findings, finding] };
  }
  const vsa = parsed.data;
  const findings = [...base.findings, ...vsaFindings(vsa, base, expected, now)];
  return { ...base, ok: findings.length === 0, findings, vsa };
}

function vsaFindings(vsa: VsaV1, base: VerifyResult, expected: VsaExpectations, now: Date): Finding[] {
  const findings: Finding[] = [];
  const ids = expected.verifiers.map((v) => v.id);
  const pairs = expected.verifiers.filter((v) => v.id === vsa.verifier.id);
  if (pairs.length === 0) {
    findings.push({ code: 'VSA_VERIFIER_MISMATCH', message: `verifier ${vsa.verifier.id} is not an accepted verifier`, path: 'predicate.verifier.id', expected: ids, actual: vsa.verifier.id });
  } else if (!pairs.some((p) => p.signer === undefined || signerMatches(base.signer, p.signer))) {
    findings.push({
      code: 'VSA_VERIFIER_MISMATCH',
      message: `verifier ${vsa.verifier.id} is accepted only from ${pairs.map((p) => describeSignerConstraint(p.signer!)).join(' or ')}, and this VSA is signed by ${describeSigner(base.signer)}`,
      path: 'predicate.verifier.id',
      expected: pairs.map((p) => p.signer),
      actual: base.signer,
    });
  }
  if (vsa.resourceUri !== expected.resourceUri) {
    findings.push({ code: 'VSA_RESOURCE_URI_MISMATCH', message: `the VSA is about ${vsa.resourceUri}, not ${expected.resourceUri}`, path: 'predicate.resourceUri', expected: expected.resourceUri, actual: vsa.resourceUri });
  }
  const age = ageFinding(vsa.timeVerified, expected.maxAge, now);
  if (age) findings.push(age);
  if (vsa.verificationResult !== 'PASSED') {
    findings.push({ code: 'VSA_RESULT_FAILED', message: `the verifier's result is ${vsa.verificationResult}`, path: 'predicate.verificationResult', expected: 'PASSED', actual: vsa.verificationResult });
  }
  for (const level of expected.levels) {
    if (levelsSatisfy(vsa.verifiedLevels, level)) continue;
    findings.push({ code: 'VSA_LEVEL_MISSING', message: `verifiedLevels ${JSON.stringify(vsa.verifiedLevels)} do not include ${level} (or a higher level of its track)`, path: 'predicate.verifiedLevels', expected: level, actual: vsa.verifiedLevels });
  }
  if (expected.dependencyLevel !== undefined) {
    const low = dependencyLevelFinding(vsa.dependencyLevels, expected.dependencyLevel);
    if (low) findings.push(low);
  }
  return findings;
}

function ageFinding(timeVerified: string | undefined, maxAge: string | number | undefined, now: Date): Finding | undefined {
  if (maxAge === undefined) return undefined;
  const limit = durationToMs(maxAge)!;
  const path = 'predicate.timeVerified';
  if (timeVerified === undefined) return { code: 'VSA_TOO_OLD', message: 'the VSA records no timeVerified, so its age cannot be established', path, expected: maxAge };
  const age = now.getTime() - Date.parse(timeVerified);
  if (age < -MAX_FUTURE_MS) return { code: 'VSA_TOO_OLD', message: `timeVerified ${timeVerified} lies in the future (check the clocks)`, path, expected: maxAge, actual: timeVerified };
  if (age > limit) return { code: 'VSA_TOO_OLD', message: `verified at ${timeVerified}, more than ${maxAge} ago`, path, expected: maxAge, actual: timeVerified };
  return undefined;
}

/**
 * `dependencyLevels` counts dependencies at their highest level per track. Every count above zero
 * must be at the required level of its track or higher; `FAILED` and unevaluated counts fail, counts
 * of other tracks are not about this requirement. An absent map makes no claim, so it fails too.
 */
function dependencyLevelFinding(levels: Record<string, number> | undefined, required: string): Finding | undefined {
  const path = 'predicate.dependencyLevels';
  if (levels === undefined) return { code: 'VSA_DEPENDENCY_LEVEL_TOO_LOW', message: 'the VSA makes no claim about dependencies (no dependencyLevels)', path, expected: required };
  const want = parseSlsaLevel(required);
  const track = want?.track;
  const below = Object.entries(levels).filter(([name, count]) => {
    if (count === 0) return false;
    if (name === 'FAILED') return true;
    if (want === undefined) return name !== required;
    const got = parseSlsaLevel(name);
    if (got === undefined) return name.startsWith(`SLSA_${track}_`);
    return got.track === track && got.level < want.level;
  });
  if (below.length === 0) return undefined;
  return {
    code: 'VSA_DEPENDENCY_LEVEL_TOO_LOW',
    message: `dependencies below ${required}: ${below.map(([name, count]) => `${count} at ${name}`).join(', ')}`,
    path,
    expected: required,
    actual: levels,
  };
}

function expectationProblems(expected: VsaExpectations): string[] {
  const problems: string[] = [];
  const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
  if (!Array.isArray(expected.verifiers) || expected.verifiers.length === 0 || !expected.verifiers.every((v) => nonEmpty(v?.id))) problems.push('expected at least one verifier id (who you trust to have verified)');
  if (!nonEmpty(expected.resourceUri)) problems.push('expected the resourceUri the VSA must be about');
  if (!Array.isArray(expected.levels) || expected.levels.length === 0 || !expected.levels.every(nonEmpty)) problems.push('expected at least one level verifiedLevels must include, e.g. SLSA_BUILD_LEVEL_2');
  if (expected.maxAge !== undefined && durationToMs(expected.maxAge) === undefined) problems.push(`maxAge ${JSON.stringify(expected.maxAge)} is not a duration such as 30d, 12h or 3600s`);
  if (expected.dependencyLevel !== undefined && !nonEmpty(expected.dependencyLevel)) problems.push('dependencyLevel must be a non-empty level');
  return problems;
}
