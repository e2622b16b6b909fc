import { createHash } from 'node:crypto';

/** OCI image manifest media type. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index media type. */
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** OCI image config media type. */
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
/** Uncompressed OCI layer media type (the test layers are plain tars, so diff_id = digest). */
export const OCI_LAYER_TAR_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';

/** A content-addressed blob: `digest` is `sha256:<hex>` of exactly `bytes`. */
export interface TestBlob {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface TestPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An image manifest; `platform` is set when it is listed in an index. */
export interface TestManifest extends TestBlob {
  platform?: TestPlatform;
}

export interface TestImage {
  /** Every config and layer blob, each once (the base layer is shared across platforms). Push these first. */
  blobs: TestBlob[];
  /** The image manifests, one per platform. Push them (by digest) before `top`. */
  manifests: TestManifest[];
  /** What a tag points at: the index (with `platforms`) or the single manifest (then `top === manifests[0]`). */
  top: TestBlob;
}

export interface TestImageOptions {
  /** Everything is derived from this: the same seed gives byte-identical blobs and manifests. Default `'provenant'`. */
  seed?: string;
  /** Layers per image manifest, at least 1. Default 2. Layer 0 is the same for every platform. */
  layers?: number;
  /**
   * `os/architecture[/variant]` strings, e.g. `['linux/amd64', 'linux/arm64/v8']`: build one
   * manifest per platform and an OCI image index over them (even for a single entry). Without it:
   * one `linux/amd64` manifest and no index.
   */
  platforms?: string[];
}

const encoder = new TextEncoder();

function blob(mediaType: string, bytes: Uint8Array): TestBlob {
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, mediaType, bytes };
}

function jsonBlob(mediaType: string, value: unknown): TestBlob {
  return blob(mediaType, encoder.encode(JSON.stringify(value)));
}

/** Pseudo-random bytes from a label: SHA-256 in counter mode, so stable across runs and platforms. */
function seededBytes(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0; block * 32 < length; block++) {
    const digest = createHash('sha256').update(`${label}\0${block}`).digest();
    out.set(digest.subarray(0, Math.min(32, length - block * 32)), block * 32);
  }
  return out;
}

/** A one-file ustar archive with fixed metadata (mtime 0, root-owned), so its bytes depend only on the input. */
function tarOf(name: string, content: Uint8Array): Uint8Array {
  const header = new Uint8Array(512);
  const put = (offset: number, text: string): void => {
    header.set(encoder.encode(text), offset);
  };
  const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, '0')}\0`;
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(content.length, 12));
  put(136, octal(0, 12));
  put(148, '        ');
  put(156, '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(265, 'root');
  put(297, 'root');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  put(148, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padded = Math.ceil(content.length / 512) * 512;
  // Header, content padded to a record, then the two zero records that end an archive.
  const tar = new Uint8Array(512 + padded + 1024);
  tar.set(header, 0);
  tar.set(content, 512);
  return tar;
}

function parsePlatform(text: string): TestPlatform {
  const [os, architecture, variant, ...rest] = text.split('/');
  if (!os || !architecture || rest.length > 0 || variant === '') {
    throw new RangeError(`buildTestImage: platform ${JSON.stringify(text)} is not os/architecture[/variant]`);
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function layer(seed: string, label: string): TestBlob {
  const sizeByte = seededBytes(`${seed}\0${label}\0size`, 1)[0] ?? 0;
  const content = seededBytes(`${seed}\0${label}`, 300 + sizeByte * 8);
  return blob(OCI_LAYER_TAR_MEDIA_TYPE, tarOf(`${label.replaceAll('/', '-')}.bin`, content));
}

/**
 * Builds a small OCI image in memory, deterministic for its seed: uncompressed tar layers of
 * seeded random bytes, an image config, an image manifest per platform and, with `platforms`,
 * an image index. Nothing touches the disk or the network.
 */
export function buildTestImage(options: TestImageOptions = {}): TestImage {
  const seed = options.seed ?? 'provenant';
  const layerCount = options.layers ?? 2;
  if (!Number.isInteger(layerCount) || layerCount < 1) throw new RangeError('buildTestImage: layers must be an integer >= 1');
  const platforms = (options.platforms ?? ['linux/amd64']).map(parsePlatform);
  if (new Set(platforms.map((p) => JSON.stringify(p))).size !== platforms.length) {
    throw new RangeError('buildTestImage: platforms must be distinct');
  }
  if (platforms.length === 0) throw new RangeError('buildTestImage: platforms must not be empty');

  const blobs = new Map<string, TestBlob>();
  const manifests: TestManifest[] = [];
  for (const platform of platforms) {
    const name = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
    const layers = Array.from({ length: layerCount }, (_, i) => layer(seed, i === 0 ? 'base' : `${name}/layer-${i}`));
    const config = jsonBlob(OCI_CONFIG_MEDIA_TYPE, {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant === undefined ? {} : { variant: platform.variant }),
      config: { Labels: { 'dev.provenant.testkit.seed': seed } },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    });
    for (const b of [config, ...layers]) blobs.set(b.digest, b);
    const descriptor = (b: TestBlob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.bytes.length });
    const manifest = jsonBlob(OCI_MANIFEST_MEDIA_TYPE, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: descriptor(config),
      layers: layers.map(descriptor),
    });
    manifests.push(options.platforms ? { ...manifest, platform } : manifest);
  }

  const top = options.platforms
    ? jsonBlob(OCI_INDEX_MEDIA_TYPE, {
        schemaVersion: 2,
        mediaType: OCI_INDEX_MEDIA_TYPE,
        manifests: manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.bytes.length, platform: m.platform })),
      })
    : manifests[0]!;
  return { blobs: [...blobs.values()], manifests, top };
}
