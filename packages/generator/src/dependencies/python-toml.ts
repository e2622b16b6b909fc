import { parse } from 'smol-toml';
import { lockfileInvalid } from './lockfile-json.ts';

/** Parses a TOML lockfile, turning any parse error into LOCKFILE_INVALID (first line of the message only). */
export function readTomlLockfile(text: string, source: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    throw lockfileInvalid(source, `not valid TOML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Parses a manifest beside a lockfile; undefined when it is not valid TOML (a broken manifest only means "direct unknown"). */
export function readTomlManifest(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
