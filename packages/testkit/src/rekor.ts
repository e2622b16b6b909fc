import type { KeyObject } from 'node:crypto';
import { pae } from '@provenant/core';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { CreateEntryRequest, Entry } from '@sigstore/protobuf-specs/rekor/v2';
import { keyFrom, sha256, verifies } from './crypto-util.ts';

// The mock Rekor (@sigstore/mock) stores whatever entry it is given as the canonicalized body.
// Real Rekor does not: it verifies the request and stores a canonical form, and that form is
// what @sigstore/verify checks a bundle against. These functions produce the canonical bodies
// for the entry kinds @sigstore/sign submits, so that bundles from the stack verify.

function verifiesDsse(payloadType: string, payload: Buffer, sig: Buffer, key: KeyObject): boolean {
  return verifies(pae(payloadType, payload), sig, key);
}

/** A request Rekor refuses (answered 400, as real Rekor does). */
export class BadEntry extends Error {}

interface DsseEnvelopeJson {
  payloadType?: unknown;
  payload?: unknown;
  signatures?: Array<{ sig?: unknown; keyid?: unknown }>;
}

/**
 * Rekor v1 (`POST /api/v1/log/entries`): turns a proposed `dsse` v0.0.1 entry into the body real
 * Rekor stores (`envelopeHash`, `payloadHash`, `signatures[{signature, verifier}]`), after checking
 * each signature against the submitted verifiers. `hashedrekord` v0.0.1 and `intoto` v0.0.2
 * proposals are already in their canonical shape and pass through unchanged.
 */
export function canonicalizeV1Entry(proposed: unknown): unknown {
  const entry = proposed as { kind?: unknown; apiVersion?: unknown; spec?: Record<string, unknown> } | null;
  if (!entry || typeof entry !== 'object') throw new BadEntry('entry must be a JSON object');
  if (entry.kind !== 'dsse') return entry;
  if (entry.apiVersion !== '0.0.1') throw new BadEntry(`unsupported dsse version ${String(entry.apiVersion)}`);
  const content = entry.spec?.['proposedContent'] as { envelope?: unknown; verifiers?: unknown } | undefined;
  if (typeof content?.envelope !== 'string' || !Array.isArray(content.verifiers) || content.verifiers.length === 0) {
    throw new BadEntry('dsse entry needs spec.proposedContent.envelope and verifiers');
  }
  const envelope = JSON.parse(content.envelope) as DsseEnvelopeJson;
  if (typeof envelope.payloadType !== 'string' || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures)) {
    throw new BadEntry('malformed DSSE envelope');
  }
  const payload = Buffer.from(envelope.payload, 'base64');
  const verifiers = (content.verifiers as unknown[]).map((v) => String(v));
  const keys = verifiers.map((v) => keyFrom(Buffer.from(v, 'base64').toString('utf8')));
  const signatures = envelope.signatures.map((s) => {
    const sig = Buffer.from(String(s.sig ?? ''), 'base64');
    const index = keys.findIndex((k) => verifiesDsse(envelope.payloadType as string, payload, sig, k));
    if (index < 0) throw new BadEntry('verifying envelope: no matching signatures');
    return { signature: sig.toString('base64'), verifier: verifiers[index] };
  });
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(content.envelope).toString('hex') },
      payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
      signatures,
    },
  };
}

/**
 * Rekor v2 (`POST /api/v2/log/entries`): turns a `CreateEntryRequest` (JSON) into the
 * `dev.sigstore.rekor.v2.Entry` JSON that real Rekor v2 logs (`dsse`/`hashedrekord` v0.0.2).
 */
export function v2EntryFromRequest(requestJSON: unknown): { kind: 'dsse' | 'hashedrekord'; entry: unknown } {
  const request = CreateEntryRequest.fromJSON(requestJSON);
  const spec = request.spec;
  if (spec?.$case === 'dsseRequestV002') {
    const { envelope, verifiers } = spec.dsseRequestV002;
    if (!envelope || envelope.signatures.length === 0 || verifiers.length === 0) {
      throw new BadEntry('dsse request needs an envelope with signatures and verifiers');
    }
    const keys = verifiers.map((v) => {
      const vv = v.verifier;
      if (vv?.$case === 'x509Certificate') return keyFrom(vv.x509Certificate.rawBytes);
      if (vv?.$case === 'publicKey') return keyFrom(vv.publicKey.rawBytes);
      throw new BadEntry('verifier without key material');
    });
    const signatures = envelope.signatures.map((s) => {
      const index = keys.findIndex((k) => verifiesDsse(envelope.payloadType, envelope.payload, s.sig, k));
      if (index < 0) throw new BadEntry('verifying envelope: no matching signatures');
      return { content: s.sig, verifier: verifiers[index] };
    });
    const entry = Entry.toJSON({
      kind: 'dsse',
      apiVersion: '0.0.2',
      spec: {
        spec: {
          $case: 'dsseV002',
          dsseV002: { payloadHash: { algorithm: HashAlgorithm.SHA2_256, digest: sha256(envelope.payload) }, signatures },
        },
      },
    });
    return { kind: 'dsse', entry };
  }
  if (spec?.$case === 'hashedRekordRequestV002') {
    const { digest, signature } = spec.hashedRekordRequestV002;
    if (!signature || digest.length === 0) throw new BadEntry('hashedrekord request needs a digest and a signature');
    const entry = Entry.toJSON({
      kind: 'hashedrekord',
      apiVersion: '0.0.2',
      spec: {
        spec: { $case: 'hashedRekordV002', hashedRekordV002: { data: { algorithm: HashAlgorithm.SHA2_256, digest }, signature } },
      },
    });
    return { kind: 'hashedrekord', entry };
  }
  throw new BadEntry('unsupported CreateEntryRequest: expected dsseRequestV002 or hashedRekordRequestV002');
}
