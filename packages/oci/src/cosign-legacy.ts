import { X509Certificate } from 'node:crypto';
import { ProvenantError } from '@provenant/core/verification';

/** cosign's legacy layout: one layer per attestation, a DSSE envelope with its evidence in annotations. */
export const DSSE_LAYER_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const CERTIFICATE = 'dev.sigstore.cosign/certificate';
const CHAIN = 'dev.sigstore.cosign/chain';
const REKOR_BUNDLE = 'dev.sigstore.cosign/bundle';
const RFC3161 = 'dev.sigstore.cosign/rfc3161timestamp';

/**
 * Rewrites one layer of a legacy cosign `.att` manifest (cosign before v3: tag `sha256-<hex>.att`,
 * layers `application/vnd.dsse.envelope.v1+json`) as what provenant reads: a Sigstore bundle
 * when the layer carries a certificate — v0.1 with the certificate chain and the Rekor entry
 * with its signed entry timestamp (cosign's "bundle" annotation: SignedEntryTimestamp and the
 * entry's body, integrated time, index and log id), v0.3 when it has no log entry — and the bare
 * DSSE envelope when it does not (cosign attest --key). Nothing here is trusted: the result is
 * verified like any bundle, so a forged annotation fails there. Throws BUNDLE_MALFORMED.
 */
export function legacyLayerToAttestation(envelopeBytes: Uint8Array, annotations: Record<string, string> = {}): string {
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(envelopeBytes).toString('utf8'));
  } catch {
    throw malformed('its DSSE layer is not JSON');
  }
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw malformed('its DSSE layer is not a JSON object');
  const certificatePem = annotations[CERTIFICATE];
  if (certificatePem === undefined || certificatePem === '') return JSON.stringify(envelope);
  const chain = [certificatePem, ...splitPem(annotations[CHAIN] ?? '')].map(toDerBase64);
  const env = envelope as { payload?: unknown; payloadType?: unknown; signatures?: { sig?: unknown; keyid?: unknown }[] };
  const dsseEnvelope = {
    payload: env.payload,
    payloadType: env.payloadType,
    signatures: Array.isArray(env.signatures) ? env.signatures.map((s) => ({ sig: s?.sig, keyid: typeof s?.keyid === 'string' ? s.keyid : '' })) : [],
  };
  const timestamps = rfc3161Timestamps(annotations[RFC3161]);
  const rekor = annotations[REKOR_BUNDLE];
  const verificationMaterial: Record<string, unknown> = {};
  if (rekor !== undefined && rekor !== '') {
    verificationMaterial.x509CertificateChain = { certificates: chain.map((rawBytes) => ({ rawBytes })) };
    verificationMaterial.tlogEntries = [tlogEntry(rekor)];
  } else {
    verificationMaterial.certificate = { rawBytes: chain[0] };
    verificationMaterial.tlogEntries = [];
  }
  if (timestamps.length > 0) verificationMaterial.timestampVerificationData = { rfc3161Timestamps: timestamps.map((signedTimestamp) => ({ signedTimestamp })) };
  const mediaType = rekor !== undefined && rekor !== '' ? 'application/vnd.dev.sigstore.bundle+json;version=0.1' : 'application/vnd.dev.sigstore.bundle.v0.3+json';
  return JSON.stringify({ mediaType, verificationMaterial, dsseEnvelope });
}

/** cosign's `bundle` annotation as a bundle tlog entry with an inclusion promise. */
function tlogEntry(text: string): Record<string, unknown> {
  let rekor: { SignedEntryTimestamp?: unknown; Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown } };
  try {
    rekor = JSON.parse(text);
  } catch {
    throw malformed('its Rekor bundle annotation is not JSON');
  }
  const payload = rekor?.Payload;
  if (typeof rekor?.SignedEntryTimestamp !== 'string' || typeof payload?.body !== 'string' || typeof payload.logID !== 'string' || !/^[0-9a-f]{64}$/.test(payload.logID)) {
    throw malformed('its Rekor bundle annotation lacks SignedEntryTimestamp, body or a hex logID');
  }
  if (!Number.isSafeInteger(payload.integratedTime) || !Number.isSafeInteger(payload.logIndex)) throw malformed('its Rekor bundle annotation has no integer integratedTime and logIndex');
  let kind: unknown;
  let version: unknown;
  try {
    const body = JSON.parse(Buffer.from(payload.body, 'base64').toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
    kind = body.kind;
    version = body.apiVersion;
  } catch {
    throw malformed('its Rekor entry body is not base64 JSON');
  }
  if (typeof kind !== 'string' || typeof version !== 'string') throw malformed('its Rekor entry body names no kind and apiVersion');
  return {
    logIndex: String(payload.logIndex),
    logId: { keyId: Buffer.from(payload.logID, 'hex').toString('base64') },
    kindVersion: { kind, version },
    integratedTime: String(payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    canonicalizedBody: payload.body,
  };
}

function rfc3161Timestamps(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  try {
    const parsed = JSON.parse(text) as { SignedRFC3161Timestamp?: unknown };
    if (typeof parsed.SignedRFC3161Timestamp === 'string') return [parsed.SignedRFC3161Timestamp];
  } catch {
    // reported below
  }
  throw malformed('its RFC 3161 timestamp annotation is malformed');
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function toDerBase64(pem: string): string {
  try {
    return new X509Certificate(pem).raw.toString('base64');
  } catch {
    throw malformed('its certificate annotation is not a PEM certificate');
  }
}

function malformed(why: string): ProvenantError {
  return new ProvenantError('BUNDLE_MALFORMED', `legacy cosign attestation: ${why}`);
}
