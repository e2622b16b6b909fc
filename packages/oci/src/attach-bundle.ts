import { createRequire } from 'node:module';
import { ProvenantError, isProvenantError } from '@provenant/core/verification';
import { discoverAttestations } from './discover-attestations.ts';
import { type ImageReference, imageName } from './image-reference.ts';
import { type RegistryClient, sha256 } from './registry-client.ts';

/** The artifact type of a Sigstore bundle v0.3 stored as an OCI artifact (cosign v3, GitHub). */
export const BUNDLE_V03_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The outcome of attaching one bundle to one image digest. */
export interface AttachResult {
  /** The image digest the bundle refers to. */
  imageDigest: string;
  /** Digest of the referrer manifest (new, or the one already there). */
  manifestDigest?: string;
  /** False when the registry already held this exact bundle for this image: nothing was written. */
  pushed: boolean;
}

/**
 * Stores a Sigstore bundle in the registry as an OCI 1.1 artifact referring to `imageDigest`
 * (artifactType the bundle media type, an empty config, the bundle as the one layer, `subject`
 * the image), with the annotations GitHub's attest action writes — through @sigstore/oci, which
 * also maintains the referrers tag index when the registry has no referrers API. Idempotent:
 * when a referrer of the image already carries a layer with this bundle's digest, nothing is
 * pushed. Several bundles (provenance, SBOM, VSA) coexist as separate referrers.
 */
export async function attachBundle(options: { image: ImageReference; imageDigest: string; bundle: Uint8Array; predicateType?: string; client: RegistryClient }): Promise<AttachResult> {
  const { client, imageDigest } = options;
  if (client.transport.origin.startsWith('http://') && !sigstoreOciUsesHttp(options.image.registry)) {
    // @sigstore/oci speaks plain HTTP to localhost and 127.0.0.1 only.
    throw new ProvenantError('REGISTRY_INSECURE', `pushing to ${options.image.registry} over plain HTTP is not supported; only loopback registries may be plain HTTP for --push`);
  }
  const bundleDigest = sha256(options.bundle);
  const existing = await findExisting(client, imageDigest, bundleDigest);
  if (existing !== undefined) return { imageDigest, manifestDigest: existing, pushed: false };
  const credentials = client.transport.credentials;
  const annotations: Record<string, string> = { 'dev.sigstore.bundle.content': 'dsse-envelope' };
  if (options.predicateType !== undefined) annotations['dev.sigstore.bundle.predicateType'] = options.predicateType;
  const oci = loadSigstoreOci();
  try {
    const descriptor = await oci.attachArtifactToImage({
      imageName: imageName(options.image),
      imageDigest,
      artifact: Buffer.from(options.bundle),
      mediaType: BUNDLE_V03_ARTIFACT_TYPE,
      annotations,
      // Anonymous when there are no credentials: @sigstore/oci signs in only when given some.
      credentials: credentials as never,
      fetchOpts: { retry: false, timeout: client.transport.timeoutMs },
    });
    return { imageDigest, manifestDigest: descriptor.digest, pushed: true };
  } catch (err) {
    throw fromOciError(err, options.image.registry, imageDigest);
  }
}

async function findExisting(client: RegistryClient, imageDigest: string, bundleDigest: string): Promise<string | undefined> {
  const { attestations } = await discoverAttestations(client, imageDigest);
  for (const att of attestations) {
    if (att.source !== 'cosign-att' && att.blobDigest === bundleDigest) return att.manifestDigest;
  }
  return undefined;
}

interface SigstoreOci {
  attachArtifactToImage(opts: {
    imageName: string;
    imageDigest: string;
    artifact: Buffer;
    mediaType: string;
    annotations?: Record<string, string>;
    credentials: never;
    fetchOpts?: { retry?: boolean; timeout?: number };
  }): Promise<{ digest: string }>;
}

// Loaded on first push only: it brings make-fetch-happen, which verification never needs.
function loadSigstoreOci(): SigstoreOci {
  return createRequire(import.meta.url)('@sigstore/oci') as SigstoreOci;
}

function fromOciError(err: unknown, registry: string, imageDigest: string): ProvenantError {
  if (isProvenantError(err)) return err;
  let cause: unknown = err;
  while (cause !== null && typeof cause === 'object' && 'cause' in cause && (cause as { statusCode?: number }).statusCode === undefined && (cause as { cause?: unknown }).cause !== undefined) {
    cause = (cause as { cause: unknown }).cause;
  }
  const status = (cause as { statusCode?: number } | null)?.statusCode;
  if (status === 401 || status === 403) return new ProvenantError('REGISTRY_AUTH_FAILED', `registry ${registry}: pushing the attestation was refused (HTTP ${status}); log in with push rights`, { cause: err });
  if (status === 404) return new ProvenantError('IMAGE_NOT_FOUND', `registry ${registry}: image ${imageDigest} not found, so nothing can refer to it`, { cause: err });
  const why = status !== undefined ? `HTTP ${status}` : ((cause as Error | null)?.message ?? 'error').split('\n')[0];
  return new ProvenantError('REGISTRY_FAILED', `registry ${registry}: pushing the attestation failed: ${why}`, { cause: err });
}

// Exactly @sigstore/oci's own rule (registry.js), narrower than the transport's loopback test:
// 127.0.0.2 or [::1] would be pushed to over HTTPS by the library.
function sigstoreOciUsesHttp(registry: string): boolean {
  const host = new URL(`http://${registry}`).hostname;
  return host === 'localhost' || host === '127.0.0.1';
}
