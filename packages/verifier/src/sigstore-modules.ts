import { createRequire } from 'node:module';
import type * as SigstoreCore from '@sigstore/core';
import type * as SigstoreVerify from '@sigstore/verify';

// Loaded on first use (both are CommonJS, so a synchronous require keeps the core synchronous):
// a key-only verification, the common `provenant verify --key`, starts ~20 ms faster without them.
const load = createRequire(import.meta.url);

/** @sigstore/core (X.509 and RFC 3161 parsing), loaded when a certificate or trusted root is first read. */
export function sigstoreCore(): typeof SigstoreCore {
  return load('@sigstore/core') as typeof SigstoreCore;
}

/** @sigstore/verify (the Verifier), loaded on the first Sigstore verification. */
export function sigstoreVerify(): typeof SigstoreVerify {
  return load('@sigstore/verify') as typeof SigstoreVerify;
}
