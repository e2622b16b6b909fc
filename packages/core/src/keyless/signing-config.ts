import { z } from 'zod';
import { ProvenantError } from '../errors.ts';
import type { SigstoreServices, TlogService, TsaService } from './sigstore-services.ts';

/** The one SigningConfig version provenant reads (Sigstore's protobuf-specs, JSON form). */
export const SIGNING_CONFIG_V02_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

/** API versions this client speaks, per service: Fulcio v1 (`/api/v2/signingCert`), Rekor v1 and v2, the TSA v1. */
const SUPPORTED = { ca: [1], tlog: [1, 2], tsa: [1] } as const;

const SELECTORS = ['SERVICE_SELECTOR_UNDEFINED', 'ALL', 'ANY', 'EXACT'] as const;

/**
 * The zod schema, built on first use: building it costs ~10 ms, which every CLI start (even
 * `--key` signing, even `verify`) would otherwise pay for a file most runs never read.
 */
function schema() {
  const timestamp = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
  const service = z.looseObject({
    url: z.url({ protocol: /^https?$/ }),
    majorApiVersion: z.number().int().nonnegative(),
    validFor: z.looseObject({ start: timestamp.optional(), end: timestamp.optional() }).optional(),
    operator: z.string().default(''),
  });
  const serviceConfiguration = z.looseObject({
    // Protobuf JSON writes enums by name; parsers also accept the number.
    selector: z
      .union([z.enum(SELECTORS), z.number().int().min(0).max(3)])
      .transform((s) => (typeof s === 'number' ? SELECTORS[s]! : s))
      .default('SERVICE_SELECTOR_UNDEFINED'),
    count: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).default(0),
  });
  return z.looseObject({
    mediaType: z.string(),
    caUrls: z.array(service).default([]),
    rekorTlogUrls: z.array(service).default([]),
    rekorTlogConfig: serviceConfiguration.optional(),
    tsaUrls: z.array(service).default([]),
    tsaConfig: serviceConfiguration.optional(),
  });
}

let cachedSchema: ReturnType<typeof schema> | undefined;

/** A SigningConfig v0.2, parsed: times are Dates, selectors are names. */
export type SigningConfig = z.infer<ReturnType<typeof schema>>;
type Service = SigningConfig['caUrls'][number];
type ServiceConfiguration = NonNullable<SigningConfig['tsaConfig']>;

/** Parses SigningConfig v0.2 JSON text; SIGNING_CONFIG_INVALID (with the field) on anything else. */
export function parseSigningConfig(text: string, source = 'signing config'): SigningConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProvenantError('SIGNING_CONFIG_INVALID', `${source} is not JSON: ${(err as Error).message}`);
  }
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType;
  if (typeof json !== 'object' || json === null || mediaType !== SIGNING_CONFIG_V02_MEDIA_TYPE) {
    throw new ProvenantError(
      'SIGNING_CONFIG_INVALID',
      `${source} is not a Sigstore SigningConfig v0.2 (mediaType ${typeof mediaType === 'string' ? mediaType : 'missing'}, expected ${SIGNING_CONFIG_V02_MEDIA_TYPE})`,
    );
  }
  cachedSchema ??= schema();
  const parsed = cachedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProvenantError('SIGNING_CONFIG_INVALID', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** How to narrow the selection: the command line's `--no-tlog` and `--rekor-version`. */
export interface SelectOptions {
  /** The signing time: a service is usable only within its `validFor` (inclusive). */
  now: Date;
  /** False: write to no transparency log (then the config must name a TSA). */
  tlog?: boolean;
  /** Only Rekor logs of this API version. */
  rekorVersion?: 1 | 2;
}

/**
 * Chooses the services to sign with, as the SigningConfig spec says: among services whose API
 * version this client speaks and whose validity window holds `now`, only the highest API version,
 * newest `validFor.start` first (ties keep the file's order). Fulcio: exactly one. Rekor and TSA:
 * at most one per operator, as many as the selector asks (ALL; ANY = the first; EXACT = `count`,
 * an error if fewer are available). An empty `rekorTlogUrls`/`tsaUrls` means none of that kind.
 */
export function selectServices(config: SigningConfig, options: SelectOptions): SigstoreServices {
  const { now } = options;
  const [ca] = usable(config.caUrls, SUPPORTED.ca, now);
  if (!ca) throw new ProvenantError('SIGNING_CONFIG_INVALID', `caUrls has no Fulcio service with API version 1 valid at ${now.toISOString()}`);
  const tlogVersions = options.rekorVersion !== undefined ? [options.rekorVersion] : SUPPORTED.tlog;
  const tlogs: TlogService[] =
    options.tlog === false
      ? []
      : pick(config.rekorTlogUrls, config.rekorTlogConfig, tlogVersions, now, 'rekorTlogUrls').map((s) => ({ url: s.url, majorApiVersion: s.majorApiVersion as 1 | 2 }));
  const tsas: TsaService[] = pick(config.tsaUrls, config.tsaConfig, SUPPORTED.tsa, now, 'tsaUrls').map((s) => ({ url: s.url }));
  if (tlogs.length === 0 && tsas.length === 0) {
    throw new ProvenantError(
      options.tlog === false ? 'USAGE' : 'SIGNING_CONFIG_INVALID',
      `${options.tlog === false ? '--no-tlog: the signing config' : 'the signing config'} names no TSA and no transparency log: nothing would prove when the certificate was used`,
    );
  }
  if (tsas.length === 0 && tlogs.every((t) => t.majorApiVersion === 2)) {
    throw new ProvenantError('SIGNING_CONFIG_INVALID', 'the signing config selects Rekor v2 and names no TSA: Rekor v2 entries carry no timestamp');
  }
  return { fulcioURL: ca.url.replace(/\/+$/, ''), tlogs, tsas };
}

/** Usable services, best first: supported API version, valid now, highest version only, newest start first. */
function usable(services: readonly Service[], versions: readonly number[], now: Date): Service[] {
  const valid = services.filter((s) => versions.includes(s.majorApiVersion) && validAt(s, now));
  if (valid.length === 0) return [];
  const top = Math.max(...valid.map((s) => s.majorApiVersion));
  const start = (s: Service) => s.validFor?.start?.getTime() ?? Number.NEGATIVE_INFINITY;
  // Array.prototype.sort is stable: equal starts keep the file's order.
  return valid.filter((s) => s.majorApiVersion === top).sort((a, b) => start(b) - start(a));
}

function pick(services: readonly Service[], config: ServiceConfiguration | undefined, versions: readonly number[], now: Date, what: string): Service[] {
  if (services.length === 0) return [];
  const selector = config?.selector ?? 'SERVICE_SELECTOR_UNDEFINED';
  if (selector === 'SERVICE_SELECTOR_UNDEFINED') {
    throw new ProvenantError('SIGNING_CONFIG_INVALID', `${what} is not empty but its selector (${what === 'tsaUrls' ? 'tsaConfig' : 'rekorTlogConfig'}.selector) is not set`);
  }
  const candidates = usable(services, versions, now);
  // One service per operator: two logs run by one operator do not add independent witnesses.
  const seen = new Set<string>();
  const perOperator = candidates.filter((s) => !seen.has(s.operator) && seen.add(s.operator));
  if (perOperator.length === 0) {
    throw new ProvenantError('SIGNING_CONFIG_INVALID', `${what} has no service with API version ${versions.join(' or ')} valid at ${now.toISOString()}`);
  }
  switch (selector) {
    case 'ALL':
      return perOperator;
    case 'ANY':
      return perOperator.slice(0, 1);
    case 'EXACT': {
      const count = config?.count ?? 0;
      if (count < 1) throw new ProvenantError('SIGNING_CONFIG_INVALID', `${what}: selector EXACT needs a count of at least 1`);
      if (perOperator.length < count) {
        throw new ProvenantError('SIGNING_CONFIG_INVALID', `${what}: selector EXACT asks for ${count} services from distinct operators; ${perOperator.length} are usable`);
      }
      return perOperator.slice(0, count);
    }
  }
}

function validAt(service: Service, now: Date): boolean {
  const t = now.getTime();
  const { start, end } = service.validFor ?? {};
  return (start === undefined || start.getTime() <= t) && (end === undefined || t <= end.getTime());
}
