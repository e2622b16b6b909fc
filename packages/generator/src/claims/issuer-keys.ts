/** What fetching an issuer's signing keys gave: the JWKS keys, or why there are none. */
export type IssuerKeys = { ok: true; keys: Record<string, unknown>[] } | { ok: false; message: string };

/** Discovery documents and key sets are a few KiB; anything near this is not one. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * True for an https URL, or an http URL on a loopback address. OIDC requires https issuers; the
 * loopback exception serves local test issuers and cannot reach another machine.
 */
export function isTrustedUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

/**
 * The issuer's signing keys, by OpenID Connect Discovery: `<issuer>/.well-known/openid-configuration`
 * names `jwks_uri`, which holds them. The document must name the issuer exactly (Discovery 1.0,
 * section 4.3), so a key set is only ever taken from the issuer the caller expects. One attempt per
 * document: a key set that cannot be had leaves the claims unused, it does not fail the build.
 */
export async function fetchIssuerKeys(issuer: string, fetch: typeof globalThis.fetch): Promise<IssuerKeys> {
  if (!isTrustedUrl(issuer)) return { ok: false, message: `issuer ${issuer} is not an https URL` };
  const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const discovery = await fetchJson(discoveryUrl, fetch);
  if (!discovery.ok) return discovery;
  const doc = discovery.value as { issuer?: unknown; jwks_uri?: unknown };
  if (doc.issuer !== issuer) return { ok: false, message: `${discoveryUrl} names another issuer` };
  if (typeof doc.jwks_uri !== 'string' || !isTrustedUrl(doc.jwks_uri)) return { ok: false, message: `${discoveryUrl} has no https jwks_uri` };
  const jwks = await fetchJson(doc.jwks_uri, fetch);
  if (!jwks.ok) return jwks;
  const keys = (jwks.value as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return { ok: false, message: `${doc.jwks_uri} is not a JWK set` };
  return { ok: true, keys: keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null && !Array.isArray(k)) };
}

async function fetchJson(url: string, fetch: typeof globalThis.fetch): Promise<{ ok: true; value: object } | { ok: false; message: string }> {
  let response: Response;
  try {
    // No redirects: a redirect could leave https, and OIDC endpoints do not redirect.
    response = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    return { ok: false, message: `${url}: ${networkProblem(err)}` };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, message: `${url}: HTTP ${response.status}` };
  }
  const text = await readLimited(response);
  if (text === undefined) return { ok: false, message: `${url}: larger than ${MAX_DOCUMENT_BYTES} bytes` };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value };
  } catch {
    // fall through
  }
  return { ok: false, message: `${url}: not a JSON object` };
}

/** The body as text, or undefined past MAX_DOCUMENT_BYTES (stops reading there). */
async function readLimited(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream: the rest is never read.
    if (size > MAX_DOCUMENT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `fetch failed` alone says nothing: the cause (ECONNREFUSED, ENOTFOUND, a timeout) does. */
function networkProblem(err: unknown): string {
  const e = err as Error & { cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError') return `timed out after ${TIMEOUT_MS} ms`;
  const cause = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.cause?.message === 'string' ? e.cause.message : undefined;
  return cause ? `${e.message} (${cause})` : e.message;
}
