import { join } from 'node:path';
import { ProvenantError } from '@provenant/core/verification';
import { type TrustedRootOptions, parseTrustedRootText } from './trusted-root.ts';

/** The Sigstore public-good TUF repository, whose initial root.json @sigstore/tuf ships. */
export const PUBLIC_GOOD_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

/** Options of refreshTrustedRoot. Nothing is read from the environment: the caller decides. */
export interface TrustedRootRefreshOptions {
  /** Where TUF metadata and targets are cached between runs (see defaultTufCachePath). */
  cachePath: string;
  /** The TUF repository. Default: the public-good one. */
  mirrorURL?: string;
  /**
   * A trusted TUF root.json to start from, for a repository @sigstore/tuf ships none for (any
   * mirror but the public-good one). Used only while the cache holds no root for the mirror.
   */
  rootPath?: string;
  /** Per-request timeout in ms, headers and body together. Default 5000. */
  timeoutMs?: number;
  /** Retries of a request after a network error or a 5xx answer. Default 1. */
  retries?: number;
}

/**
 * Fetches the current Sigstore trusted root through TUF (@sigstore/tuf: root rotation, then
 * timestamp, snapshot and targets metadata, each signature-checked, then `trusted_root.json`
 * checked against its hash), and validates it as loadTrustedRoot will. The one place provenant
 * verification touches the network, and only when asked. When the repository cannot be reached or
 * its metadata does not verify, throws TRUSTED_ROOT_UNAVAILABLE: there is no silent fallback to an
 * older root, since whoever asked for a refresh asked not to trust the copy they already have.
 */
export async function refreshTrustedRoot(options: TrustedRootRefreshOptions): Promise<TrustedRootOptions> {
  const mirrorURL = (options.mirrorURL ?? PUBLIC_GOOD_TUF_MIRROR).replace(/\/+$/, '');
  const source = `TUF ${mirrorURL}`;
  let text: string;
  try {
    // Loaded here, not at start-up: an offline verification never loads the TUF client.
    const { initTUF } = await import('@sigstore/tuf');
    const tuf = await initTUF({
      mirrorURL,
      cachePath: options.cachePath,
      ...(options.rootPath !== undefined ? { rootPath: options.rootPath } : {}),
      timeout: options.timeoutMs ?? 5000,
      retry: { retries: options.retries ?? 1, factor: 1, minTimeout: 100, maxTimeout: 500 },
    });
    text = await tuf.getTarget('trusted_root.json');
  } catch (err) {
    const hint = (err as { code?: unknown }).code === 'TUF_INIT_CACHE_ERROR' ? ' (a mirror other than the public-good one needs its initial TUF root.json: --tuf-root)' : '';
    throw new ProvenantError('TRUSTED_ROOT_UNAVAILABLE', `cannot refresh the trusted root from ${mirrorURL} through TUF: ${reason(err)}${hint}`, { cause: err });
  }
  return { root: parseTrustedRootText(text, source), source };
}

/**
 * Where TUF metadata is cached by default: `provenant/tuf` under the OS cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows).
 */
export function defaultTufCachePath(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'provenant', 'tuf');
  if (platform === 'win32') return join(env['LOCALAPPDATA'] || join(home, 'AppData', 'Local'), 'provenant', 'tuf');
  return join(env['XDG_CACHE_HOME'] || join(home, '.cache'), 'provenant', 'tuf');
}

/** The innermost message of a TUF error chain (TUFError wraps tuf-js's, which wraps fetch's). */
function reason(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(`${typeof code === 'string' ? `${code} ` : ''}${e.message}`.split('\n')[0]!);
  }
  return parts.length > 0 ? parts.join(': ') : String(err);
}
