export { DOCKER_HUB, type ImageReference, formatImageReference, imageName, parseImageReference, withDigest } from './image-reference.ts';
export { type DockerConfigSource, type RegistryCredentials, canonicalRegistry, dockerCredentials } from './docker-config.ts';
export { DEFAULT_REGISTRY_TIMEOUT_MS, type RegistryExchange, type RegistryOptions, RegistryTransport } from './registry-transport.ts';
export {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  type Descriptor,
  type FetchedManifest,
  MAX_MANIFEST_BYTES,
  type ManifestJson,
  OCI_INDEX,
  OCI_MANIFEST,
  RegistryClient,
  type ReferrersSource,
  cosignAttestationTag,
  referrersTag,
  sha256,
} from './registry-client.ts';
export { type ImageSubject, type ResolvedImage, clientFor, imageSubjects, resolveImage } from './resolve-image.ts';
export { type AttestationSource, type DiscoveredAttestation, type DiscoveryProblem, MAX_REFERRERS, discoverAttestations } from './discover-attestations.ts';
export { DSSE_LAYER_MEDIA_TYPE, legacyLayerToAttestation } from './cosign-legacy.ts';
export { type AttachResult, BUNDLE_V03_ARTIFACT_TYPE, attachBundle } from './attach-bundle.ts';
export { type ImageContent, pushImage } from './push-image.ts';
