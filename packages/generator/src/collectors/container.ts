import type { CollectorContext } from '../context.ts';
import { looksLikeSecret } from './secrets.ts';

/** The container a build ran in, as far as it can tell from the inside. */
export interface ContainerFacts {
  /** `podman`, `docker`, `kubernetes` or `containerd`. */
  runtime: string;
  /** Image reference, when the runtime or the CI platform states it. */
  image?: string;
}

/** Podman writes `key="value"` lines to /run/.containerenv; `image=` is the image reference. */
export function parseContainerenvImage(text: string): string | undefined {
  const image = /^image="([^"\n]*)"\s*$/m.exec(text)?.[1];
  return image === '' ? undefined : image;
}

/**
 * Reads the runtime from /proc/1/cgroup (cgroup v1 paths such as `/kubepods/...`, `/docker/<id>`).
 * Kubernetes is checked first because a pod on a docker or containerd node mentions both. Under
 * cgroup v2 with a cgroup namespace the file is just `0::/`, and this finds nothing.
 */
export function runtimeFromCgroup(text: string): string | undefined {
  if (/kubepods/.test(text)) return 'kubernetes';
  if (/docker/.test(text)) return 'docker';
  if (/containerd/.test(text)) return 'containerd';
  return undefined;
}

async function exists(ctx: CollectorContext, path: string): Promise<boolean> {
  try {
    await ctx.fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(ctx: CollectorContext, path: string): Promise<string | undefined> {
  try {
    return (await ctx.fs.readFile(path)).toString('utf8');
  } catch {
    return undefined;
  }
}

async function detectRuntime(ctx: CollectorContext): Promise<{ runtime: string; image?: string } | undefined> {
  const containerenv = await readText(ctx, '/run/.containerenv');
  if (containerenv !== undefined) {
    const image = parseContainerenvImage(containerenv);
    return image === undefined ? { runtime: 'podman' } : { runtime: 'podman', image };
  }
  if (await exists(ctx, '/.dockerenv')) return { runtime: 'docker' };
  if (ctx.env.KUBERNETES_SERVICE_HOST) return { runtime: 'kubernetes' };
  const cgroup = await readText(ctx, '/proc/1/cgroup');
  const runtime = cgroup === undefined ? undefined : runtimeFromCgroup(cgroup);
  return runtime === undefined ? undefined : { runtime };
}

/**
 * Detects whether the build runs in a container, in this order: /run/.containerenv (podman, with its
 * image), /.dockerenv (docker), KUBERNETES_SERVICE_HOST (a Kubernetes pod), /proc/1/cgroup.
 * The image falls back to what the CI platform reports (GitLab's CI_JOB_IMAGE; GitHub Actions has no
 * such variable). It is only attached when a container was detected, because GitLab also sets
 * CI_JOB_IMAGE for shell executors that ignore the image. An image reference that looks like it
 * carries a credential is dropped.
 */
export async function detectContainer(ctx: CollectorContext): Promise<ContainerFacts | undefined> {
  const detected = await detectRuntime(ctx);
  if (!detected) return undefined;
  const image = detected.image ?? (ctx.env.CI_JOB_IMAGE || undefined);
  if (image === undefined || looksLikeSecret(image)) return { runtime: detected.runtime };
  return { runtime: detected.runtime, image };
}
