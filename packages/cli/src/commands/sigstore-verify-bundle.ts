import { stat } from 'node:fs/promises';
import { ProvenantError, parseDigestRef } from '@provenant/core';
import { createTrust, verifySigstore } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type IdentityFlags, identityFromFlags } from './sigstore-identity.ts';
import { readText, readTrustedRoots } from '../verify-options.ts';

interface VerifyBundleFlags extends IdentityFlags {
  bundle: string;
  key?: string;
  staging?: boolean;
}

/**
 * `provenant sigstore verify-bundle`: the Sigstore conformance client protocol
 * (sigstore/sigstore-conformance). Exit 0 verified, 1 rejected, 2 unusable input; prints PASSED or
 * FAILED with the findings. Key-signed bundles are verified like keyless ones: against the trusted
 * root's logs and timestamp authorities.
 */
export async function run(fileOrDigest: string, flags: VerifyBundleFlags, _cmd: unknown, io: Io): Promise<number> {
  const identity = identityFromFlags(flags);
  if ((identity === undefined) === (flags.key === undefined)) {
    throw new ProvenantError('USAGE', 'verify-bundle needs either --certificate-identity with --certificate-oidc-issuer, or --key');
  }
  if (flags.staging && flags.trustedRoot.length === 0) {
    // Only the production root ships offline (@sigstore/tuf's seed); staging's would need the network.
    throw new ProvenantError('USAGE', '--staging: no staging trusted root is available offline; pass it with --trusted-root');
  }
  const trustedRoots = await readTrustedRoots(flags.trustedRoot);
  const trust = createTrust({
    publicKeys: flags.key === undefined ? [] : [await readText(flags.key, 'key')],
    identities: identity === undefined ? [] : [identity],
    trustedRoots: trustedRoots.length > 0 ? trustedRoots : ['public-good'],
    keyVerification: 'sigstore',
  });
  const artifact = (await isDigestArgument(fileOrDigest)) ? { digest: fileOrDigest } : { path: fileOrDigest };
  const result = await verifySigstore({ artifact, bundle: { path: flags.bundle }, trust });
  io.stdout(result.ok ? 'PASSED\n' : `FAILED\n${result.findings.map((f) => `  ${f.code}: ${f.message}${f.path ? ` (at ${f.path})` : ''}\n`).join('')}`);
  return result.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

/** The protocol's rule: a digest starts with `sha256:`, is 71 characters long and is not an existing file. */
async function isDigestArgument(arg: string): Promise<boolean> {
  if (!arg.startsWith('sha256:') || arg.length !== 71) return false;
  const exists = await stat(arg).then(
    () => true,
    () => false,
  );
  if (exists) return false;
  if (!parseDigestRef(arg)) throw new ProvenantError('DIGEST_INVALID', `${arg} is not sha256:<64 hex digits>`);
  return true;
}
