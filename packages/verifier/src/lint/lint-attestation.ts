import { type LoadedAttestation, ProvenantError } from '@provenant/core';
import { parseAttestationText } from '../load-attestations.ts';
import { duplicateKeyPaths } from './json-duplicates.ts';
import { type LintIssue, childPath, isObject, lintIssue, show } from './lint-issue.ts';
import { lintStatement } from './statement-rules.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// The in-toto envelope spec: `application/vnd.in-toto+json` or `application/vnd.in-toto.<predicate>+json`.
const INTOTO_PAYLOAD_TYPE = /^application\/vnd\.in-toto(?:\.[a-z0-9][a-z0-9._-]*)?\+json$/;
const ENVELOPE_FIELDS = new Set(['payload', 'payloadType', 'signatures']);
const SIGNATURE_FIELDS = new Set(['sig', 'keyid']);

/**
 * Spec-conformance problems of one attestation: a loaded bundle or DSSE envelope (its payload
 * bytes: UTF-8, duplicate keys, JSON, then the statement), or a statement already parsed from JSON.
 * A message signature (a signed blob) holds no statement and yields nothing. Checks nothing
 * cryptographic: run verify for that. The envelope's own JSON fields are gone once loaded; lintText
 * checks those too.
 */
export function lintAttestation(input: LoadedAttestation | unknown): LintIssue[] {
  if (!isLoadedAttestation(input)) return lintStatement(input);
  if (input.kind === 'envelope') return lintPayload(input.envelope.payloadType, input.envelope.payload, '');
  const { content } = input.bundle;
  if (content.$case !== 'dsseEnvelope') return [];
  return lintPayload(content.dsseEnvelope.payloadType, content.dsseEnvelope.payload, 'dsseEnvelope.');
}

/**
 * Lints a file's content: a Sigstore bundle, a DSSE envelope, JSON Lines of either, or a bare
 * statement. Adds the checks only the text allows (duplicate keys, non-standard envelope fields).
 * Throws BUNDLE_MALFORMED when the text is none of those (as verify would refuse it).
 */
export function lintText(input: string | Uint8Array, source = 'input'): LintIssue[] {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = UTF8.decode(input);
    } catch {
      return [lintIssue('JSON_NOT_UTF8', '', `${source} is not UTF-8: JSON text must be`)];
    }
  }
  const whole = tryJson(text);
  if (whole.ok) return lintDocument(whole.value, text, source, '');
  const issues: LintIssue[] = [];
  let index = 0;
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    const parsed = tryJson(line);
    if (!parsed.ok) throw new ProvenantError('BUNDLE_MALFORMED', `${source}:${n + 1}: not JSON (${parsed.error})`);
    issues.push(...lintDocument(parsed.value, line, `${source}:${n + 1}`, `attestations[${index++}]`));
  });
  if (index === 0) throw new ProvenantError('BUNDLE_MALFORMED', `${source} is empty`);
  return issues;
}

function lintDocument(value: unknown, text: string, source: string, prefix: string): LintIssue[] {
  if (!isObject(value)) throw new ProvenantError('BUNDLE_MALFORMED', `${source}: expected a JSON object`);
  const issues = duplicateKeyPaths(text).map((path) => lintIssue('JSON_DUPLICATE_KEY', path, `${path} occurs twice in one object: parsers disagree about which one counts`));
  if (typeof value.mediaType === 'string') {
    issues.push(...lintEnvelopeFields(value.dsseEnvelope, 'dsseEnvelope'));
  } else if ('payloadType' in value || 'payload' in value || 'signatures' in value) {
    issues.push(...lintEnvelopeFields(value, ''));
  } else if ('_type' in value || 'predicateType' in value || 'subject' in value) {
    return withPrefix([...issues, ...lintStatement(value)], prefix);
  } else {
    throw new ProvenantError('BUNDLE_MALFORMED', `${source}: neither a Sigstore bundle, a DSSE envelope nor an in-toto statement`);
  }
  for (const att of parseAttestationText(text, source)) issues.push(...lintAttestation(att));
  return withPrefix(issues, prefix);
}

/** The payload of a DSSE envelope; `at` is where the envelope sits (`dsseEnvelope.` or empty). */
function lintPayload(payloadType: string, payload: Uint8Array, at: string): LintIssue[] {
  const issues: LintIssue[] = [];
  const intoto = INTOTO_PAYLOAD_TYPE.test(payloadType);
  if (!intoto) {
    issues.push(lintIssue('PAYLOAD_TYPE_NONSTANDARD', `${at}payloadType`, `payloadType ${show(payloadType)} is not application/vnd.in-toto+json: not an in-toto attestation${payloadType.toLowerCase().includes('in-toto') ? '' : ', so its payload is not checked'}`));
  }
  let text: string;
  try {
    text = UTF8.decode(payload);
  } catch {
    issues.push(lintIssue('JSON_NOT_UTF8', `${at}payload`, 'the payload is not UTF-8: JSON text must be'));
    return issues;
  }
  const parsed = tryJson(text);
  // A payload of another type that is not a statement is another kind of signed document.
  if (!intoto && !(parsed.ok && isObject(parsed.value) && '_type' in parsed.value)) return issues;
  if (!parsed.ok) {
    issues.push(lintIssue('PAYLOAD_NOT_JSON', `${at}payload`, `the payload is not JSON: ${parsed.error}`));
    return issues;
  }
  for (const path of duplicateKeyPaths(text)) {
    issues.push(lintIssue('JSON_DUPLICATE_KEY', path, `${path} occurs twice in one object of the payload: parsers disagree about which one counts`));
  }
  issues.push(...lintStatement(parsed.value));
  return issues;
}

/** DSSE defines `payload`, `payloadType` and `signatures[].sig`/`keyid`; consumers ignore anything else. */
function lintEnvelopeFields(envelope: unknown, path: string): LintIssue[] {
  if (!isObject(envelope)) return [];
  const issues: LintIssue[] = [];
  for (const key of Object.keys(envelope)) {
    if (!ENVELOPE_FIELDS.has(key)) issues.push(lintIssue('DSSE_FIELD_NONSTANDARD', childPath(path, key), `${key} is not a DSSE envelope field; verifiers ignore it`));
  }
  if (Array.isArray(envelope.signatures)) {
    envelope.signatures.forEach((sig, i) => {
      if (!isObject(sig)) return;
      for (const key of Object.keys(sig)) {
        if (!SIGNATURE_FIELDS.has(key)) issues.push(lintIssue('DSSE_FIELD_NONSTANDARD', childPath(childPath(childPath(path, 'signatures'), i), key), `${key} is not a DSSE signature field; verifiers ignore it`));
      }
    });
  }
  return issues;
}

function isLoadedAttestation(value: unknown): value is LoadedAttestation {
  if (!isObject(value) || '_type' in value) return false;
  return (value.kind === 'bundle' && isObject(value.bundle)) || (value.kind === 'envelope' && isObject(value.envelope));
}

function withPrefix(issues: LintIssue[], prefix: string): LintIssue[] {
  if (prefix === '') return issues;
  return issues.map((issue) => ({ ...issue, path: issue.path === '' ? prefix : `${prefix}.${issue.path}` }));
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
}
