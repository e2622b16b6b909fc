import { isIP } from 'node:net';

/** The sidecar suffixes tried, in order, when no attestation URL is given. */
export const SIDECAR_SUFFIXES = ['.sigstore.json', '.intoto.jsonl'] as const;

/**
 * Why a URL may not be fetched, or undefined when it may: only `https:`, and plain `http:` to a
 * loopback address (a local mirror or test server: nothing crosses a network) or when insecure
 * transport is allowed. The verification makes the bytes trustworthy whatever the transport, but
 * TLS still keeps what is fetched private and a man in the middle from swapping a good artifact
 * for an older, also-signed one.
 */
export function urlProblem(url: URL, allowInsecure: boolean): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (allowInsecure || isLoopbackHost(url.hostname)) return undefined;
    return `plain http to ${url.host} is refused: use https, or allow it with --allow-insecure`;
  }
  return `only https URLs can be fetched, not ${url.protocol}`;
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** The attestation URLs next to an artifact URL: the path with each sidecar suffix, query kept, fragment dropped. */
export function sidecarUrls(artifact: URL): URL[] {
  return SIDECAR_SUFFIXES.map((suffix) => {
    const url = new URL(artifact.href);
    url.hash = '';
    url.pathname = `${url.pathname}${suffix}`;
    return url;
  });
}

/**
 * A URL as messages show it: no user name, password or query (where signed-URL tokens live),
 * so an error line can be pasted into a ticket.
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
