import { ProvenantError } from '@provenant/core/verification';
import { dockerCredentials } from './docker-config.ts';
import { type ImageReference, formatImageReference, imageName } from './image-reference.ts';
import { DOCKER_MANIFEST_LIST, type FetchedManifest, OCI_INDEX, RegistryClient } from './registry-client.ts';
import type { RegistryOptions } from './registry-transport.ts';

/** An image pinned to a digest, and how that digest was obtained. */
export interface ResolvedImage {
  reference: ImageReference;
  /** `sha256:<hex>` of the manifest or index bytes. */
  digest: string;
  /** The tag that was resolved, once, to `digest`; absent when the reference gave the digest. */
  resolvedTag?: string;
}

/** One image subject: the name cosign and GitHub record (`registry/repository`) and a manifest digest. */
export interface ImageSubject {
  name: string;
  digest: string;
  /** `os/architecture[/variant]` for a platform manifest of an index. */
  platform?: string;
}

/** A client for the reference's repository, with the Docker config's credentials unless some are given. */
export async function clientFor(ref: ImageReference, options: RegistryOptions = {}): Promise<RegistryClient> {
  const credentials = options.credentials ?? (await dockerCredentials(ref.registry));
  return new RegistryClient(ref.registry, ref.repository, credentials === undefined ? options : { ...options, credentials });
}

/**
 * Pins a reference to a digest. A digest reference is taken as is (no request); a tag is
 * resolved once by reading its manifest and hashing the bytes — the Docker-Content-Digest
 * header is not trusted. IMAGE_NOT_FOUND when the registry has no such tag.
 */
export async function resolveImage(ref: ImageReference, client: RegistryClient): Promise<{ image: ResolvedImage; manifest?: FetchedManifest }> {
  if (ref.digest !== undefined) return { image: { reference: ref, digest: ref.digest } };
  const manifest = await client.getManifest(ref.tag!);
  if (manifest === undefined) throw new ProvenantError('IMAGE_NOT_FOUND', `image ${formatImageReference(ref)} not found in the registry`);
  return { image: { reference: ref, digest: manifest.digest, resolvedTag: ref.tag! }, manifest };
}

/**
 * The subjects to attest for an image: its manifest (or index) digest and, with `platforms`,
 * the digest of each platform manifest an index lists (entries without a real platform, such as
 * BuildKit's `unknown/unknown` attestation manifests, are skipped). Reads the index only when
 * platforms are asked for.
 */
export async function imageSubjects(ref: ImageReference, client: RegistryClient, platforms: boolean): Promise<{ image: ResolvedImage; subjects: ImageSubject[] }> {
  const resolved = await resolveImage(ref, client);
  const name = imageName(ref);
  const subjects: ImageSubject[] = [{ name, digest: resolved.image.digest }];
  if (!platforms) return { image: resolved.image, subjects };
  const manifest = resolved.manifest ?? (await client.getManifest(resolved.image.digest));
  if (manifest === undefined) throw new ProvenantError('IMAGE_NOT_FOUND', `image ${formatImageReference(ref)} not found in the registry`);
  if (manifest.digest !== resolved.image.digest) throw new ProvenantError('REGISTRY_FAILED', `registry ${ref.registry}: manifest ${resolved.image.digest} was served as bytes with digest ${manifest.digest}`);
  if (manifest.mediaType !== OCI_INDEX && manifest.mediaType !== DOCKER_MANIFEST_LIST) {
    throw new ProvenantError('USAGE', `--subject-image-platforms: ${formatImageReference(ref)} is a single-platform image (${manifest.mediaType}), not an index`);
  }
  for (const entry of manifest.json.manifests ?? []) {
    const os = entry?.platform?.os;
    const arch = entry?.platform?.architecture;
    if (typeof entry?.digest !== 'string' || typeof os !== 'string' || typeof arch !== 'string' || os === 'unknown' || arch === 'unknown') continue;
    const platform = `${os}/${arch}${entry.platform?.variant ? `/${entry.platform.variant}` : ''}`;
    subjects.push({ name, digest: entry.digest, platform });
  }
  return { image: resolved.image, subjects };
}
