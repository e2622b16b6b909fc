import { stat } from 'node:fs/promises';
import { type DigestSet, type SubjectAlgorithm, digestFile, isProvenantError, isSubjectAlgorithm } from '@provenant/core';
import type { VerifiedSigner } from '../checks/signature.ts';
import type { AdvisoryIndex } from '../dependencies/advisory-index.ts';
import type { Finding } from '../finding.ts';
import { type BuildLevel, computeBuildLevel } from '../level/build-level.ts';
import type { Policy } from '../policy.ts';
import { type TrustRecord, checkDowngrade, observedProvenance, recordAccepted } from '../trust-record/trust-record.ts';
import type { TrustMaterial } from '../trust.ts';
import type { VerifyResult } from '../verify-attestation.ts';
import { verify } from '../verify.ts';
import type { SourceRef } from '../view/provenance-view.ts';
import { attestationPaths, tarballPaths } from './npm-package-files.ts';

/** A package of the lockfile: its name, version and `integrity` as a DigestSet (hex). */
export interface NpmPackageRef {
  name: string;
  version: string;
  /** The lockfile's `integrity` (`sha512-…` as `{ sha512: hex }`); empty or absent when it records none. */
  integrity?: DigestSet;
}

/** Input of verifyNpmPackages. */
export interface VerifyNpmInput {
  packages: readonly NpmPackageRef[];
  /** Tarballs to check against `integrity`: `<name>-<version>.tgz` (scoped: `@scope/name-<version>.tgz`). */
  tarballs?: string;
  /** Attestations to verify: `<name>@<version>.sigstore.json` (scoped: `@scope/name@<version>.sigstore.json`). */
  attestations?: string;
  trust: TrustMaterial;
  policy: Policy;
  now?: Date;
  advisories?: AdvisoryIndex;
  /** What was accepted last time, per package name: weaker or vanished provenance is PROVENANCE_DOWNGRADE. */
  trustRecord?: TrustRecord;
}

/** How a package's bytes were checked against the lockfile. */
export type IntegrityStatus = 'verified' | 'mismatch' | 'no-tarball' | 'no-integrity' | 'unsupported';
/** How its provenance fared. */
export type ProvenanceStatus = 'verified' | 'failed' | 'missing';

/** The verdict on one package. */
export interface NpmPackageResult {
  name: string;
  version: string;
  /** `pkg:npm/<name>@<version>`: what npm provenance names as its subject. */
  purl: string;
  ok: boolean;
  integrity: IntegrityStatus;
  provenance: ProvenanceStatus;
  level: BuildLevel;
  findings: Finding[];
  tarball?: string;
  attestation?: string;
  signer?: VerifiedSigner;
  builderId?: string;
  source?: SourceRef;
}

/** The report over every package. */
export interface NpmReport {
  ok: boolean;
  packages: NpmPackageResult[];
  /** With `trustRecord`: the record with this run's accepted provenance, set only when every package passed. */
  trustRecord?: TrustRecord;
}

/**
 * Checks every package of a lockfile, unlike `npm audit signatures` failing on what is absent when
 * the policy says so:
 * - integrity: when its tarball is in `tarballs`, the tarball's digest must equal the lockfile's
 *   `integrity` (INTEGRITY_MISMATCH); sha1-only integrity cannot be checked (`unsupported`);
 * - provenance: when an attestation for it is in `attestations`, it must verify against the trust
 *   and policy with the package's digest as the artifact (the tarball's when present, else the
 *   lockfile's integrity) — npm provenance names `pkg:npm/<name>@<version>` with its sha512;
 * - missing provenance is reported, and fails (PROVENANCE_MISSING) with `policy.requireProvenance`;
 * - with a trust record, provenance that disappeared or weakened since it was accepted fails
 *   (PROVENANCE_DOWNGRADE), whatever requireProvenance says.
 * Throws ProvenantError only for unusable input.
 */
export async function verifyNpmPackages(input: VerifyNpmInput): Promise<NpmReport> {
  const now = input.now ?? new Date();
  let record = input.trustRecord;
  const packages: NpmPackageResult[] = [];
  for (const pkg of input.packages) {
    const result = await verifyPackage(pkg, input, now);
    packages.push(result.package);
    if (record !== undefined && result.observed !== undefined && result.package.ok) record = recordAccepted(record, pkg.name, result.observed, now, pkg.version);
  }
  const ok = packages.every((p) => p.ok);
  return ok && record !== undefined ? { ok, packages, trustRecord: record } : { ok, packages };
}

async function verifyPackage(pkg: NpmPackageRef, input: VerifyNpmInput, now: Date): Promise<{ package: NpmPackageResult; observed?: ReturnType<typeof observedProvenance> }> {
  const out: NpmPackageResult = { name: pkg.name, version: pkg.version, purl: `pkg:npm/${pkg.name.replace(/^@/, '%40')}@${pkg.version}`, ok: true, integrity: 'no-tarball', provenance: 'missing', level: 0, findings: [] };
  const expected = acceptedDigests(pkg.integrity);
  const algorithms = Object.keys(expected) as SubjectAlgorithm[];
  let artifact: DigestSet | undefined = algorithms.length > 0 ? expected : undefined;
  if (algorithms.length === 0) out.integrity = Object.keys(pkg.integrity ?? {}).length > 0 ? 'unsupported' : 'no-integrity';

  const tarball = input.tarballs === undefined ? undefined : await firstFile(tarballPaths(input.tarballs, pkg.name, pkg.version));
  if (tarball !== undefined) {
    out.tarball = tarball;
    const actual = (await digestFile(tarball, algorithms.length > 0 ? algorithms : ['sha512'])).digest;
    artifact = actual;
    if (algorithms.length > 0) {
      const wrong = algorithms.filter((alg) => actual[alg] !== expected[alg]);
      out.integrity = wrong.length === 0 ? 'verified' : 'mismatch';
      if (wrong.length > 0) {
        out.findings.push({
          code: 'INTEGRITY_MISMATCH',
          message: `${tarball} is not the tarball the lockfile records for ${pkg.name}@${pkg.version} (${wrong.join(', ')} differs)`,
          path: `packages[${pkg.name}@${pkg.version}].integrity`,
          expected: Object.fromEntries(wrong.map((a) => [a, expected[a]])),
          actual: Object.fromEntries(wrong.map((a) => [a, actual[a]])),
        });
      }
    }
  }

  const attestation = input.attestations === undefined ? undefined : await firstFile(attestationPaths(input.attestations, pkg.name, pkg.version));
  let observed: ReturnType<typeof observedProvenance> | undefined;
  if (attestation === undefined || artifact === undefined) {
    if (input.policy.requireProvenance === true) {
      out.findings.push({
        code: 'PROVENANCE_MISSING',
        message: attestation === undefined ? `no attestation for ${pkg.name}@${pkg.version}, and the policy requires provenance` : `${pkg.name}@${pkg.version} has no sha256/sha384/sha512 digest (lockfile integrity or tarball) to verify its attestation against`,
        expected: 'an attestation (requireProvenance: true)',
      });
    }
  } else {
    out.attestation = attestation;
    const result = await verify({ artifact: { digest: artifact }, bundle: { path: attestation }, trust: input.trust, policy: input.policy, now, ...(input.advisories === undefined ? {} : { advisories: input.advisories }) }).catch(
      (err: unknown): VerifyResult => {
        // One unreadable attestation fails its package, not the whole run.
        if (!isProvenantError(err)) throw err;
        return { ok: false, subjects: [], findings: [{ code: 'BUNDLE_MALFORMED', message: `${attestation}: ${err.code}: ${err.message}` }] };
      },
    );
    out.provenance = result.ok ? 'verified' : 'failed';
    out.findings.push(...result.findings);
    if (result.signer !== undefined) out.signer = result.signer;
    if (result.view?.builderId !== undefined) out.builderId = result.view.builderId;
    if (result.view?.source !== undefined) out.source = result.view.source;
    if (result.ok) {
      out.level = computeBuildLevel(result, input.policy).level;
      observed = observedProvenance(result, out.level);
    }
  }
  if (input.trustRecord !== undefined && out.provenance !== 'failed') {
    const downgrade = checkDowngrade(input.trustRecord, pkg.name, observed, 'the trust record');
    if (downgrade) out.findings.push(downgrade);
  }
  out.ok = out.findings.length === 0;
  return observed === undefined ? { package: out } : { package: out, observed };
}

/** The lockfile digests provenant can check (sha256/384/512; sha1 is never used), lowercase hex. */
function acceptedDigests(integrity: DigestSet | undefined): DigestSet {
  const out: DigestSet = {};
  for (const [alg, hex] of Object.entries(integrity ?? {})) if (isSubjectAlgorithm(alg)) out[alg] = hex.toLowerCase();
  return out;
}

async function firstFile(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) return path;
  }
  return undefined;
}
