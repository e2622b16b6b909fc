import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { type CA, fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';
import {
  HashAlgorithm,
  PublicKeyDetails,
  ServiceSelector,
  SigningConfig,
  TransparencyLogEntry,
  type TransparencyLogInstance,
  TrustedRoot,
} from '@sigstore/protobuf-specs';
import type { CreateEntryRequest } from '@sigstore/protobuf-specs/rekor/v2';
import { keyFrom, sha256, toBuffer, verifies } from './crypto-util.ts';
import { HttpService, type RequestRecord, type RouteResult, jsonError } from './http-service.ts';
import { type IdentityClaims, TokenIssuer } from './oidc.ts';
import { BadEntry, canonicalizeV1Entry, v2EntryFromRequest } from './rekor.ts';

export type { RequestRecord } from './http-service.ts';

/** Lifetime of every certificate the mock Fulcio issues (as with the real Fulcio): 10 minutes. */
export const FULCIO_CERT_LIFETIME_MS = 10 * 60 * 1000;
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';
/** Operator name in the SigningConfig services. */
export const STACK_OPERATOR = 'testkit.provenant.invalid';

export interface SigstoreStackOptions {
  /**
   * Freeze every service clock at this instant (certificate notBefore, SCT, Rekor integratedTime,
   * TSA genTime, token iat). The mock's root certificates are valid from the real current time for
   * 365 days, so `now` must lie in that window (less the 10-minute certificate lifetime): a past
   * `now` is refused with a RangeError. Default: the real clock, read per request.
   */
  now?: Date;
  /** Which Rekor `signingConfig` (and `signKeyless` by default) uses: 1 (default) or 2. Both always run. */
  rekorVersion?: 1 | 2;
}

/** Protobuf-JSON shapes of what the stack publishes (bytes are base64, times RFC 3339). */
export interface TimeRangeJSON {
  start: string;
  end?: string;
}
export interface TransparencyLogJSON {
  baseUrl: string;
  hashAlgorithm: string;
  publicKey: { rawBytes: string; keyDetails: string; validFor: TimeRangeJSON };
  /** SHA-256 of the log's SubjectPublicKeyInfo DER. */
  logId: { keyId: string };
}
export interface CertificateAuthorityJSON {
  subject: { organization: string; commonName: string };
  uri: string;
  /** DER certificates, leaf-most first, the trust anchor last. */
  certChain: { certificates: Array<{ rawBytes: string }> };
  validFor: TimeRangeJSON;
}
export interface TrustedRootJSON {
  mediaType: string;
  tlogs: TransparencyLogJSON[];
  certificateAuthorities: CertificateAuthorityJSON[];
  ctlogs: TransparencyLogJSON[];
  timestampAuthorities: CertificateAuthorityJSON[];
}
export interface ServiceJSON {
  url: string;
  majorApiVersion: number;
  validFor: TimeRangeJSON;
  operator: string;
}
export interface SigningConfigJSON {
  mediaType: string;
  caUrls: ServiceJSON[];
  oidcUrls?: ServiceJSON[];
  rekorTlogUrls: ServiceJSON[];
  rekorTlogConfig: { selector: string };
  tsaUrls: ServiceJSON[];
  tsaConfig: { selector: string };
}

export interface StackConfiguration {
  /**
   * Validity of the certificates Fulcio issues from now on; `null` restores the default (issued
   * at the stack clock). The mock CA always issues 10-minute certificates, so only `notBefore` is
   * free: `notAfter`, if given, must be `notBefore` + 10 minutes (to the second), else RangeError.
   */
  fulcioCertValidity?: { notBefore: Date; notAfter?: Date } | null;
  /** Fulcio answers 503 to every request. */
  fulcioDown?: boolean;
  /** Rekor (v1 and v2) answers 503 to every request. */
  rekorDown?: boolean;
  /** The TSA answers 503 to every request. */
  tsaDown?: boolean;
}

export interface SigstoreStack {
  /** Fulcio base URL (`POST /api/v2/signingCert`). */
  readonly fulcioURL: string;
  /** Rekor v1 base URL (`POST /api/v1/log/entries`). */
  readonly rekorURL: string;
  /** Rekor v2 base URL (`POST /api/v2/log/entries`), a separate log with its own key. */
  readonly rekorV2URL: string;
  /** TSA base URL (`POST /api/v1/timestamp`, sigstore-js JSON request, RFC 3161 DER reply). */
  readonly tsaURL: string;
  /** The Rekor major version used by `signingConfig` and by default by `signKeyless`. */
  readonly rekorVersion: 1 | 2;
  /** TrustedRoot JSON (a fresh copy on each read): Fulcio CA, both Rekor logs, the CT log, the TSA. */
  readonly trustedRoot: TrustedRootJSON;
  /** SigningConfig v0.2 JSON (a fresh copy on each read): Fulcio, Rekor (`rekorVersion`), TSA. */
  readonly signingConfig: SigningConfigJSON;
  /** Every request the services answered, in order (service, method, path, status). */
  readonly requests: readonly RequestRecord[];
  writeTrustedRoot(path: string): Promise<void>;
  writeSigningConfig(path: string): Promise<void>;
  /** An ES256 JWT signed by the stack's OIDC key, which the stack's Fulcio accepts (and others do not). */
  identityToken(claims?: IdentityClaims): string;
  /** Applies to the following requests; keys left undefined keep their current value. */
  configure(options: StackConfiguration): void;
  /** Restores the default configuration. */
  reset(): void;
  close(): Promise<void>;
}

interface ResolvedConfig {
  fulcioNotBefore: Date | undefined;
  fulcioDown: boolean;
  rekorDown: boolean;
  tsaDown: boolean;
}

const DEFAULT_CONFIG: ResolvedConfig = { fulcioNotBefore: undefined, fulcioDown: false, rekorDown: false, tsaDown: false };

type FulcioHandlers = { sub: ReturnType<typeof fulcioHandler>; email: ReturnType<typeof fulcioHandler> };

const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spkiDer = (key: ReturnType<typeof ecKeyPair>['publicKey']): Buffer => key.export({ type: 'spki', format: 'der' });
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function certWindow(ders: ArrayBufferView[]): { from: Date; to: Date } {
  const certs = ders.map((d) => new X509Certificate(toBuffer(d)));
  const from = new Date(Math.max(...certs.map((c) => c.validFromDate.getTime())));
  const to = new Date(Math.min(...certs.map((c) => c.validToDate.getTime())));
  return { from, to };
}

function tlogInstance(baseUrl: string, publicKeyDer: Buffer, start: Date): TransparencyLogInstance {
  return {
    baseUrl,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: publicKeyDer, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } },
    logId: { keyId: sha256(publicKeyDer) },
    checkpointKeyId: undefined,
    operator: '',
  };
}

function parseJSON(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function validateNotBefore(validity: { notBefore: Date; notAfter?: Date }): Date {
  const { notBefore, notAfter } = validity;
  if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime())) {
    throw new RangeError('fulcioCertValidity.notBefore must be a valid Date');
  }
  if (notAfter !== undefined && seconds(notAfter) - seconds(notBefore) !== FULCIO_CERT_LIFETIME_MS / 1000) {
    throw new RangeError(
      'fulcioCertValidity: the mock Fulcio CA (@sigstore/mock) always issues certificates valid for 10 minutes; ' +
        'notAfter must be notBefore + 10 minutes (or omitted). Move notBefore to make a certificate expired or not yet valid.',
    );
  }
  return new Date(notBefore.getTime());
}

/**
 * Starts Fulcio, Rekor v1, Rekor v2 and a TSA as real HTTP servers on 127.0.0.1 (OS-chosen ports),
 * with keys generated now, and returns their URLs with the matching TrustedRoot and SigningConfig.
 * Always `await stack.close()`.
 */
export async function startSigstoreStack(options: SigstoreStackOptions = {}): Promise<SigstoreStack> {
  const realStart = new Date(seconds(new Date()) * 1000);
  const fixedNow = options.now === undefined ? undefined : new Date(options.now.getTime());
  if (fixedNow !== undefined && Number.isNaN(fixedNow.getTime())) throw new RangeError('options.now must be a valid Date');
  const rekorVersion = options.rekorVersion ?? 1;
  if (rekorVersion !== 1 && rekorVersion !== 2) throw new RangeError('options.rekorVersion must be 1 or 2');
  const clock = (): Date => fixedNow ?? new Date();

  // Keys: one per service, generated for this stack only.
  const caKeys = ecKeyPair();
  const ctKeys = ecKeyPair();
  const rekorKeys = ecKeyPair();
  const rekorV2Keys = ecKeyPair();
  const tsaKeys = ecKeyPair();

  const ctLog = await initializeCTLog(ctKeys, fixedNow);
  const defaultCA = await initializeCA(caKeys, ctLog, fixedNow);
  const tsa = await initializeTSA(tsaKeys, fixedNow);
  // The mock TSA stamps genTime with milliseconds; asn1js encodes them as DER wants, trailing zeros
  // dropped ("…30.12Z"), and @sigstore/core 4 only parses exactly three digits ("…30.120Z"), so
  // about one timestamp in ten would fail verification ("invalid time"). Stamp whole seconds.
  const tsaInternals = tsa as unknown as { getCurrentTime?: () => Date };
  if (typeof tsaInternals.getCurrentTime !== 'function') throw new Error('testkit: unexpected @sigstore/mock TSA internals (getCurrentTime)');
  tsaInternals.getCurrentTime = () => new Date(seconds(clock()) * 1000);

  if (fixedNow !== undefined) {
    const { from, to } = certWindow([defaultCA.rootCertificate, tsa.rootCertificate, tsa.intCertificate]);
    if (fixedNow < from || fixedNow.getTime() > to.getTime() - FULCIO_CERT_LIFETIME_MS) {
      throw new RangeError(
        `options.now (${fixedNow.toISOString()}) is outside the mock CA/TSA certificates' validity ` +
          `(${from.toISOString()} .. ${to.toISOString()}, less 10 minutes): @sigstore/mock creates them from the real clock`,
      );
    }
  }

  const handlersOf = (ca: CA): FulcioHandlers => ({
    sub: fulcioHandler(ca, { strict: true, subjectClaim: 'sub' }),
    email: fulcioHandler(ca, { strict: true, subjectClaim: 'email' }),
  });
  const defaultHandlers = handlersOf(defaultCA);
  // Another CA instance over the same key pair and name: its leaves chain to the published root
  // (same key identifiers, same issuer name, same signing key); only its clock differs.
  const shiftedCAs = new Map<number, Promise<FulcioHandlers>>();
  const fulcioHandlersFor = (notBefore: Date | undefined): Promise<FulcioHandlers> => {
    if (notBefore === undefined) return Promise.resolve(defaultHandlers);
    let handlers = shiftedCAs.get(notBefore.getTime());
    if (!handlers) {
      handlers = initializeCA(caKeys, ctLog, notBefore).then(handlersOf);
      shiftedCAs.set(notBefore.getTime(), handlers);
    }
    return handlers;
  };

  let config: ResolvedConfig = { ...DEFAULT_CONFIG };
  const requests: RequestRecord[] = [];
  const tokens = new TokenIssuer(clock);

  const fulcio = new HttpService(
    'fulcio',
    () => (config.fulcioDown ? 'Fulcio is unavailable (testkit: configure({ fulcioDown: true }))' : undefined),
    requests,
  );
  const rekor = new HttpService(
    'rekor',
    () => (config.rekorDown ? 'Rekor is unavailable (testkit: configure({ rekorDown: true }))' : undefined),
    requests,
  );
  const rekorV2 = new HttpService(
    'rekor-v2',
    () => (config.rekorDown ? 'Rekor v2 is unavailable (testkit: configure({ rekorDown: true }))' : undefined),
    requests,
  );
  const tsaService = new HttpService(
    'tsa',
    () => (config.tsaDown ? 'TSA is unavailable (testkit: configure({ tsaDown: true }))' : undefined),
    requests,
  );
  const services = [fulcio, rekor, rekorV2, tsaService];
  const closeAll = async (): Promise<void> => {
    await Promise.all(services.map((s) => s.close()));
  };

  let fulcioURL: string;
  let rekorURL: string;
  let rekorV2URL: string;
  let tsaURL: string;
  try {
    fulcioURL = await fulcio.listen();
    rekorURL = await rekor.listen();
    rekorV2URL = await rekorV2.listen();
    tsaURL = await tsaService.listen();

    // Fulcio: the stack checks what the mock does not (token signature and expiry, proof of
    // possession), then the mock CA issues the certificate (with an embedded SCT).
    fulcio.route('/api/v2/signingCert', async (body): Promise<RouteResult> => {
      const request = parseJSON(body) as
        | {
            credentials?: { oidcIdentityToken?: unknown };
            publicKeyRequest?: { publicKey?: { content?: unknown }; proofOfPossession?: unknown };
            certificateSigningRequest?: unknown;
          }
        | undefined;
      if (!request || typeof request !== 'object') return jsonError(400, 'request body is not a JSON object');
      let claims: Record<string, unknown>;
      try {
        claims = tokens.check(request.credentials?.oidcIdentityToken);
      } catch (err) {
        return jsonError(401, `invalid identity token: ${(err as Error).message}`);
      }
      const useEmail = claims['email'] !== undefined;
      if (useEmail && claims['email_verified'] !== true) return jsonError(400, 'email in identity token is not verified');
      const subject = useEmail ? claims['email'] : claims['sub'];
      if (typeof subject !== 'string' || subject === '') return jsonError(400, 'identity token has no subject');
      const pkr = request.publicKeyRequest;
      if (pkr) {
        const pem = pkr.publicKey?.content;
        const pop = pkr.proofOfPossession;
        if (typeof pem !== 'string' || typeof pop !== 'string') {
          return jsonError(400, 'publicKeyRequest needs publicKey.content and proofOfPossession');
        }
        let ok: boolean;
        try {
          ok = verifies(Buffer.from(subject), Buffer.from(pop, 'base64'), keyFrom(pem));
        } catch {
          return jsonError(400, 'publicKeyRequest.publicKey.content is not a PEM public key');
        }
        if (!ok) return jsonError(400, 'proof of possession does not verify: sign the token subject with the key');
      } else if (typeof request.certificateSigningRequest !== 'string') {
        return jsonError(400, 'request needs publicKeyRequest or certificateSigningRequest');
      }
      const handlers = await fulcioHandlersFor(config.fulcioNotBefore);
      return (useEmail ? handlers.email : handlers.sub).fn(body);
    });

    // Rekor v1: canonicalize (as real Rekor does), then the mock log signs the SET and checkpoint.
    const tlog = await initializeTLog(rekorURL, rekorKeys, fixedNow);
    const v1 = rekorHandler(tlog, { strict: true });
    rekor.route('/api/v1/log/entries', async (body): Promise<RouteResult> => {
      let canonical: unknown;
      try {
        canonical = canonicalizeV1Entry(JSON.parse(body));
      } catch (err) {
        return jsonError(400, err instanceof BadEntry ? err.message : `invalid entry: ${(err as Error).message}`);
      }
      return v1.fn(JSON.stringify(canonical));
    });

    // Rekor v2: build the logged Entry, let the mock log add the checkpoint and inclusion proof.
    const tlogV2 = await initializeTLog(rekorV2URL, rekorV2Keys, fixedNow);
    rekorV2.route('/api/v2/log/entries', async (body): Promise<RouteResult> => {
      let built: ReturnType<typeof v2EntryFromRequest>;
      try {
        built = v2EntryFromRequest(JSON.parse(body));
      } catch (err) {
        return jsonError(400, err instanceof BadEntry ? err.message : `invalid request: ${(err as Error).message}`);
      }
      // The mock canonicalizes whatever object it gets into the body: hand it the Entry JSON.
      const logged = await tlogV2.logV2(built.entry as CreateEntryRequest);
      // The mock's checkpoint is for a one-leaf tree, so the proof must be for leaf 0 (the mock puts
      // its random entry index there, which @sigstore/verify rightly rejects against a tree of
      // size 1). The entry keeps the random index, as the mock's v1 entries do.
      const proof = logged.inclusionProof && { ...logged.inclusionProof, logIndex: '0' };
      const entry = TransparencyLogEntry.toJSON({
        ...logged,
        inclusionProof: proof,
        kindVersion: { kind: built.kind, version: '0.0.2' },
        // Rekor v2 has no integrated time (and no inclusion promise): timestamps come from a TSA.
        integratedTime: '0',
      });
      return { statusCode: 201, response: JSON.stringify(entry), contentType: 'application/json' };
    });

    tsaService.route('/api/v1/timestamp', tsaHandler(tsa, { strict: true }).fn);
  } catch (err) {
    await closeAll();
    throw err;
  }

  const validFrom = realStart;
  const trustedRootJSON = JSON.stringify(
    TrustedRoot.toJSON({
      mediaType: TRUSTED_ROOT_MEDIA_TYPE,
      tlogs: [tlogInstance(rekorURL, spkiDer(rekorKeys.publicKey), validFrom), tlogInstance(rekorV2URL, spkiDer(rekorV2Keys.publicKey), validFrom)],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: fulcioURL,
          certChain: { certificates: [{ rawBytes: toBuffer(defaultCA.rootCertificate) }] },
          validFor: { start: validFrom },
          operator: '',
        },
      ],
      ctlogs: [
        {
          // The CT log lives inside the mock Fulcio (it signs the SCT embedded in each certificate);
          // it has no HTTP API of its own.
          baseUrl: fulcioURL,
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: { rawBytes: ctLog.publicKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start: validFrom } },
          logId: { keyId: toBuffer(ctLog.logID) },
          checkpointKeyId: undefined,
          operator: '',
        },
      ],
      timestampAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'tsa' },
          uri: tsaURL,
          certChain: { certificates: [{ rawBytes: toBuffer(tsa.intCertificate) }, { rawBytes: toBuffer(tsa.rootCertificate) }] },
          validFor: { start: validFrom },
          operator: '',
        },
      ],
    }),
  );

  const service = (url: string, majorApiVersion: number) => ({ url, majorApiVersion, validFor: { start: validFrom }, operator: STACK_OPERATOR });
  const signingConfigJSON = JSON.stringify(
    SigningConfig.toJSON({
      mediaType: SIGNING_CONFIG_MEDIA_TYPE,
      caUrls: [service(fulcioURL, 1)],
      oidcUrls: [],
      rekorTlogUrls: [rekorVersion === 2 ? service(rekorV2URL, 2) : service(rekorURL, 1)],
      rekorTlogConfig: { selector: ServiceSelector.ANY, count: 0 },
      // TSA URLs in a SigningConfig are full endpoint URLs.
      tsaUrls: [service(`${tsaURL}/api/v1/timestamp`, 1)],
      tsaConfig: { selector: ServiceSelector.ANY, count: 0 },
    }),
  );

  return {
    fulcioURL,
    rekorURL,
    rekorV2URL,
    tsaURL,
    rekorVersion,
    get trustedRoot() {
      return JSON.parse(trustedRootJSON) as TrustedRootJSON;
    },
    get signingConfig() {
      return JSON.parse(signingConfigJSON) as SigningConfigJSON;
    },
    requests,
    async writeTrustedRoot(path: string) {
      await writeFile(path, `${JSON.stringify(JSON.parse(trustedRootJSON), null, 2)}\n`);
    },
    async writeSigningConfig(path: string) {
      await writeFile(path, `${JSON.stringify(JSON.parse(signingConfigJSON), null, 2)}\n`);
    },
    identityToken(claims?: IdentityClaims) {
      return tokens.mint(claims);
    },
    configure(opts: StackConfiguration) {
      const next = { ...config };
      if (opts.fulcioCertValidity !== undefined) {
        next.fulcioNotBefore = opts.fulcioCertValidity === null ? undefined : validateNotBefore(opts.fulcioCertValidity);
      }
      if (opts.fulcioDown !== undefined) next.fulcioDown = opts.fulcioDown;
      if (opts.rekorDown !== undefined) next.rekorDown = opts.rekorDown;
      if (opts.tsaDown !== undefined) next.tsaDown = opts.tsaDown;
      config = next;
    },
    reset() {
      config = { ...DEFAULT_CONFIG };
    },
    close: closeAll,
  };
}
