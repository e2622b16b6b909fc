import { type KeyObject, X509Certificate, createPublicKey } from 'node:crypto';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import type { Finding } from '../finding.ts';

/**
 * Each transparency log entry must record the key that signed the bundle (as its certificate or
 * as the key itself). @sigstore/verify compares the logged signature and digest with the bundle's,
 * not the logged signer; sigstore-go compares that too. Entries of a kind whose signer provenant
 * cannot read are left to the checks @sigstore/verify made.
 */
export function verifyLoggedSigner(entries: readonly TransparencyLogEntry[], signer: KeyObject): Finding | undefined {
  const expected = signer.export({ type: 'spki', format: 'der' });
  for (const [i, entry] of entries.entries()) {
    const logged = loggedSigners(entry);
    if (logged === undefined) continue;
    if (!logged.some((spki) => spki?.equals(expected))) {
      return {
        code: 'TLOG_INVALID',
        message: `transparency log entry ${i} (log index ${entry.logIndex}) records another signer than the bundle's key`,
        path: `verificationMaterial.tlogEntries[${i}]`,
      };
    }
  }
  return undefined;
}

/** The SPKIs of the signers an entry records (undefined where one does not parse); undefined for an unknown kind. */
function loggedSigners(entry: TransparencyLogEntry): (Buffer | undefined)[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(entry.canonicalizedBody.toString('utf8'));
  } catch {
    return undefined;
  }
  const spec = at(body, 'spec');
  const { kind, version } = entry.kindVersion ?? { kind: '', version: '' };
  switch (`${kind}/${version}`) {
    case 'hashedrekord/0.0.1':
      return [fromPem(at(spec, 'signature', 'publicKey', 'content'))];
    case 'dsse/0.0.1':
      return list(at(spec, 'signatures')).map((s) => fromPem(at(s, 'verifier')));
    case 'intoto/0.0.2':
      return list(at(spec, 'content', 'envelope', 'signatures')).map((s) => fromPem(at(s, 'publicKey')));
    case 'intoto/0.0.1':
      return [fromPem(at(spec, 'publicKey'))];
    case 'hashedrekord/0.0.2':
      return [fromV2Verifier(at(spec, 'hashedRekordV002', 'signature', 'verifier'))];
    case 'dsse/0.0.2':
      return list(at(spec, 'dsseV002', 'signatures')).map((s) => fromV2Verifier(at(s, 'verifier')));
    default:
      return undefined;
  }
}

/** value[k1][k2]…, or undefined where a step is not an object. */
function at(value: unknown, ...keys: string[]): unknown {
  let out = value;
  for (const key of keys) out = out !== null && typeof out === 'object' ? (out as Record<string, unknown>)[key] : undefined;
  return out;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Rekor v1 stores the signer as base64 of a PEM certificate or public key. */
function fromPem(b64: unknown): Buffer | undefined {
  if (typeof b64 !== 'string') return undefined;
  const pem = Buffer.from(b64, 'base64').toString('utf8');
  try {
    const key = pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    return key.export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

/** Rekor v2 stores a DER certificate or a DER public key. */
function fromV2Verifier(verifier: unknown): Buffer | undefined {
  try {
    const cert = at(verifier, 'x509Certificate', 'rawBytes');
    if (typeof cert === 'string') return new X509Certificate(Buffer.from(cert, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
    const key = at(verifier, 'publicKey', 'rawBytes');
    if (typeof key === 'string') return createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
  return undefined;
}
