import { access } from 'node:fs/promises';
import { type KeyType, ProvenantError, generateKeyPair, writeFileAtomic } from '@provenant/core';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { readSecretEnv } from '../secret-env.ts';

interface KeygenOptions {
  out: string;
  type: KeyType;
  passphraseEnv?: string;
  force?: boolean;
}

export async function run(options: KeygenOptions, _cmd: unknown, io: Io): Promise<number> {
  const keyPath = `${options.out}.key`;
  const pubPath = `${options.out}.pub`;
  if (!options.force) {
    for (const path of [keyPath, pubPath]) {
      if (await exists(path)) throw new ProvenantError('USAGE', `${path} exists; pass --force to overwrite`);
    }
  }
  const passphrase = options.passphraseEnv ? readSecretEnv(options.passphraseEnv) : undefined;
  const pair = generateKeyPair(options.type, passphrase);
  await writeFileAtomic(keyPath, pair.privateKeyPem, { mode: 0o600 });
  await writeFileAtomic(pubPath, pair.publicKeyPem, { mode: 0o644 });
  io.stderr(`wrote ${keyPath} (${options.type}${passphrase ? ', encrypted' : ''}) and ${pubPath}; key id ${pair.keyId}\n`);
  return EXIT.OK;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
