import { type KeyObject, X509Certificate as NodeX509Certificate, createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { ProvenantError } from '@provenant/core/verification';
import type { TrustMaterial as SigstoreTrustMaterial } from '@sigstore/verify';
import { sigstoreCore } from './sigstore-modules.ts';

/** How many of each kind of evidence a bundle must carry to verify against a trusted root. */
export interface VerifierThresholds {
  /** Transparency log entries (inclusion proof or promise). */
  tlogThreshold: number;
  /** Signed certificate timestamps in the signing certificate. */
  ctlogThreshold: number;
  /** Verified times: Rekor integrated times and RFC 3161 timestamps together; at least 1 for a certificate. */
  timestampThreshold: number;
}

/** A Sigstore trusted root, validated and parsed once into what @sigstore/verify checks against. */
export interface SigstoreRoot {
  /** `public-good`, or where the root came from (a file path). */
  readonly source: string;
  /** CAs, TSAs, logs; its key finder knows no key (keys are tried one by one, see checks/sigstore-signature). */
  readonly material: SigstoreTrustMaterial;
  readonly thresholds: Readonly<VerifierThresholds>;
  /** Every CA certificate (base64 DER): a bundle's embedded chain may only repeat these. */
  readonly caCertificates: ReadonlySet<string>;
}

/** A trusted root: `'public-good'` (the copy @sigstore/tuf ships, used offline) or its JSON, parsed. */
export type TrustedRootSource = 'public-good' | Record<string, unknown>;

/** A trusted root with where it came from and, optionally, thresholds other than those derived from it. */
export interface TrustedRootOptions {
  root: TrustedRootSource;
  /** For messages, e.g. the file path. */
  source?: string;
  /**
   * Default: a transparency log entry when the root has logs, an SCT when it has CT logs, and one
   * verified time. GitHub's own instance has neither, so its bundles need one RFC 3161 timestamp.
   */
  thresholds?: Partial<VerifierThresholds>;
}

export type TrustedRootInput = TrustedRootSource | TrustedRootOptions;

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\+json;version=0\.\d+|\.v0\.\d+\+json)$/;
const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
const END_OF_TIME = new Date(8_640_000_000_000_000);
const NO_KEY = (hint: string): never => {
  throw new ProvenantError('INTERNAL', `no key finder for ${hint}`);
};

let publicGood: SigstoreRoot | undefined;

/** Validates and parses a trusted root once. Throws TRUSTED_ROOT_INVALID naming what is wrong. */
export function loadTrustedRoot(input: TrustedRootInput): SigstoreRoot {
  const options: TrustedRootOptions = isOptions(input) ? input : { root: input };
  let root: SigstoreRoot;
  if (options.root === 'public-good') {
    publicGood ??= parseTrustedRoot(publicGoodJson(), 'public-good');
    root = publicGood;
  } else {
    root = parseTrustedRoot(options.root, options.source ?? 'trusted root');
  }
  if (options.thresholds === undefined) return root;
  return Object.freeze({ ...root, thresholds: checkedThresholds({ ...root.thresholds, ...options.thresholds }, root.source) });
}

/**
 * The public-good trusted root as @sigstore/tuf ships it (its TUF seed for the production
 * mirror): what a Sigstore client uses before it has ever refreshed, so verification stays offline.
 */
export function publicGoodJson(): Record<string, unknown> {
  const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json') as Record<string, { targets?: Record<string, string> } | undefined>;
  const target = seeds[PUBLIC_GOOD_MIRROR]?.targets?.['trusted_root.json'];
  if (target === undefined) throw new ProvenantError('TRUSTED_ROOT_INVALID', '@sigstore/tuf ships no public-good trusted_root.json');
  return JSON.parse(Buffer.from(target, 'base64').toString('utf8')) as Record<string, unknown>;
}

/** Parses trusted root JSON text (a `trusted_root.json` file). */
export function parseTrustedRootText(text: string, source = 'trusted root'): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(source, `not JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid(source, 'not a JSON object');
  return json as Record<string, unknown>;
}

function isOptions(input: TrustedRootInput): input is TrustedRootOptions {
  return typeof input === 'object' && input !== null && 'root' in input;
}

function parseTrustedRoot(json: Record<string, unknown>, source: string): SigstoreRoot {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid(source, 'not a JSON object');
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
    throw invalid(source, `mediaType ${JSON.stringify(mediaType)?.slice(0, 80)} is not a Sigstore trusted root media type`);
  }
  const read = new Reader(source);
  const tlogs = read.list(json, 'tlogs').map((t, i) => read.log(t, `tlogs[${i}]`));
  const ctlogs = read.list(json, 'ctlogs').map((t, i) => read.log(t, `ctlogs[${i}]`));
  const certificateAuthorities = read.list(json, 'certificateAuthorities').map((c, i) => read.authority(c, `certificateAuthorities[${i}]`));
  const timestampAuthorities = read.list(json, 'timestampAuthorities').map((c, i) => read.authority(c, `timestampAuthorities[${i}]`));
  const caCertificates = new Set(certificateAuthorities.flatMap((ca) => ca.certChain.map((c) => c.root.toDER().toString('base64'))));
  return Object.freeze({
    source,
    material: { certificateAuthorities, timestampAuthorities, tlogs, ctlogs, publicKey: NO_KEY },
    thresholds: checkedThresholds({ tlogThreshold: tlogs.length > 0 ? 1 : 0, ctlogThreshold: ctlogs.length > 0 ? 1 : 0, timestampThreshold: 1 }, source),
    caCertificates,
  });
}

type TLogAuthority = SigstoreTrustMaterial['tlogs'][number];
type CertAuthority = SigstoreTrustMaterial['certificateAuthorities'][number];

/** Reads the protobuf-JSON of a trusted root, strictly: every problem names its path. */
class Reader {
  readonly #source: string;
  constructor(source: string) {
    this.#source = source;
  }

  list(json: Record<string, unknown>, key: string): Record<string, unknown>[] {
    const value = json[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) throw this.#invalid(key, 'must be a list of objects');
    return value as Record<string, unknown>[];
  }

  log(json: Record<string, unknown>, path: string): TLogAuthority {
    const baseURL = json.baseUrl;
    if (typeof baseURL !== 'string' || baseURL === '') throw this.#invalid(`${path}.baseUrl`, 'must be a non-empty string');
    const publicKey = this.#object(json.publicKey, `${path}.publicKey`);
    const keyDetails = typeof publicKey.keyDetails === 'string' ? publicKey.keyDetails : '';
    const logId = this.#object(json.checkpointKeyId ?? json.logId, `${path}.${json.checkpointKeyId ? 'checkpointKeyId' : 'logId'}`);
    return {
      baseURL,
      logID: this.#bytes(logId.keyId, `${path}.logId.keyId`),
      publicKey: this.#key(this.#bytes(publicKey.rawBytes, `${path}.publicKey.rawBytes`), keyDetails.startsWith('PKCS1_') ? 'pkcs1' : 'spki', `${path}.publicKey`),
      // A missing start is an error, never "since the beginning of time": a log key admits
      // entries only from when it was trusted (sigstore-conformance trust-root-tlog-missing-validity-start).
      validFor: this.#range(publicKey.validFor, `${path}.publicKey.validFor`),
    };
  }

  authority(json: Record<string, unknown>, path: string): CertAuthority {
    const chain = this.#object(json.certChain, `${path}.certChain`);
    const certificates = chain.certificates;
    if (!Array.isArray(certificates) || certificates.length === 0) throw this.#invalid(`${path}.certChain.certificates`, 'must be a non-empty list');
    return {
      certChain: certificates.map((c, i) => {
        const where = `${path}.certChain.certificates[${i}]`;
        const der = this.#bytes(this.#object(c, where).rawBytes, `${where}.rawBytes`);
        try {
          // node:crypto parses strictly; @sigstore/core's parser is lazy and what the Verifier uses.
          new NodeX509Certificate(der);
          return sigstoreCore().X509Certificate.parse(der);
        } catch (err) {
          throw this.#invalid(where, `is not an X.509 certificate (${(err as Error).message})`);
        }
      }),
      validFor: this.#range(json.validFor, `${path}.validFor`),
    };
  }

  #object(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.#invalid(path, 'is missing or not an object');
    return value as Record<string, unknown>;
  }

  #bytes(value: unknown, path: string): Buffer<ArrayBuffer> {
    if (typeof value !== 'string' || value === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw this.#invalid(path, 'must be non-empty base64');
    return Buffer.from(value, 'base64');
  }

  #key(der: Buffer, type: 'spki' | 'pkcs1', path: string): KeyObject {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch (err) {
      throw this.#invalid(path, `is not a public key (${(err as Error).message})`);
    }
  }

  #range(value: unknown, path: string): { start: Date; end: Date } {
    const range = this.#object(value, path);
    const start = this.#time(range.start, `${path}.start`);
    if (start === undefined) throw this.#invalid(`${path}.start`, 'is missing: a validity period must have a start');
    const end = this.#time(range.end, `${path}.end`) ?? END_OF_TIME;
    if (end < start) throw this.#invalid(path, 'ends before it starts');
    return { start, end };
  }

  #time(value: unknown, path: string): Date | undefined {
    if (value === undefined || value === null) return undefined;
    const time = typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) ? new Date(value) : undefined;
    if (time === undefined || Number.isNaN(time.getTime())) throw this.#invalid(path, `is not an RFC 3339 time: ${JSON.stringify(value)?.slice(0, 40)}`);
    return time;
  }

  #invalid(path: string, what: string): ProvenantError {
    return invalid(this.#source, `${path} ${what}`);
  }
}

function checkedThresholds(thresholds: VerifierThresholds, source: string): Readonly<VerifierThresholds> {
  for (const [name, value] of Object.entries(thresholds)) {
    if (!Number.isInteger(value) || value < 0) throw invalid(source, `${name} must be a whole number >= 0`);
  }
  return Object.freeze(thresholds);
}

function invalid(source: string, what: string): ProvenantError {
  return new ProvenantError('TRUSTED_ROOT_INVALID', `${source}: ${what}`);
}
