import { isCredentialUserinfo, parseUrlParts } from './url-credentials.ts';

/*
 * Secret detection for values that might end up in a signed, often public, attestation.
 * A false positive costs one redacted value; a false negative leaks a credential forever.
 * Both checks therefore lean towards redacting.
 */

/**
 * Name parts (after splitting on `_`, `-`, `.`, `/`, `:` and camelCase) that mark a variable as
 * sensitive. Whole parts only, so `PATH` does not match `PAT`, `PASSENGER` not `PASS`, and
 * `KEYBOARD`/`KEYMAP` not `KEY`.
 */
const SENSITIVE_PARTS = new Set([
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'PWD',
  'PW',
  'KEY',
  'KEYS',
  'KEYFILE',
  'KEYSTORE',
  'KEYRING',
  'KEYCHAIN',
  'CREDENTIAL',
  'CREDENTIALS',
  'CRED',
  'CREDS',
  'AUTH',
  'OAUTH',
  'AUTHORIZATION',
  'BEARER',
  'PRIVATE',
  'CERT',
  'CERTS',
  'CERTIFICATE',
  'CERTIFICATES',
  'PEM',
  'PFX',
  'P12',
  'SESSION',
  'COOKIE',
  'COOKIES',
  'SIGNATURE',
  'SIG',
  'HMAC',
  'SALT',
  'OTP',
  'TOTP',
  'MFA',
  'PAT',
  'DSN',
  'JWT',
  'SAS',
  'WEBHOOK',
  'WEBHOOKS',
]);

/**
 * Substrings of the name with separators removed. They catch glued words such as `AUTHTOKEN`,
 * `CLIENTSECRET`, `APIKEY` or `CONNECTION_STRING`; the price is the odd harmless name such as
 * `TOKENIZER_PARALLELISM`, which is then recorded by name only.
 */
const SENSITIVE_SUBSTRINGS = [
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'PRIVATEKEY',
  'APIKEY',
  'ACCESSKEY',
  'CONNECTIONSTRING',
  'CONNSTR',
  'DATABASEURL',
  'DBURL',
];

/**
 * Well-known names, listed so the intent is explicit (most also match the rules above), plus
 * URL-valued variables that conventionally embed a password (`postgres://user:pass@db/app`) or,
 * for GitLab's `CI_REPOSITORY_URL`, the job token.
 */
const SENSITIVE_NAMES = new Set([
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'CI_JOB_TOKEN',
  'CI_JOB_JWT',
  'CI_JOB_JWT_V1',
  'CI_JOB_JWT_V2',
  'CI_BUILD_TOKEN',
  'CI_REGISTRY_PASSWORD',
  'CI_DEPLOY_PASSWORD',
  'CI_DEPENDENCY_PROXY_PASSWORD',
  'CI_RUNNER_SHORT_TOKEN',
  'CI_TRIGGER_SHORT_TOKEN',
  'CI_REPOSITORY_URL',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'GH_TOKEN',
  'GITHUB_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITLAB_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'ARM_CLIENT_SECRET',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'DOCKER_AUTH_CONFIG',
  'TWINE_PASSWORD',
  'VAULT_TOKEN',
  'SENTRY_DSN',
  'DATABASE_URL',
  'REDIS_URL',
  'MONGODB_URI',
  'MONGO_URL',
  'AMQP_URL',
  'RABBITMQ_URL',
  'TRIGGER_PAYLOAD',
]);

/** The shell's working directory variables contain "PWD" but are paths, not passwords. */
const NOT_SENSITIVE_NAMES = new Set(['PWD', 'OLDPWD']);

/** Splits `npm_config__authToken` into NPM, CONFIG, AUTH, TOKEN. */
function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((part) => part !== '');
}

/**
 * True when a variable (or query parameter) name suggests its value is a secret. Case-insensitive;
 * `API_KEY`, `apiKey`, `MY_SSHKEY`, `GITHUB_TOKEN`, `npm_config_//registry.npmjs.org/:_authToken`
 * all match. Any name part ending in KEY matches (so `SIGNINGKEY`, but also `MONKEY`): when in
 * doubt the value is redacted, which only costs information.
 */
export function isSensitiveName(name: string): boolean {
  const upper = name.toUpperCase();
  if (NOT_SENSITIVE_NAMES.has(upper)) return false;
  if (SENSITIVE_NAMES.has(upper)) return true;
  const parts = nameParts(name);
  if (parts.some((part) => SENSITIVE_PARTS.has(part) || part.endsWith('KEY'))) return true;
  const compact = parts.join('');
  return SENSITIVE_SUBSTRINGS.some((s) => compact.includes(s));
}

/** Shapes of credentials whose format is published by their issuer. */
const SECRET_PATTERNS: readonly RegExp[] = [
  // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs.
  /\bgh[pousr]_[A-Za-z0-9]{36,}/,
  /\bgithub_pat_[A-Za-z0-9_]{22,}/,
  // npm automation/publish tokens.
  /\bnpm_[A-Za-z0-9]{36}\b/,
  // AWS access key ids (long-term AKIA, temporary ASIA).
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/,
  // Google API keys, and any service-account key file pasted into a variable.
  /\bAIza[0-9A-Za-z_-]{35}/,
  /"private_key"\s*:/,
  // Slack tokens and incoming-webhook URLs.
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/,
  // GitLab personal/project/group, deploy, runner, trigger, CI job, feed, OAuth and SCIM tokens.
  /\bgl(?:pat|dt|rt|ptt|cbt|ft|oas|soat|imt)-[A-Za-z0-9_-]{20,}/,
  // Stripe secret and restricted keys.
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}/,
  // JWTs: base64url JSON header (always `eyJ`), payload and (possibly empty) signature.
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/,
  // PEM and PGP private keys (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK).
  /-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----/,
];

const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>]+/g;

/** A URL carrying userinfo credentials or a query parameter named like a secret. */
function containsCredentialUrl(value: string): boolean {
  for (const [url] of value.matchAll(URL_IN_TEXT)) {
    const parts = parseUrlParts(url);
    if (!parts) continue;
    if (isCredentialUserinfo(parts.scheme, parts.userinfo)) return true;
    if (parts.query !== undefined) {
      for (const pair of parts.query.split('&')) {
        const rawName = pair.split('=', 1)[0]!;
        let paramName = rawName;
        try {
          paramName = decodeURIComponent(rawName);
        } catch {
          // A malformed escape: judge the raw name.
        }
        if (paramName !== '' && isSensitiveName(paramName)) return true;
      }
    }
  }
  return false;
}

/*
 * High-entropy detection.
 *
 * Candidates are runs of >= 20 characters of the base64/base64url alphabet (`.`, `:`, `@`, spaces
 * and the like end a run, so dotted versions, host names and URLs fall apart into short pieces).
 * A run is flagged when all of these hold:
 *
 * 1. It has a segment (between `-`, `_`, `/`) of >= 12 characters that is not pure hex. Hex is
 *    what commit ids, digests and UUIDs look like, all of which provenance records on purpose
 *    (GITHUB_SHA, CI_COMMIT_SHA); hex-formatted secrets must be caught by their name. Identifiers
 *    and paths are made of short segments; tokens mostly are not.
 * 2. It mixes at least two of lower case, upper case and digits.
 * 3. Its Shannon entropy is >= 0.88 of the entropy EXPECTED of a uniformly random string of the
 *    same length over the same alphabet. A fixed bits-per-character threshold cannot work at these
 *    lengths: a 20-character string can never exceed log2(20) = 4.32 bits, while random base62
 *    reaches ~4.0 at 20 and ~5.2 at 64 characters. Measured over 3,000 random strings per case,
 *    the 1st percentile of this ratio is 0.90 (base62, 20 chars), 0.88 (lowercase+digits, 20) and
 *    >= 0.93 from 40 characters on.
 * 4. Its "words" are short: the mean length of its camelCase / letter / digit chunks is <= 3.
 *    Entropy alone cannot tell `selfHostedRunnerGroupNameForLinuxArm64` (ratio 0.92) from a token;
 *    identifiers split into real words (mean >= 3.25 in a corpus of CI values), random strings
 *    into 1-2 character fragments.
 *
 * Measured detection: >= 93% of random base62/base64 strings at 20 characters and ~100% from 32;
 * ~80% of lowercase+digit and ~85-100% of base64url strings; only ~40-55% of upper-case base32
 * (its letter runs look like words). No false positive on a corpus of paths, refs, job and image
 * names, versions, UUIDs and runner names. Entropy is a backstop: names and known formats above
 * are the primary defence.
 */
const CANDIDATE_RUN = /[A-Za-z0-9+/=_-]{20,}/g;
const HEX = /^[0-9a-fA-F]+$/;
const ENTROPY_RATIO_THRESHOLD = 0.88;
const MAX_MEAN_WORD_LENGTH = 3;
const MIN_SEGMENT_LENGTH = 12;
// Longer runs are judged by their start: enough to tell random from not, and bounded work.
const MAX_RUN_ANALYSED = 512;

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The expected empirical entropy of n characters drawn uniformly from k symbols. By linearity it is
 * k * E[-(X/n) log2(X/n)] with X ~ Binomial(n, 1/k); probabilities are carried in log space so long
 * runs do not underflow.
 */
function expectedRandomEntropy(n: number, k: number): number {
  const p = 1 / k;
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logProbability = n * Math.log1p(-p); // P(X = 0)
  let sum = 0;
  for (let c = 1; c <= n; c++) {
    logProbability += Math.log((n - c + 1) / c) + logOdds;
    const q = c / n;
    sum -= Math.exp(logProbability) * q * Math.log2(q);
  }
  return k * sum;
}

function isHighEntropyRun(run: string): boolean {
  const text = run.slice(0, MAX_RUN_ANALYSED).replace(/=+$/, '');
  if (text.length < 20) return false;
  const segments = text.split(/[-_/]+/);
  if (!segments.some((s) => s.length >= MIN_SEGMENT_LENGTH && !HEX.test(s))) return false;
  const hasLower = /[a-z]/.test(text);
  const hasUpper = /[A-Z]/.test(text);
  const hasDigit = /[0-9]/.test(text);
  if (Number(hasLower) + Number(hasUpper) + Number(hasDigit) < 2) return false;
  const symbols = new Set(text.replace(/[A-Za-z0-9]/g, '')).size;
  const alphabet = (hasLower ? 26 : 0) + (hasUpper ? 26 : 0) + (hasDigit ? 10 : 0) + symbols;
  if (shannonEntropy(text) < ENTROPY_RATIO_THRESHOLD * expectedRandomEntropy(text.length, alphabet)) return false;
  const words = text.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g) ?? [];
  const letters = words.reduce((total, word) => total + word.length, 0);
  return words.length > 0 && letters / words.length <= MAX_MEAN_WORD_LENGTH;
}

/**
 * True when a value looks like (or contains) a credential: a known token format, a private key, a
 * URL with embedded credentials or a secret-named query parameter, or a high-entropy token (see the
 * comment above for the exact rule). Git commit ids, digests, UUIDs, paths, versions, plain URLs
 * and ordinary words do not match.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.trim() === '') return false;
  if (SECRET_PATTERNS.some((pattern) => pattern.test(value))) return true;
  if (containsCredentialUrl(value)) return true;
  for (const [run] of value.matchAll(CANDIDATE_RUN)) {
    if (isHighEntropyRun(run)) return true;
  }
  return false;
}
