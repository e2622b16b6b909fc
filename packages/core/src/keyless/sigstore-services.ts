import { ProvenantError } from '../errors.ts';

/** Sigstore's public-good Fulcio: the default certificate authority. */
export const PUBLIC_GOOD_FULCIO_URL = 'https://fulcio.sigstore.dev';
/** Sigstore's public-good Rekor (API v1): the default transparency log. */
export const PUBLIC_GOOD_REKOR_URL = 'https://rekor.sigstore.dev';

/** A Rekor log to write to. */
export interface TlogService {
  /** Base URL (`/api/v1/log/entries` or `/api/v2/log/entries` is appended). */
  url: string;
  majorApiVersion: 1 | 2;
}

/** A timestamp authority to ask. */
export interface TsaService {
  /** The full timestamp URL, or a base URL to which `/api/v1/timestamp` is appended. */
  url: string;
}

/** The services one keyless signature uses: one CA, any number of logs and TSAs (at least one of either). */
export interface SigstoreServices {
  fulcioURL: string;
  tlogs: readonly TlogService[];
  tsas: readonly TsaService[];
}

/** What the command line says about services, when no SigningConfig is given. */
export interface ServiceFlags {
  fulcioURL?: string;
  rekorURL?: string;
  rekorVersion?: 1 | 2;
  tsaURL?: string;
  /** False for `--no-tlog`: no transparency log, so a TSA is required. */
  tlog?: boolean;
}

/**
 * Services from explicit URLs, with Sigstore's public-good Fulcio and Rekor (v1) as defaults and
 * no TSA unless one is named. Refuses combinations whose bundles no verifier could accept: no log
 * and no TSA (nothing proves when the short-lived certificate was used), or Rekor v2 without a
 * TSA (v2 entries carry no time).
 */
export function servicesFromFlags(flags: ServiceFlags): SigstoreServices {
  const fulcioURL = serviceURL('--fulcio-url', flags.fulcioURL ?? PUBLIC_GOOD_FULCIO_URL);
  const tsas = flags.tsaURL !== undefined ? [{ url: serviceURL('--tsa-url', flags.tsaURL) }] : [];
  if (flags.tlog === false) {
    if (flags.rekorURL !== undefined || flags.rekorVersion !== undefined) throw new ProvenantError('USAGE', '--no-tlog cannot be combined with --rekor-url or --rekor-version');
    if (tsas.length === 0) {
      throw new ProvenantError('USAGE', '--no-tlog needs --tsa-url: without a transparency log only a timestamp can prove when the certificate was used');
    }
    return { fulcioURL, tlogs: [], tsas };
  }
  const majorApiVersion = flags.rekorVersion ?? 1;
  if (majorApiVersion === 2 && tsas.length === 0) {
    throw new ProvenantError('USAGE', '--rekor-version 2 needs --tsa-url: Rekor v2 entries carry no timestamp, so verifiers need one from a TSA');
  }
  if (majorApiVersion === 2 && flags.rekorURL === undefined) {
    // The public-good v2 logs are sharded by year; their URLs come from Sigstore's SigningConfig.
    throw new ProvenantError('USAGE', '--rekor-version 2 needs --rekor-url (or use --signing-config)');
  }
  const url = serviceURL('--rekor-url', flags.rekorURL ?? PUBLIC_GOOD_REKOR_URL);
  return { fulcioURL, tlogs: [{ url, majorApiVersion }], tsas };
}

/** An http(s) URL without a trailing slash (the clients append API paths), or a USAGE error. */
export function serviceURL(what: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProvenantError('USAGE', `${what}: not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ProvenantError('USAGE', `${what}: not an http(s) URL: ${value}`);
  if (url.username !== '' || url.password !== '') throw new ProvenantError('USAGE', `${what}: credentials in a service URL are not supported`);
  return value.replace(/\/+$/, '');
}
