import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { KeySigner, ProvenantError, loadPrivateKey, serializeBundle, signStatementToBundle, signToEnvelope, writeFileAtomic } from '@provenant/core';
import { optionalSecretEnv } from './secret-env.ts';

export interface SignFlags {
  key?: string;
  keyPassphraseEnv?: string;
  out: string;
  format: 'sigstore' | 'intoto-jsonl';
}

/** Loads the signing key named by the flags: done first, so a bad key fails before any hashing. */
export async function loadSigningKey(flags: SignFlags): Promise<KeyObject> {
  if (!flags.key) {
    throw new ProvenantError('USAGE', '--key is required: keyless (Fulcio/Rekor) signing is not available in this version');
  }
  const pem = await readFile(flags.key, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read key ${flags.key}: ${err.code ?? 'error'}`);
  });
  return loadPrivateKey(pem, optionalSecretEnv(flags.keyPassphraseEnv));
}

/** Signs payload bytes and writes the bundle (or DSSE JSONL line) atomically. */
export async function signAndWrite(payload: Buffer, key: KeyObject, flags: SignFlags): Promise<{ keyId: string }> {
  const signer = new KeySigner(key);
  const text =
    flags.format === 'intoto-jsonl'
      ? `${JSON.stringify(signToEnvelope(payload, key))}\n`
      : serializeBundle(await signStatementToBundle(payload, signer));
  await writeFileAtomic(flags.out, text);
  return { keyId: signer.keyId };
}
