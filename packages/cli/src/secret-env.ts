import { ProvenantError } from '@provenant/core';

/** Reads a secret (a passphrase) from a named environment variable; the value is never printed. */
export function readSecretEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new ProvenantError('USAGE', `environment variable ${name} is not set or empty`);
  return value;
}

/** Like readSecretEnv, but an unset variable means "no passphrase". */
export function optionalSecretEnv(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
