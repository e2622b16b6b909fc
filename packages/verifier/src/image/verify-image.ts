import { type LoadedAttestation, isProvenantError, parseAttestations } from '@provenant/core';
import {
  type AttestationSource,
  type DiscoveredAttestation,
  type ImageReference,
  type RegistryOptions,
  clientFor,
  discoverAttestations,
  formatImageReference,
  imageName,
  parseImageReference,
  resolveImage,
} from '@provenant/oci';
import type { AdvisoryIndex } from '../dependencies/advisory-index.ts';
import type { Finding } from '../finding.ts';
import type { Policy } from '../policy.ts';
import type { TrustMaterial } from '../trust.ts';
import type { VerifyResult } from '../verify-attestation.ts';
import { verifyLoaded } from '../verify.ts';

/** Input of verifyImage. */
export interface VerifyImageInput {
  /** `[oci://]registry/repository[:tag][@sha256:...]`, or a parsed reference. */
  reference: string | ImageReference;
  trust: TrustMaterial;
  policy: Policy;
  now?: Date;
  advisories?: AdvisoryIndex;
  /** Credentials, plain HTTP, timeout, fetch; credentials default to the Docker config's. */
  registry?: RegistryOptions;
  /** Verify these attestations (read elsewhere) against the image digest instead of the registry's. */
  attestations?: readonly LoadedAttestation[];
}

/** One attestation found for the image, with its own outcome. */
export interface ImageAttestationResult {
  source: AttestationSource | 'given';
  /** The referrer (or `.att`) manifest that carries it. */
  manifestDigest?: string;
  /** The verified predicate type, or the registry annotation's claim when it did not verify. */
  predicateType?: string;
  ok: boolean;
  findings: Finding[];
}

/** verify()'s result, and what was verified: the image digest, how a tag was resolved, each attestation. */
export interface ImageVerifyResult extends VerifyResult {
  image: {
    /** The reference as given, normalised. */
    reference: string;
    name: string;
    /** The digest every check ran against. */
    digest: string;
    /** Set when a tag was resolved (once) to `digest`: later steps must use the digest, not the tag. */
    resolvedTag?: string;
  };
  /** How the registry listed attestations: the referrers API or the referrers tag schema. */
  referrersSource?: AttestationSource;
  attestations: ImageAttestationResult[];
  /** Index into `attestations` of the one that satisfied the policy. */
  satisfiedBy?: number;
}

/**
 * Verifies an image the way a deploy gate needs: a tag is resolved once to the manifest digest
 * (hashed here, not read from a header), the registry's attestations of that digest are found
 * (referrers API, referrers tag schema, cosign's legacy `.att`), each is verified against trust and
 * policy with the digest as the artifact, and the result says which one satisfied the policy.
 * Listed attestations that are gone, altered or about another image are findings. Throws
 * ProvenantError when the registry cannot be used (IMAGE_REFERENCE_INVALID, IMAGE_NOT_FOUND,
 * REGISTRY_AUTH_FAILED, REGISTRY_FAILED, DOWNLOAD_STALLED). Nothing is cached between calls.
 */
export async function verifyImage(input: VerifyImageInput): Promise<ImageVerifyResult> {
  const ref = typeof input.reference === 'string' ? parseImageReference(input.reference) : input.reference;
  const client = await clientFor(ref, input.registry);
  const { image } = await resolveImage(ref, client);
  const imageInfo: ImageVerifyResult['image'] = { reference: formatImageReference(ref), name: imageName(ref), digest: image.digest };
  if (image.resolvedTag !== undefined) imageInfo.resolvedTag = image.resolvedTag;

  const found: { entry: ImageAttestationResult; loaded: LoadedAttestation[] }[] = [];
  let referrersSource: AttestationSource | undefined;
  if (input.attestations !== undefined) {
    for (const att of input.attestations) found.push({ entry: { source: 'given', ok: false, findings: [] }, loaded: [att] });
  } else {
    const discovered = await discoverAttestations(client, image.digest);
    referrersSource = discovered.referrersSource;
    for (const att of discovered.attestations) found.push(readDiscovered(att));
  }

  const usable = found.flatMap((f, i) => f.loaded.map((att) => ({ att, owner: i })));
  const hex = image.digest.slice('sha256:'.length);
  const attestations = found.map((f) => f.entry);
  const base = { image: imageInfo, attestations, ...(referrersSource === undefined ? {} : { referrersSource }) };
  if (usable.length === 0) {
    const missing: Finding = { code: 'ATTESTATION_MISSING', message: `no readable attestation of ${image.digest} in ${imageInfo.name}`, path: 'image', expected: image.digest };
    return { ...base, ok: false, subjects: [], findings: [missing, ...attestations.flatMap((a, i) => prefixed(a.findings, i))] };
  }
  const { result, each } = verifyLoaded({
    attestations: usable.map((u) => u.att),
    artifact: { sha256: hex },
    trust: input.trust,
    policy: input.policy,
    ...(input.now === undefined ? {} : { now: input.now }),
    ...(input.advisories === undefined ? {} : { advisories: input.advisories }),
  });
  each.forEach((r, k) => {
    const entry = attestations[usable[k]!.owner]!;
    entry.ok = r.ok;
    entry.findings.push(...r.findings);
    if (r.view?.predicateType !== undefined) entry.predicateType = r.view.predicateType;
  });
  if (!result.ok) {
    // verifyLoaded indexes its findings over the readable attestations; re-index them over the report's list.
    const findings = result.findings.map((f) => {
      const m = f.path === undefined ? null : /^attestations\[(\d+)\]/.exec(f.path);
      return m === null ? f : { ...f, path: `image.attestations[${usable[Number(m[1])]!.owner}]${f.path!.slice(m[0].length)}` };
    });
    const unreadable = attestations.flatMap((a, i) => (found[i]!.loaded.length === 0 ? prefixed(a.findings, i) : []));
    return { ...base, ...result, findings: [...findings, ...unreadable] };
  }
  const first = each.findIndex((r) => r.ok);
  return { ...base, ...result, ...(first >= 0 ? { satisfiedBy: usable[first]!.owner } : {}) };
}

function readDiscovered(att: DiscoveredAttestation): { entry: ImageAttestationResult; loaded: LoadedAttestation[] } {
  const entry: ImageAttestationResult = { source: att.source, manifestDigest: att.manifestDigest, ok: false, findings: [] };
  if (att.claimedPredicateType !== undefined) entry.predicateType = att.claimedPredicateType;
  if (att.problem !== undefined) {
    entry.findings.push({ code: att.problem.code, message: att.problem.message });
    return { entry, loaded: [] };
  }
  try {
    return { entry, loaded: parseAttestations(att.text ?? '', `${att.source} ${att.manifestDigest}`) };
  } catch (err) {
    if (!isProvenantError(err)) throw err;
    entry.findings.push({ code: 'BUNDLE_MALFORMED', message: err.message });
    return { entry, loaded: [] };
  }
}

function prefixed(findings: readonly Finding[], i: number): Finding[] {
  return findings.map((f) => ({ ...f, path: f.path === undefined ? `image.attestations[${i}]` : `image.attestations[${i}].${f.path}` }));
}
