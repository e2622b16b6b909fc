// Verifications per second over the real bundles of ../shared/corpus (read in place): provenant
// against a plain loop over @sigstore/verify with the same trusted roots and the same pre-parsed
// bundles, and what provenant's statement and policy checks cost on top of its own Sigstore path.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type LoadedAttestation, SUBJECT_ALGORITHMS, digestBytes } from '@provenant/core';
import {
  type ArtifactDigests,
  DEFAULT_PREDICATE_TYPES,
  type IdentityPolicy,
  type Policy,
  type TrustMaterial,
  createTrust,
  parseAttestationText,
  parseTrustedRootText,
  verifyAttestation,
  verifySigstoreBundle,
} from '@provenant/verifier';
import { type Bundle, bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type VerificationPolicy, Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { RealBundleCase } from '../test/support/real-bundles.ts';
import { type Row, printTable } from './harness.ts';


/** One case, parsed once, ready for both verifiers. */
interface Prepared {
  id: string;
  attestation: LoadedAttestation;
  digests: ArtifactDigests;
  trust: TrustMaterial;
  policy: Policy;
  bundle: Bundle;
  artifact?: Buffer;
  verifier: Verifier;
  sigstorePolicy: VerificationPolicy;
}

const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

/**
 * `npm run bench`, when ../shared/corpus/real-bundles exists: the keyless cases that must verify
 * and that @sigstore/verify alone verifies too. provenant: verifyAttestation with trust built once
 * and the manifest's policy (identity, extensions, predicate type, bundle version); baseline:
 * `Verifier.verify(toSignedEntity(bundle), policy)` with the same trusted roots and thresholds.
 * The policy cost is verifyAttestation against verifySigstoreBundle (same trust, no statement checks).
 */
export async function benchRealBundles({ root = join(import.meta.dirname, '..') }: { root?: string } = {}): Promise<void> {
  const dir = join(root, '..', 'shared', 'corpus', 'real-bundles');
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.log(`\n## real bundles\nskipped: no corpus at ${dir}`);
    return;
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: RealBundleCase[] };
  const candidates = manifest.cases.filter((c) => c.expect === 'pass' && c.sigstoreJs === 'pass' && c.key === undefined);
  const verifiers = new Map<string, Verifier>();
  const trusts = new Map<string, TrustMaterial>();
  const prepared: Prepared[] = [];
  const skipped: string[] = [];
  const now = new Date();
  for (const c of candidates) {
    const p = prepare(dir, c, verifiers, trusts);
    // Only cases both verify, so that both loops do the same work.
    const ours = verifyAttestation(p.attestation, p.digests, p.trust, p.policy, now);
    let theirs = true;
    try {
      p.verifier.verify(toSignedEntity(p.bundle, p.artifact), p.sigstorePolicy);
    } catch {
      theirs = false;
    }
    if (ours.ok && theirs) prepared.push(p);
    else skipped.push(`${c.id} (${ours.ok ? '' : `provenant: ${ours.findings.map((f) => f.code).join(',')} `}${theirs ? '' : '@sigstore/verify rejects'})`);
  }
  if (prepared.length === 0) throw new Error(`no real bundle verifies with both: ${skipped.join('; ')}`);

  const n = prepared.length;
  // Interleaved call by call (the order rotating), so that a busy machine, a GC pause or a CPU
  // frequency change falls on all three alike; a difference of a few percent stays measurable.
  const [full, sigstorePath, baseline] = interleavedRates(
    [
      (p) => verifyAttestation(p.attestation, p.digests, p.trust, p.policy, now),
      (p) => verifySigstoreBundle(p.attestation, p.digests, p.trust),
      (p) => p.verifier.verify(toSignedEntity(p.bundle, p.artifact), p.sigstorePolicy),
    ],
    prepared,
    12,
  ) as [number, number, number];
  const policyCost = sigstorePath / full - 1;
  const rows: Row[] = [
    {
      name: `verifications/s, ${n} real bundles (policy incl.)`,
      value: `${full.toFixed(0)}/s`,
      baseline: `${baseline.toFixed(0)}/s @sigstore/verify`,
      ratio: `${(full / baseline).toFixed(2)}x throughput`,
    },
    {
      name: 'provenant Sigstore path only (signer, subject; no policy)',
      value: `${sigstorePath.toFixed(0)}/s`,
      baseline: `${baseline.toFixed(0)}/s @sigstore/verify`,
      ratio: `${(sigstorePath / baseline).toFixed(2)}x throughput`,
    },
    {
      name: 'cost of the policy checks on top',
      value: `${(policyCost * 100).toFixed(1)}%`,
      baseline: `${(1000 / full).toFixed(3)} ms vs ${(1000 / sigstorePath).toFixed(3)} ms`,
      ratio: '',
      target: '< 10%',
    },
  ];
  printTable('real bundles', rows);
  if (skipped.length > 0) console.log(`not timed (not verified by both): ${skipped.join('; ')}`);
}

function prepare(dir: string, c: RealBundleCase, verifiers: Map<string, Verifier>, trusts: Map<string, TrustMaterial>): Prepared {
  const text = readFileSync(join(dir, c.bundle), 'utf8');
  const [attestation] = parseAttestationText(text, c.bundle);
  if (attestation === undefined) throw new Error(`${c.id}: no attestation in ${c.bundle}`);
  const artifact = c.artifact ? readFileSync(join(dir, c.artifact)) : undefined;
  const identity = identityOf(c);
  const rootKey = `${c.trustedRoot} ${JSON.stringify(identity)}`;
  let trust = trusts.get(rootKey);
  if (trust === undefined) {
    const rootInput = c.trustedRoot === 'public-good' ? ('public-good' as const) : { root: parseTrustedRootText(readFileSync(join(dir, c.trustedRoot), 'utf8'), c.trustedRoot), source: c.trustedRoot };
    trust = createTrust({ trustedRoots: [rootInput], identities: [identity] });
    trusts.set(rootKey, trust);
  }
  const verifierKey = `${c.trustedRoot} ${JSON.stringify(c.verifierOptions ?? null)}`;
  let verifier = verifiers.get(verifierKey);
  if (verifier === undefined) {
    const rootJson = c.trustedRoot === 'public-good' ? publicGoodJson() : JSON.parse(readFileSync(join(dir, c.trustedRoot), 'utf8'));
    verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(rootJson)), c.verifierOptions ?? { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
    verifiers.set(verifierKey, verifier);
  }
  const policy: Policy = {};
  if (c.slsa?.predicateType && !DEFAULT_PREDICATE_TYPES.includes(c.slsa.predicateType)) policy.predicateTypes = [c.slsa.predicateType];
  if (c.minBundleVersion) policy.minBundleVersion = c.minBundleVersion;
  const san = c.cert?.san ?? c.identity ?? undefined;
  const issuer = c.issuer ?? c.cert?.issuer;
  const sigstorePolicy: VerificationPolicy = {};
  if (san) sigstorePolicy.subjectAlternativeName = san;
  if (issuer) sigstorePolicy.extensions = { issuer };
  const out: Prepared = { id: c.id, attestation, digests: digestsOf(c, dir, text, artifact), trust, policy, bundle: bundleFromJSON(JSON.parse(text)), verifier, sigstorePolicy };
  if (artifact) out.artifact = artifact;
  return out;
}

/** The identity the conformance test trusts for this case (test/conformance.test.ts trustArguments). */
function identityOf(c: RealBundleCase): IdentityPolicy {
  const identity: IdentityPolicy = {};
  if (c.identityRegex) identity.subjectAlternativeNameRegexp = c.identityRegex.replace(/^\^/, '') + (c.identityRegex.endsWith('$') ? '' : '.*');
  else identity.subjectAlternativeName = (c.identity ?? c.cert?.san)!;
  const issuer = c.issuer ?? c.cert?.issuer;
  if (issuer) identity.issuer = issuer;
  else identity.noIssuer = true;
  if (c.expectedPolicy) identity.extensions = c.expectedPolicy as IdentityPolicy['extensions'];
  return identity;
}

/** The artifact's digests, else its digest, a subject's, or (as the conformance test) the DSSE payload's. */
function digestsOf(c: RealBundleCase, dir: string, bundleText: string, artifact: Buffer | undefined): ArtifactDigests {
  if (artifact) return digestBytes(artifact, [...SUBJECT_ALGORITHMS]);
  const ref = c.digest ?? subjectDigest(c);
  if (ref) {
    const [alg, hex] = ref.split(':') as [string, string];
    return { [alg]: hex };
  }
  const payload = (JSON.parse(bundleText) as { dsseEnvelope?: { payload?: string } }).dsseEnvelope?.payload;
  if (payload === undefined) throw new Error(`${c.id}: nothing to verify against in ${join(dir, c.bundle)}`);
  return digestBytes(Buffer.from(payload, 'base64'), ['sha256']);
}

function subjectDigest(c: RealBundleCase): string | undefined {
  const digest = c.slsa?.subjects?.[0]?.digest;
  const alg = digest && ['sha256', 'sha384', 'sha512'].find((a) => digest[a] !== undefined);
  return digest && alg ? `${alg}:${digest[alg]}` : undefined;
}

/** The public-good trusted root @sigstore/tuf ships: what provenant's `'public-good'` is. */
function publicGoodJson(): unknown {
  const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json') as Record<string, { targets: Record<string, string> }>;
  return JSON.parse(Buffer.from(seeds[PUBLIC_GOOD_MIRROR]!.targets['trusted_root.json']!, 'base64').toString('utf8'));
}

/**
 * Verifications per second of each function over the bundles: `passes` passes (after one to warm
 * up), each calling every function on every bundle, in an order that rotates from call to call.
 */
function interleavedRates(fns: ((p: Prepared) => unknown)[], bundles: readonly Prepared[], passes: number): number[] {
  const totals = fns.map(() => 0);
  let turn = 0;
  for (let pass = 0; pass <= passes; pass++) {
    for (const p of bundles) {
      turn++;
      for (let j = 0; j < fns.length; j++) {
        const k = (j + turn) % fns.length;
        const start = process.hrtime.bigint();
        fns[k]!(p);
        if (pass > 0) totals[k]! += Number(process.hrtime.bigint() - start);
      }
    }
  }
  return totals.map((ns) => (passes * bundles.length * 1e9) / ns);
}
