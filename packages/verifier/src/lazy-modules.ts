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
// This module's own extension: .ts when run from source (tests), .js from dist.
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * A getter that requires `specifier` on its first call and keeps the module: the getters are called
 * per dependency, and require() resolves its argument each time.
 */
function lazy<T>(specifier: string): () => T {
  let module: T | undefined;
  return () => {
    module ??= load(specifier) as T;
    return module;
  };
}

/** semver: dependency version ranges and order, versioned tags. */
export const semver = lazy<typeof semverModule>('semver');

/** packageurl-js: reading a dependency's purl. */
export const packageUrl = lazy<typeof PackageUrl>('packageurl-js');

/** picomatch: ref patterns (`refs/tags/v*`). */
export const picomatch = lazy<typeof picomatchModule>('picomatch');

/** @noble/curves' NIST curves: ECDSA over a bare digest, which node:crypto cannot verify. */
export const nobleNist = lazy<typeof NobleNist>('@noble/curves/nist.js');

/**
 * @provenant/core's full entry, for its zod schemas: needed only for a statement the hand-written
 * checks of view/quick-schemas.ts leave to zod (a v0.1 statement, a v0.2 predicate, an invalid one).
 */
export const coreSchemas = lazy<typeof Core>('@provenant/core');

/** dependencies/dependency-policy (zod): checking a policy's `dependencies` section. */
export const dependencyPolicyModule = lazy<typeof DependencyPolicy>(`./dependencies/dependency-policy${OWN_EXTENSION}`);
