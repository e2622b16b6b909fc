import { createHash } from 'node:crypto';
import { MAX_BUNDLE_BYTES, ProvenantError } from '@provenant/core/verification';
import { type RegistryOptions, type RegistryResponse, RegistryTransport } from './registry-transport.ts';

/** An OCI content descriptor (image-spec descriptor.md), the fields provenant reads. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** A manifest or index as served, with the digest of the exact bytes. */
export interface FetchedManifest {
  /** `sha256:<hex>` computed here from the bytes, never taken from a response header. */
  digest: string;
  mediaType: string;
  bytes: Buffer;
  json: ManifestJson;
}

/** The fields of image manifests and indexes provenant reads. */
export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** How a list of referrers was found. */
export type ReferrersSource = 'referrers-api' | 'referrers-tag';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST];
/** The distribution spec's limit that registries SHOULD accept; more is refused before parsing. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * provenant's own registry client for one repository: the read side @sigstore/oci lacks
 * (manifests with their bytes, blobs, the referrers API and its tag fallback, cosign's legacy
 * tags) and the few writes the tests and `pushImage` need. Every byte read by digest is checked
 * against that digest by the caller-visible `digest` field; nothing is cached between calls.
 */
export class RegistryClient {
  readonly transport: RegistryTransport;

  constructor(registry: string, repository: string, options: RegistryOptions = {}) {
    this.transport = new RegistryTransport(registry, repository, options);
  }

  /** The manifest `reference` (tag or digest) names, or undefined when the registry has none (404). */
  async getManifest(reference: string): Promise<FetchedManifest | undefined> {
    const response = await this.transport.request(`manifests/${reference}`, { headers: { accept: MANIFEST_TYPES.join(', ') }, maxBytes: MAX_MANIFEST_BYTES });
    if (response.status === 404) return undefined;
    if (response.status !== 200) this.transport.fail(`manifest ${reference}`, response);
    const digest = sha256(response.body);
    let json: ManifestJson;
    try {
      json = JSON.parse(response.body.toString('utf8')) as ManifestJson;
    } catch {
      throw new ProvenantError('REGISTRY_FAILED', `registry ${this.transport.registry}: manifest ${reference} is not JSON`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ProvenantError('REGISTRY_FAILED', `registry ${this.transport.registry}: manifest ${reference} is not a JSON object`);
    const mediaType = json.mediaType ?? response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    return { digest, mediaType, bytes: response.body, json };
  }

  /** A blob's bytes and the digest computed over them, or undefined on 404. */
  async getBlob(digest: string, maxBytes = MAX_BUNDLE_BYTES): Promise<{ digest: string; bytes: Buffer } | undefined> {
    requireDigest(digest);
    const response = await this.transport.request(`blobs/${digest}`, { maxBytes });
    if (response.status === 404) return undefined;
    if (response.status !== 200) this.transport.fail(`blob ${digest}`, response);
    return { digest: sha256(response.body), bytes: response.body };
  }

  /**
   * The descriptors that refer to `digest`: from the referrers API (distribution spec 1.1) when the
   * registry has it, else from the referrers tag schema (`sha256-<hex>`, an index clients
   * maintain). Unfiltered: callers choose artifact types and check each manifest's `subject`.
   */
  async listReferrers(digest: string): Promise<{ source: ReferrersSource; descriptors: Descriptor[] }> {
    requireDigest(digest);
    const response = await this.transport.request(`referrers/${digest}`, { headers: { accept: OCI_INDEX }, maxBytes: MAX_MANIFEST_BYTES });
    // 404 (or 405 from some proxies) is how a registry without the API answers.
    if (response.status === 200 && (response.headers.get('content-type') ?? '').startsWith(OCI_INDEX)) {
      return { source: 'referrers-api', descriptors: descriptorsOf(parseIndex(response, this.transport.registry)) };
    }
    if (response.status !== 404 && response.status !== 405 && response.status !== 200) this.transport.fail(`referrers of ${digest}`, response);
    const index = await this.getManifest(referrersTag(digest));
    if (index === undefined) return { source: 'referrers-tag', descriptors: [] };
    if (index.mediaType !== OCI_INDEX) throw new ProvenantError('REGISTRY_FAILED', `registry ${this.transport.registry}: tag ${referrersTag(digest)} is a ${index.mediaType || 'manifest of no type'}, not the OCI index the referrers tag schema requires`);
    return { source: 'referrers-tag', descriptors: descriptorsOf(index.json) };
  }

  /** Uploads a blob unless the registry has it (monolithic POST + PUT); returns its digest. */
  async uploadBlob(bytes: Uint8Array): Promise<string> {
    const digest = sha256(bytes);
    const head = await this.transport.request(`blobs/${digest}`, { method: 'HEAD', maxBytes: 0, actions: 'pull,push' });
    if (head.status === 200) return digest;
    const start = await this.transport.request('blobs/uploads/', { method: 'POST', maxBytes: MAX_MANIFEST_BYTES, actions: 'pull,push' });
    if (start.status !== 202) this.transport.fail('starting a blob upload', start);
    const location = start.headers.get('location');
    if (location === null) throw new ProvenantError('REGISTRY_FAILED', `registry ${this.transport.registry}: blob upload started without a Location`);
    const target = new URL(location, this.transport.origin);
    target.searchParams.set('digest', digest);
    const put = await this.transport.requestUrl(target.href, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      maxBytes: MAX_MANIFEST_BYTES,
      actions: 'pull,push',
    });
    if (put.status !== 201) this.transport.fail(`uploading blob ${digest}`, put);
    return digest;
  }

  /** PUTs a manifest under `reference` (a tag, or its own digest); returns the digest of the bytes. */
  async putManifest(reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const response = await this.transport.request(`manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: bytes,
      maxBytes: MAX_MANIFEST_BYTES,
      actions: 'pull,push',
    });
    if (response.status !== 201) this.transport.fail(`putting manifest ${reference}`, response);
    return sha256(bytes);
  }

  /** Deletes a manifest by digest (tests: an attestation removed from the registry). */
  async deleteManifest(digest: string): Promise<void> {
    requireDigest(digest);
    const response = await this.transport.request(`manifests/${digest}`, { method: 'DELETE', maxBytes: MAX_MANIFEST_BYTES, actions: 'delete' });
    if (response.status !== 202 && response.status !== 200) this.transport.fail(`deleting manifest ${digest}`, response);
  }
}

/** The referrers tag schema's tag for a digest: `sha256-<hex>`. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

/** cosign's legacy attestation tag for a digest: `sha256-<hex>.att`. */
export function cosignAttestationTag(digest: string): string {
  return `${referrersTag(digest)}.att`;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function requireDigest(digest: string): void {
  if (!DIGEST.test(digest)) throw new ProvenantError('DIGEST_INVALID', `not a sha256 digest: ${JSON.stringify(digest.slice(0, 100))}`);
}

function parseIndex(response: RegistryResponse, registry: string): ManifestJson {
  try {
    const json = JSON.parse(response.body.toString('utf8')) as ManifestJson;
    if (json !== null && typeof json === 'object') return json;
  } catch {
    // fall through
  }
  throw new ProvenantError('REGISTRY_FAILED', `registry ${registry}: the referrers API answered something other than a JSON index`);
}

// Entries that are not well-formed descriptors are dropped: an index is unsigned input.
function descriptorsOf(index: ManifestJson): Descriptor[] {
  if (!Array.isArray(index.manifests)) return [];
  return index.manifests.filter((d): d is Descriptor => d !== null && typeof d === 'object' && typeof d.digest === 'string' && DIGEST.test(d.digest) && typeof d.mediaType === 'string');
}
