import { X509Certificate } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { IdentityProvider, Witness } from '@sigstore/sign';
import { INTOTO_PAYLOAD_TYPE } from '../dsse.ts';
import { isProvenantError, ProvenantError } from '../errors.ts';
import type { SigstoreServices } from './sigstore-services.ts';

/** How to sign keyless. */
export interface KeylessSigningOptions {
  /** Fulcio, Rekor logs and TSAs (servicesFromFlags, or selectServices over a SigningConfig). */
  services: SigstoreServices;
  /** The OIDC token, requested once signing starts (selectIdentityProvider gives a checked one). */
  identityProvider: IdentityProvider;
  /** Retries per request after a network error, 5xx, 408 or 429 (default 2, with backoff from 1 s). */
  retries?: number;
  /** Per-request timeout in ms (default 10 000; Rekor v2 gets at least 20 000, as sigstore-js gives it). */
  timeoutMs?: number;
}

const REKOR_V2_MIN_TIMEOUT_MS = 20_000;

/**
 * Signs an in-toto statement (exact bytes) keyless into a Sigstore bundle v0.3 with @sigstore/sign:
 * an ephemeral P-256 key, a Fulcio certificate for the OIDC identity, then — concurrently — an
 * entry in each Rekor log and a timestamp from each TSA. The key never leaves memory.
 *
 * Failures are ProvenantErrors that name the service and its URL: OIDC_TOKEN_UNAVAILABLE /
 * OIDC_TOKEN_INVALID (getting the token), OIDC_TOKEN_REJECTED (Fulcio refused it: 400/401/403),
 * SIGSTORE_SERVICE_FAILED (a service unreachable or failing). No message ever contains the token.
 */
export async function signStatementKeyless(payload: Uint8Array, options: KeylessSigningOptions, payloadType = INTOTO_PAYLOAD_TYPE): Promise<Bundle> {
  // Loaded on first use, as for key signing: the HTTP stack is not needed to start the CLI.
  const { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } = await import('@sigstore/sign');
  const retry = options.retries ?? 2;
  const timeout = options.timeoutMs ?? 10_000;
  const { services } = options;
  let token: string | undefined;
  const redact = (text: string) => (token ? text.split(token).join('[identity token]') : text);
  const identityProvider: IdentityProvider = {
    getToken: async () => {
      token = await options.identityProvider.getToken();
      return token;
    },
  };
  const signer = new FulcioSigner({ fulcioBaseURL: services.fulcioURL, identityProvider, retry, timeout });
  const witnesses: Witness[] = [
    ...services.tlogs.map((t) =>
      named(
        `Rekor v${t.majorApiVersion}`,
        t.url,
        new RekorWitness({
          rekorBaseURL: t.url,
          majorApiVersion: t.majorApiVersion,
          entryType: 'dsse',
          retry,
          timeout: t.majorApiVersion === 2 ? Math.max(timeout, REKOR_V2_MIN_TIMEOUT_MS) : timeout,
        }),
        redact,
      ),
    ),
    ...services.tsas.map((t) => named('TSA', t.url, new TSAWitness({ tsaBaseURL: t.url, retry, timeout }), redact)),
  ];
  try {
    return await new DSSEBundleBuilder({ signer, witnesses }).create({ data: Buffer.from(payload), type: payloadType });
  } catch (err) {
    throw fulcioError(err, services.fulcioURL, redact);
  }
}

/** A witness whose failures say which service (and URL) failed. */
function named(service: string, url: string, witness: Witness, redact: (s: string) => string): Witness {
  return {
    testify: (content, publicKey) =>
      witness.testify(content, publicKey).catch((err: unknown) => {
        throw new ProvenantError('SIGSTORE_SERVICE_FAILED', redact(`${service} at ${url} failed: ${detail(err)}`), { cause: err });
      }),
  };
}

/** Errors from the signer (token, Fulcio); witness errors arrive already translated. */
function fulcioError(err: unknown, url: string, redact: (s: string) => string): ProvenantError {
  if (isProvenantError(err)) return err;
  const e = err as { code?: unknown; cause?: unknown; message?: unknown };
  switch (e.code) {
    case 'IDENTITY_TOKEN_READ_ERROR':
      if (isProvenantError(e.cause)) return e.cause;
      return new ProvenantError('OIDC_TOKEN_UNAVAILABLE', redact(`no identity token: ${detail(e.cause)}`), { cause: err });
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      // @sigstore/sign's message quotes the token: never pass it on.
      return new ProvenantError('OIDC_TOKEN_INVALID', 'the identity token is not a JWT with a subject (sub, or a verified email)');
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR': {
      const status = (e.cause as { statusCode?: unknown } | undefined)?.statusCode;
      if (status === 400 || status === 401 || status === 403) {
        return new ProvenantError('OIDC_TOKEN_REJECTED', redact(`Fulcio at ${url} refused the identity token: ${detail(e.cause)}`), { cause: err });
      }
      return new ProvenantError('SIGSTORE_SERVICE_FAILED', redact(`Fulcio at ${url} failed: ${detail(e.cause ?? err)}`), { cause: err });
    }
    default:
      return new ProvenantError('SIGNING_FAILED', redact(`keyless signing failed: ${detail(err)}`), { cause: err });
  }
}

/**
 * The useful part of an error from @sigstore/sign: an HTTP error's `(status) message`, or the
 * network error under an InternalError (whose own message is only "error creating tlog entry").
 */
function detail(err: unknown): string {
  let e = err as { message?: unknown; cause?: unknown; statusCode?: unknown } | undefined;
  // InternalError wraps HTTPError or a fetch error; an HTTPError's message is the useful one.
  while (e && typeof e === 'object' && typeof e.statusCode !== 'number' && e.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ');
}

/**
 * The identity a keyless bundle's certificate names (its SAN: a workflow URI, an email), or
 * undefined for a key-signed bundle. For display only: nothing here is verified.
 */
export function certificateIdentityOf(bundle: Bundle): string | undefined {
  const content = bundle.verificationMaterial.content;
  const der =
    content.$case === 'certificate' ? content.certificate.rawBytes : content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (!der) return undefined;
  try {
    const san = new X509Certificate(der).subjectAltName;
    return san?.split(', ')[0]?.replace(/^(URI|email):/, '');
  } catch {
    return undefined;
  }
}
