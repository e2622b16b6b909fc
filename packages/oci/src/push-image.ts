import type { RegistryClient } from './registry-client.ts';

/** An image held in memory as OCI content: blobs (layers, configs) and manifests, `top` the one to tag. */
export interface ImageContent {
  blobs: readonly { digest: string; bytes: Uint8Array }[];
  /** Platform manifests of an index, pushed by digest before the index. */
  manifests: readonly { digest: string; mediaType: string; bytes: Uint8Array }[];
  top: { digest: string; mediaType: string; bytes: Uint8Array };
}

/**
 * Pushes an image: blobs first (skipping those the registry has), then the manifests an index
 * lists, then the top manifest under `tag`. Returns the top digest. Used by the tests to build
 * images without a Docker engine, and by tools that assemble images themselves.
 */
export async function pushImage(client: RegistryClient, image: ImageContent, tag: string): Promise<string> {
  for (const blob of image.blobs) await client.uploadBlob(blob.bytes);
  for (const m of image.manifests) if (m.digest !== image.top.digest) await client.putManifest(m.digest, m.bytes, m.mediaType);
  return client.putManifest(tag, image.top.bytes, image.top.mediaType);
}
