import { createRequire } from 'node:module';
import type * as NobleNist from '@noble/curves/nist.js';
import type * as Core from '@provenant/core';
import type * as DependencyPolicy from './dependencies/dependency-policy.ts';
import type * as PackageUrl from 'packageurl-js';
import type picomatchModule from 'picomatch';
import type semverModule from 'semver';

// Loaded on first use, synchronously, so that the checks stay synchronous (semver, packageurl-js
// and picomatch are CommonJS; @noble/curves is ESM, which require() loads since Node 22.12). A
// verification whose policy has no dependency rules, version ranges or ref patterns, and that
// meets no digest-only signature, never loads them: ~80 modules fewer for every batch worker
// thread to load before it can start (see sigstore-modules.ts for @sigstore/*).
const load = createRequire(import.meta.url);
// Kept once loaded: they are called per dependency, and require() resolves its argument each time.
const loaded: { core?: typeof Core; dependencyPolicy?: typeof DependencyPolicy; semver?: typeof semverModule; packageUrl?: typeof PackageUrl; picomatch?: typeof picomatchModule; nobleNist?: typeof NobleNist } = {};

/** semver: dependency version ranges and order, versioned tags. */
export function semver(): typeof semverModule {
  loaded.semver ??= load('semver') as typeof semverModule;
  return loaded.semver;
}

/** packageurl-js: reading a dependency's purl. */
export function packageUrl(): typeof PackageUrl {
  loaded.packageUrl ??= load('packageurl-js') as typeof PackageUrl;
  return loaded.packageUrl;
}

/** picomatch: ref patterns (`refs/tags/v*`). */
export function picomatch(): typeof picomatchModule {
  loaded.picomatch ??= load('picomatch') as typeof picomatchModule;
  return loaded.picomatch;
}

/** @noble/curves' NIST curves: ECDSA over a bare digest, which node:crypto cannot verify. */
export function nobleNist(): typeof NobleNist {
  loaded.nobleNist ??= load('@noble/curves/nist.js') as typeof NobleNist;
  return loaded.nobleNist;
}

/**
 * @provenant/core's full entry, for its zod schemas: needed only for a statement the hand-written
 * checks of view/quick-schemas.ts leave to zod (a v0.1 statement, a v0.2 predicate, an invalid one).
 */
export function coreSchemas(): typeof Core {
  loaded.core ??= load('@provenant/core') as typeof Core;
  return loaded.core;
}

// This module's own extension: .ts when run from source (tests), .js from dist.
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** dependencies/dependency-policy (zod): checking a policy's `dependencies` section. */
export function dependencyPolicyModule(): typeof DependencyPolicy {
  loaded.dependencyPolicy ??= load(`./dependencies/dependency-policy${OWN_EXTENSION}`) as typeof DependencyPolicy;
  return loaded.dependencyPolicy;
}
