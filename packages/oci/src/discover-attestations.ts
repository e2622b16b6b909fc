import { ProvenantError, isProvenantError, isSigstoreBundleMediaType } from '@provenant/core/verification';
import { DSSE_LAYER_MEDIA_TYPE, legacyLayerToAttestation } from './cosign-legacy.ts';
import { type Descriptor, type RegistryClient, cosignAttestationTag } from './registry-client.ts';

/** Where an attestation of an image was found. */
export type AttestationSource = 'referrers-api' | 'referrers-tag' | 'cosign-att';

/** Why a listed attestation could not be read; verification reports it as a finding. */
export interface DiscoveryProblem {
  code: 'ATTESTATION_MISSING' | 'REGISTRY_CONTENT_MISMATCH' | 'SUBJECT_DIGEST_MISMATCH' | 'BUNDLE_MALFORMED';
  message: string;
}

/** One attestation found in the registry for an image digest. */
export interface DiscoveredAttestation {
  source: AttestationSource;
  /** Digest of the manifest that carries it (the referrer, or the `.att` manifest). */
  manifestDigest: string;
  /** The bundle (or, for a key-signed legacy layer, DSSE envelope) as JSON text, when it could be read. */
  text?: string;
  /** Digest of the layer the text was read from, checked against its bytes. */
  blobDigest?: string;
  /** Predicate type the registry's annotations claim (unverified; for display only). */
  claimedPredicateType?: string;
  problem?: DiscoveryProblem;
}

const PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';
/** More referrers than this is refused: a registry listing thousands is hostile or broken. */
export const MAX_REFERRERS = 256;

/**
 * Every Sigstore-bundle attestation the registry holds for `digest`: referrers (API or tag
 * schema) whose artifact type is a bundle, each read manifest → layer with its digest checked
 * and its `subject` required to be this image; then cosign's legacy `.att` tag. A listed
 * attestation that is gone, altered or about another image comes back with a `problem` rather
 * than being dropped, so the verdict can say so. Registry failures (auth, 5xx, stall) throw.
 */
export async function discoverAttestations(client: RegistryClient, digest: string): Promise<{ attestations: DiscoveredAttestation[]; referrersSource: AttestationSource }> {
  const [referrers, legacy] = await Promise.all([client.listReferrers(digest), discoverLegacy(client, digest)]);
  const candidates = referrers.descriptors.filter((d) => d.artifactType === undefined || isSigstoreBundleMediaType(d.artifactType));
  if (candidates.length > MAX_REFERRERS) {
    throw new ProvenantError('REGISTRY_FAILED', `registry ${client.transport.registry}: ${candidates.length} referrers for ${digest}, over the limit of ${MAX_REFERRERS}`);
  }
  const fromReferrers = await Promise.all(candidates.map((d) => readReferrer(client, digest, d, referrers.source)));
  return { attestations: [...fromReferrers.filter((a): a is DiscoveredAttestation => a !== undefined), ...legacy], referrersSource: referrers.source };
}

async function readReferrer(client: RegistryClient, subject: string, descriptor: Descriptor, source: 'referrers-api' | 'referrers-tag'): Promise<DiscoveredAttestation | undefined> {
  const base: DiscoveredAttestation = { source, manifestDigest: descriptor.digest };
  const claimed = descriptor.annotations?.[PREDICATE_TYPE_ANNOTATION];
  if (typeof claimed === 'string') base.claimedPredicateType = claimed;
  const manifest = await client.getManifest(descriptor.digest);
  if (manifest === undefined) return { ...base, problem: { code: 'ATTESTATION_MISSING', message: `referrer ${descriptor.digest} is listed but the registry no longer has it` } };
  if (manifest.digest !== descriptor.digest) return { ...base, problem: mismatch('referrer manifest', descriptor.digest, manifest.digest) };
  const artifactType = manifest.json.artifactType ?? manifest.json.config?.mediaType;
  // An untyped index entry that turns out not to be a bundle is someone else's artifact (an SBOM, a signature).
  if (descriptor.artifactType === undefined && (artifactType === undefined || !isSigstoreBundleMediaType(artifactType))) return undefined;
  if (manifest.json.subject?.digest !== subject) {
    return { ...base, problem: { code: 'SUBJECT_DIGEST_MISMATCH', message: `referrer ${descriptor.digest} names ${String(manifest.json.subject?.digest ?? 'no subject')}, not ${subject}` } };
  }
  const layer = manifest.json.layers?.find((l) => l !== null && typeof l === 'object' && typeof l.digest === 'string');
  if (layer === undefined || manifest.json.layers?.length !== 1) return { ...base, problem: { code: 'BUNDLE_MALFORMED', message: `referrer ${descriptor.digest} has ${manifest.json.layers?.length ?? 0} layers; a bundle artifact has exactly one` } };
  return { ...base, ...(await readLayer(client, layer, (bytes) => Buffer.from(bytes).toString('utf8'))) };
}

async function discoverLegacy(client: RegistryClient, digest: string): Promise<DiscoveredAttestation[]> {
  const manifest = await client.getManifest(cosignAttestationTag(digest));
  if (manifest === undefined) return [];
  const layers = (manifest.json.layers ?? []).filter((l) => l !== null && typeof l === 'object' && l.mediaType === DSSE_LAYER_MEDIA_TYPE).slice(0, MAX_REFERRERS);
  return Promise.all(
    layers.map(async (layer) => {
      const base: DiscoveredAttestation = { source: 'cosign-att', manifestDigest: manifest.digest };
      try {
        return { ...base, ...(await readLayer(client, layer, (bytes) => legacyLayerToAttestation(bytes, layer.annotations ?? {}))) };
      } catch (err) {
        if (isProvenantError(err) && err.code === 'BUNDLE_MALFORMED') return { ...base, problem: { code: 'BUNDLE_MALFORMED' as const, message: (err as Error).message } };
        throw err;
      }
    }),
  );
}

async function readLayer(client: RegistryClient, layer: Descriptor, toText: (bytes: Buffer) => string): Promise<Pick<DiscoveredAttestation, 'text' | 'blobDigest' | 'problem'>> {
  const blob = await client.getBlob(layer.digest);
  if (blob === undefined) return { problem: { code: 'ATTESTATION_MISSING', message: `attestation blob ${layer.digest} is listed but the registry no longer has it` } };
  if (blob.digest !== layer.digest) return { problem: mismatch('attestation blob', layer.digest, blob.digest) };
  return { text: toText(blob.bytes), blobDigest: blob.digest };
}

function mismatch(what: string, expected: string, actual: string): DiscoveryProblem {
  return { code: 'REGISTRY_CONTENT_MISMATCH', message: `${what} ${expected}: the registry served bytes whose digest is ${actual}` };
}
