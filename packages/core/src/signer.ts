import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { bundleToJSON } from '@sigstore/bundle';
import type { Signature, Signer } from '@sigstore/sign';
import { INTOTO_PAYLOAD_TYPE, type DsseEnvelopeJson, pae } from './dsse.ts';
import { ProvenantError } from './errors.ts';
import { keyIdOf, signingHashOf } from './keys.ts';

/** A @sigstore/sign Signer that holds a private key (no certificate, no transparency log). */
export class KeySigner implements Signer {
  readonly keyId: string;
  readonly #key: KeyObject;
  readonly #publicKeyPem: string;

  constructor(privateKey: KeyObject) {
    signingHashOf(privateKey);
    this.#key = privateKey;
    this.#publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = keyIdOf(privateKey);
  }

  async sign(data: Buffer): Promise<Signature> {
    return {
      signature: sign(signingHashOf(this.#key), data, this.#key),
      key: { $case: 'publicKey', publicKey: this.#publicKeyPem, hint: this.keyId },
    };
  }
}

/**
 * Signs an in-toto statement (exact bytes, never re-serialised) into a Sigstore bundle v0.3
 * with a DSSE envelope, through @sigstore/sign's DSSE bundle builder.
 */
export async function signStatementToBundle(payload: Uint8Array, signer: Signer, payloadType = INTOTO_PAYLOAD_TYPE): Promise<Bundle> {
  try {
    // Loaded on first use: @sigstore/sign pulls in its HTTP stack, which key signing never needs
    // and which would otherwise slow every CLI start.
    const { DSSEBundleBuilder } = await import('@sigstore/sign');
    const builder = new DSSEBundleBuilder({ signer, witnesses: [] });
    return await builder.create({ data: Buffer.from(payload), type: payloadType });
  } catch (err) {
    throw new ProvenantError('SIGNING_FAILED', `signing failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Starts loading the signing library in the background, so that it is ready by the time a
 * statement is: call it before a long step (hashing a large artifact) on the way to signing.
 */
export function preloadSigning(): void {
  import('@sigstore/sign').catch(() => {
    // Reported properly by signStatementToBundle, which imports it again.
  });
}

/** A bundle as the JSON text that goes into a `.sigstore.json` file. */
export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundleToJSON(bundle))}\n`;
}

/** Signs a payload into a bare DSSE envelope (one line of an `.intoto.jsonl` file). */
export function signToEnvelope(payload: Uint8Array, privateKey: KeyObject, payloadType = INTOTO_PAYLOAD_TYPE): DsseEnvelopeJson {
  const sig = sign(signingHashOf(privateKey), pae(payloadType, payload), privateKey);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: keyIdOf(privateKey), sig: sig.toString('base64') }],
  };
}
