import { ProvenantError } from '@provenant/core';

/** The LOCKFILE_INVALID error every format throws: `<path>: <what is wrong>`. */
export function lockfileInvalid(source: string, what: string): ProvenantError {
  return new ProvenantError('LOCKFILE_INVALID', `${source}: ${what}`);
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Describes a JSON value's type for error messages without echoing (possibly huge) content. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Parses a JSON lockfile whose top level must be an object. A leading byte-order mark is
 * tolerated, as the package managers do; JSON.parse alone would refuse it.
 */
export function parseJsonLockfile(text: string, source: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw lockfileInvalid(source, `not valid JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(data)) throw lockfileInvalid(source, `expected a JSON object, got ${jsonType(data)}`);
  return data;
}
