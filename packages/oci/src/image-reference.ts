import { ProvenantError } from '@provenant/core/verification';

/**
 * An image reference split into its parts, with Docker's defaults applied (a bare `alpine` is
 * `docker.io/library/alpine:latest`), as docker, cosign and oras read them.
 */
export interface ImageReference {
  /** Registry host[:port], as written (`docker.io` for Docker Hub). */
  registry: string;
  /** Repository path inside the registry, e.g. `library/alpine`. */
  repository: string;
  tag?: string;
  /** `sha256:<hex>` when the reference pins a digest. */
  digest?: string;
}

// The grammar of github.com/distribution/reference (reference.go), written out because no
// maintained npm package parses it; @sigstore/oci's parser is internal and takes no tag or digest.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = `${COMPONENT}(?:/${COMPONENT})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const REFERENCE = new RegExp(`^(?:(${HOST})/)?(${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const MAX_REFERENCE_LENGTH = 4096;

/**
 * Parses `[oci://]registry/repo[:tag][@sha256:hex]`. The first path component is a registry when
 * it has a dot or a port, or is `localhost`, as in Docker; otherwise the image is on Docker Hub.
 * Only sha256 digests are accepted: it is the one algorithm every registry supports and the
 * one subjects are recorded with. Throws IMAGE_REFERENCE_INVALID.
 */
export function parseImageReference(text: string): ImageReference {
  const raw = text.startsWith('oci://') ? text.slice('oci://'.length) : text;
  const shown = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  if (raw.length === 0 || raw.length > MAX_REFERENCE_LENGTH) throw invalid(shown, 'empty or too long');
  const match = REFERENCE.exec(raw);
  if (match === null) {
    const hint = /@sha256:/.test(raw) ? ' (a digest is sha256: and 64 lowercase hex digits)' : /[A-Z]/.test(raw.split('/').slice(1).join('/')) ? ' (repository names are lowercase)' : '';
    throw invalid(shown, `expected [oci://]REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST]${hint}`);
  }
  const [, first, rest, tag, digest] = match;
  let registry: string;
  let repository: string;
  if (first !== undefined && isRegistryHost(first)) {
    // distribution's normalisation folds the legacy Docker Hub name into docker.io (and so adds `library/`).
    registry = first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first;
    repository = rest!;
  } else {
    // `library/x` or `owner/x` on Docker Hub: the "host" was really the first path component.
    if (first !== undefined && !new RegExp(`^${COMPONENT}$`).test(first)) throw invalid(shown, `${first} is neither a registry host nor a repository name`);
    registry = DOCKER_HUB;
    repository = first === undefined ? rest! : `${first}/${rest}`;
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  const out: ImageReference = { registry, repository };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  if (tag === undefined && digest === undefined) out.tag = 'latest';
  return out;
}

/** `registry/repository`, the name an image subject is recorded under (as cosign and GitHub do). */
export function imageName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The reference written back out: `registry/repository[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${imageName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The same image pinned to `digest`, without its tag. */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  return { registry: ref.registry, repository: ref.repository, digest };
}

function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.startsWith('[');
}

function invalid(shown: string, why: string): ProvenantError {
  return new ProvenantError('IMAGE_REFERENCE_INVALID', `image reference ${shown}: ${why}`);
}
