import { readFile, stat } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import {
  KeySigner,
  type KeylessSigningOptions,
  type OidcContext,
  ProvenantError,
  type SigstoreServices,
  certificateIdentityOf,
  loadPrivateKey,
  parseSigningConfig,
  processOidcContext,
  selectIdentityProvider,
  selectServices,
  serializeBundle,
  servicesFromFlags,
  signStatementKeyless,
  signStatementToBundle,
  signToEnvelope,
  writeFileAtomic,
} from '@provenant/core';
import { optionalSecretEnv } from './secret-env.ts';

/** The signing flags `attest` and `sign` share (see addSigningOptions in main.ts). */
export interface SignFlags {
  key?: string;
  keyPassphraseEnv?: string;
  out: string;
  format: 'sigstore' | 'intoto-jsonl';
  /** Keyless: a Fulcio certificate for this job's OIDC identity, logged in Rekor. */
  keyless?: boolean;
  /** `TOKEN` or `@FILE`. */
  identityToken?: string;
  signingConfig?: string;
  fulcioUrl?: string;
  rekorUrl?: string;
  rekorVersion?: '1' | '2';
  tsaUrl?: string;
  /** False with `--no-tlog`. */
  tlog?: boolean;
  sigstoreRetries?: string;
}

/** How a statement will be signed; settled before any hashing, so a bad key or a missing permission fails fast. */
export type Signing =
  | { kind: 'key'; key: KeyObject }
  | { kind: 'keyless'; options: KeylessSigningOptions; identitySource: string };

/** Identity-token and signing-config files are small; anything bigger is a mistake. */
const MAX_SMALL_FILE_BYTES = 1024 * 1024;

/** Where keyless signing finds a token: said whenever none was found. */
const WHERE_TOKENS_ARE =
  'run where an OIDC token is available (GitHub Actions with `permissions: id-token: write`, GitLab CI `id_tokens:`, Buildkite, CircleCI, ' +
  'or SIGSTORE_ID_TOKEN) or pass --identity-token TOKEN|@FILE';
const HOW_TO_SIGN = `give --key FILE, or ${WHERE_TOKENS_ARE} for keyless signing`;

/**
 * Decides between key and keyless signing. `--key` signs with the key. Otherwise keyless: asked
 * for with `--keyless` (or any keyless option), or chosen because an OIDC token is available here
 * (in CI). With neither a key nor a token: USAGE, saying what to add.
 */
export async function prepareSigning(flags: SignFlags, ctx: OidcContext = processOidcContext()): Promise<Signing> {
  const keylessOptions = keylessOptionsGiven(flags);
  if (flags.key) {
    if (flags.keyless || keylessOptions.length > 0) {
      throw new ProvenantError('USAGE', `--key cannot be combined with ${flags.keyless ? '--keyless' : keylessOptions.join(', ')}: choose key or keyless signing`);
    }
    return { kind: 'key', key: await loadSigningKey(flags) };
  }
  const explicit = flags.keyless === true || keylessOptions.length > 0;
  if (flags.format === 'intoto-jsonl') {
    throw new ProvenantError('USAGE', explicit ? '--format intoto-jsonl needs --key: a keyless certificate and log entry only fit in a Sigstore bundle' : `no --key: ${HOW_TO_SIGN}`);
  }
  const identityToken = flags.identityToken !== undefined ? await readIdentityToken(flags.identityToken) : undefined;
  const selection = selectIdentityProvider(ctx, { identityToken });
  switch (selection.kind) {
    case 'none':
      if (explicit) throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', `keyless signing needs an OIDC token and none is available here: ${WHERE_TOKENS_ARE}`);
      throw new ProvenantError('USAGE', `no --key and no OIDC token: ${HOW_TO_SIGN}`);
    case 'missing':
      if (explicit) throw new ProvenantError('OIDC_TOKEN_UNAVAILABLE', selection.reason);
      throw new ProvenantError('USAGE', `no --key and no OIDC token: ${selection.reason} (or give --key FILE)`);
    case 'found': {
      const services = await servicesOf(flags, ctx.now());
      return { kind: 'keyless', identitySource: selection.source, options: { services, identityProvider: selection.provider, retries: retriesOf(flags) } };
    }
  }
}

/** Loads the signing key named by the flags. */
export async function loadSigningKey(flags: SignFlags): Promise<KeyObject> {
  if (!flags.key) throw new ProvenantError('USAGE', `no --key: ${HOW_TO_SIGN}`);
  const pem = await readFile(flags.key, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read key ${flags.key}: ${err.code ?? 'error'}`);
  });
  return loadPrivateKey(pem, optionalSecretEnv(flags.keyPassphraseEnv));
}

/** Signs payload bytes and writes the bundle (or DSSE JSONL line) atomically; returns how it was signed, for the user. */
export async function signAndWrite(payload: Buffer, signing: Signing, flags: SignFlags): Promise<{ signedBy: string; written: string }> {
  switch (signing.kind) {
    case 'key': {
      const signer = new KeySigner(signing.key);
      const text =
        flags.format === 'intoto-jsonl'
          ? `${JSON.stringify(signToEnvelope(payload, signing.key))}\n`
          : serializeBundle(await signStatementToBundle(payload, signer));
      await writeFileAtomic(flags.out, text);
      return { signedBy: `with key ${signer.keyId.slice(0, 16)}`, written: text };
    }
    case 'keyless': {
      const bundle = await signStatementKeyless(payload, signing.options);
      const written = serializeBundle(bundle);
      await writeFileAtomic(flags.out, written);
      const material = bundle.verificationMaterial;
      const entries = material.tlogEntries.length;
      const stamps = material.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
      return {
        signedBy:
          `keyless as ${certificateIdentityOf(bundle) ?? '(unknown identity)'} (OIDC token from ${signing.identitySource}; ` +
          `${entries} transparency log ${entries === 1 ? 'entry' : 'entries'}, ${stamps} timestamp${stamps === 1 ? '' : 's'})`,
        written,
      };
    }
  }
}

/** The keyless options given, by flag name: each one implies --keyless. */
function keylessOptionsGiven(flags: SignFlags): string[] {
  const given: [string, boolean][] = [
    ['--identity-token', flags.identityToken !== undefined],
    ['--signing-config', flags.signingConfig !== undefined],
    ['--fulcio-url', flags.fulcioUrl !== undefined],
    ['--rekor-url', flags.rekorUrl !== undefined],
    ['--rekor-version', flags.rekorVersion !== undefined],
    ['--tsa-url', flags.tsaUrl !== undefined],
    ['--no-tlog', flags.tlog === false],
    ['--sigstore-retries', flags.sigstoreRetries !== undefined],
  ];
  return given.filter(([, on]) => on).map(([name]) => name);
}

/** `--identity-token TOKEN` or `--identity-token @FILE` (which keeps the token out of the process list). */
async function readIdentityToken(value: string): Promise<string> {
  const token = value.startsWith('@') ? (await readSmallFile(value.slice(1), 'identity token file')).trim() : value.trim();
  if (token === '') throw new ProvenantError('USAGE', `--identity-token: ${value.startsWith('@') ? `${value.slice(1)} is empty` : 'empty token'}`);
  return token;
}

async function servicesOf(flags: SignFlags, now: Date): Promise<SigstoreServices> {
  const rekorVersion = flags.rekorVersion === undefined ? undefined : flags.rekorVersion === '2' ? 2 : 1;
  if (flags.signingConfig === undefined) {
    return servicesFromFlags({ fulcioURL: flags.fulcioUrl, rekorURL: flags.rekorUrl, rekorVersion, tsaURL: flags.tsaUrl, tlog: flags.tlog });
  }
  const urlFlags = [flags.fulcioUrl && '--fulcio-url', flags.rekorUrl && '--rekor-url', flags.tsaUrl && '--tsa-url'].filter(Boolean);
  if (urlFlags.length > 0) throw new ProvenantError('USAGE', `--signing-config cannot be combined with ${urlFlags.join(', ')}: the config names the services`);
  const config = parseSigningConfig(await readSmallFile(flags.signingConfig, 'signing config'), flags.signingConfig);
  return selectServices(config, { now, tlog: flags.tlog, rekorVersion });
}

function retriesOf(flags: SignFlags): number | undefined {
  if (flags.sigstoreRetries === undefined) return undefined;
  const n = Number(flags.sigstoreRetries);
  if (!/^\d+$/.test(flags.sigstoreRetries) || n > 10) throw new ProvenantError('USAGE', `--sigstore-retries: expected a whole number from 0 to 10, got ${flags.sigstoreRetries}`);
  return n;
}

async function readSmallFile(path: string, what: string): Promise<string> {
  const failed = (err: NodeJS.ErrnoException) => new ProvenantError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${err.code ?? 'error'}`);
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw failed(err);
  });
  if (!st.isFile()) throw new ProvenantError('FILE_UNREADABLE', `cannot read ${what} ${path}: not a regular file`);
  if (st.size > MAX_SMALL_FILE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${what} ${path} is over ${MAX_SMALL_FILE_BYTES} bytes`);
  return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw failed(err);
  });
}
