import type { Collector } from '../context.ts';
import { detectContainer } from './container.ts';
import { compareCodeUnits, DEFAULT_ENV_ALLOWLIST, selectEnvVariables } from './env-variables.ts';
import { npmVersionFromInstall } from './npm-version.ts';
import { NODE_PROBE, NPM_PROBE, probeVersion, TOOLCHAIN_PROBES } from './toolchain-versions.ts';

/** The machine and tools a build ran with. */
export interface EnvironmentFacts {
  /** process.platform style: `linux`, `darwin`, `win32`. */
  os: string;
  /** process.arch style: `x64`, `arm64`. */
  arch: string;
  /** Kernel release (os.release()). */
  kernel: string;
  /** `node` on PATH, e.g. `24.1.0`. */
  node?: string;
  /** `npm` on PATH, e.g. `11.3.0`. */
  npm?: string;
  /** Compilers and runtimes found on PATH (gcc, clang, go, rustc, java, python), keys sorted. */
  toolchains: Record<string, string>;
  container?: { runtime: string; image?: string };
  /** Allowlisted, non-secret environment variables, keys sorted. */
  variables: Record<string, string>;
  /** Allowlisted variables withheld as (possibly) secret: names only, sorted. */
  redactedVariables: string[];
}

/** Options of environmentCollector. */
export interface EnvironmentCollectorOptions {
  /**
   * Names of variables to record; entries ending in `*` are prefixes. Replaces DEFAULT_ENV_ALLOWLIST;
   * to extend it, pass `[...DEFAULT_ENV_ALLOWLIST, 'MY_*']`. Secret-looking variables are redacted
   * whatever the list says.
   */
  allowlist?: readonly string[];
}

/**
 * Records OS, architecture, kernel, the node/npm and toolchain versions on PATH (all probed
 * concurrently, each with a short timeout; missing tools are simply absent), the container if any,
 * and allowlisted environment variables. It always applies.
 */
export function environmentCollector(options: EnvironmentCollectorOptions = {}): Collector<EnvironmentFacts> {
  const allowlist = options.allowlist ?? DEFAULT_ENV_ALLOWLIST;
  return {
    name: 'environment',
    detect: () => true,
    async collect(ctx) {
      // Two probes at a time: a JVM or a pyenv shim starting up is CPU-hungry, and when a large
      // artifact is being hashed on the other core, a burst of them would slow the hashing down.
      const probe = limitConcurrency(2);
      const [node, npm, toolchainVersions, container] = await Promise.all([
        probe(() => probeVersion(ctx, NODE_PROBE)),
        npmVersionFromInstall(ctx).then((v) => v ?? probe(() => probeVersion(ctx, NPM_PROBE))),
        Promise.all(TOOLCHAIN_PROBES.map(async (p) => [p.name, await probe(() => probeVersion(ctx, p))] as const)),
        detectContainer(ctx),
      ]);

      const toolchains: Record<string, string> = {};
      const found = toolchainVersions.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
      for (const [name, version] of [...found].sort(([a], [b]) => compareCodeUnits(a, b))) toolchains[name] = version;

      // Optional keys are left out rather than set to undefined, so serialisation has one shape.
      return {
        os: ctx.platform.os,
        arch: ctx.platform.arch,
        kernel: ctx.platform.release,
        ...(node === undefined ? {} : { node }),
        ...(npm === undefined ? {} : { npm }),
        toolchains,
        ...(container === undefined ? {} : { container }),
        ...selectEnvVariables(ctx.env, allowlist),
      };
    },
  };
}

/** Runs at most `limit` of the given tasks at once, in the order they were handed in. */
function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
