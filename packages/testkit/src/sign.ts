import { INTOTO_PAYLOAD_TYPE } from '@provenant/core';
import { type SerializedBundle, bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import type { SigstoreStack } from './stack.ts';

export interface SignKeylessOptions {
  /** OIDC token for Fulcio, normally from `stack.identityToken(...)`. */
  identityToken: string;
  /** Log the signature in Rekor (default true). */
  rekor?: boolean;
  /** Get an RFC 3161 timestamp from the TSA (default true). */
  tsa?: boolean;
  /** Rekor API to use when `rekor` is on (default: `stack.rekorVersion`). v2 entries carry no timestamp: keep `tsa` on. */
  rekorVersion?: 1 | 2;
  /** Rekor v1 entry kind (default 'dsse'; 'intoto' is the legacy kind). */
  rekorEntryType?: 'dsse' | 'intoto';
  /** DSSE payload type (default in-toto: application/vnd.in-toto+json). */
  payloadType?: string;
  /** Put the whole certificate chain in the bundle (a v0.2 bundle) instead of the leaf (v0.3). */
  certificateChain?: boolean;
  /** Retries per request on 5xx/network errors (default 0, so failures are fast). */
  retry?: number;
  /** Per-request timeout in ms (default 5000). */
  timeout?: number;
}

type StackEndpoints = Pick<SigstoreStack, 'fulcioURL' | 'rekorURL' | 'rekorV2URL' | 'tsaURL' | 'rekorVersion'>;

/**
 * Signs `payload` keyless into a DSSE Sigstore bundle with @sigstore/sign, against the stack:
 * an ephemeral P-256 key, a Fulcio certificate for the token's identity, then (by default) a
 * Rekor entry and a TSA timestamp. Errors from @sigstore/sign propagate (an `InternalError` with
 * `code` such as CA_CREATE_SIGNING_CERTIFICATE_ERROR, TLOG_CREATE_ENTRY_ERROR, TSA_CREATE_TIMESTAMP_ERROR).
 */
export async function signKeyless(stack: StackEndpoints, payload: Uint8Array, opts: SignKeylessOptions): Promise<SerializedBundle> {
  const fetchOptions = { retry: opts.retry ?? 0, timeout: opts.timeout ?? 5000 };
  const token = opts.identityToken;
  const signer = new FulcioSigner({
    fulcioBaseURL: stack.fulcioURL,
    identityProvider: { getToken: async () => token },
    ...fetchOptions,
  });
  const witnesses: Witness[] = [];
  if (opts.rekor ?? true) {
    const version = opts.rekorVersion ?? stack.rekorVersion;
    witnesses.push(
      new RekorWitness({
        rekorBaseURL: version === 2 ? stack.rekorV2URL : stack.rekorURL,
        majorApiVersion: version,
        entryType: opts.rekorEntryType ?? 'dsse',
        ...fetchOptions,
      }),
    );
  }
  if (opts.tsa ?? true) {
    witnesses.push(new TSAWitness({ tsaBaseURL: stack.tsaURL, ...fetchOptions }));
  }
  const builder = new DSSEBundleBuilder({ signer, witnesses, certificateChain: opts.certificateChain ?? false });
  const bundle = await builder.create({ data: Buffer.from(payload), type: opts.payloadType ?? INTOTO_PAYLOAD_TYPE });
  return bundleToJSON(bundle);
}
