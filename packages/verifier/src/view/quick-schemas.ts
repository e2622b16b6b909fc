import { STATEMENT_V1_TYPE } from '@provenant/core/verification';

/**
 * Core's Statement v1 and SLSA Provenance v1 schemas as hand-written tests, for values JSON.parse
 * returned (plain objects and arrays: no symbols, getters, holes or prototypes to worry about).
 * Real provenance lists hundreds of dependencies, and zod's field-by-field parse of each
 * ResourceDescriptor costs more than the signature check of the whole statement; in a worker
 * thread that has just started, zod's code is also not yet compiled.
 *
 * Each test accepts a subset of what its schema accepts, never more, and leaves to the schema
 * whatever it does not decide exactly: `content` (base64), a `__proto__` key (which zod drops from
 * what it returns). A value a test accepts is read as it is, which is what its schema would
 * return, field for field; a value it refuses is parsed with core's schema, whose issues (never
 * these tests) are what a finding reports. `quick-schemas.test.ts` holds them to that.
 */

/** StatementV1Schema: `_type`, a non-empty list of subjects, a predicate type and, optionally, an object predicate. */
export function isStatementV1(value: unknown): boolean {
  return (
    isLooseObject(value) &&
    value._type === STATEMENT_V1_TYPE &&
    isList(value.subject, isSubject, 1) &&
    isNonEmptyString(value.predicateType) &&
    (value.predicate === undefined || isRecord(value.predicate))
  );
}

/** ProvenanceV1Schema: buildDefinition and runDetails, with their lists of ResourceDescriptors. */
export function isProvenanceV1(value: unknown): boolean {
  if (!isLooseObject(value)) return false;
  const { buildDefinition: build, runDetails: run } = value;
  if (!isLooseObject(build) || !isNonEmptyString(build.buildType) || !isRecord(build.externalParameters)) return false;
  if (build.internalParameters !== undefined && !isRecord(build.internalParameters)) return false;
  if (build.resolvedDependencies !== undefined && !isList(build.resolvedDependencies, isResourceDescriptor, 0)) return false;
  if (!isLooseObject(run) || !isLooseObject(run.builder) || !isNonEmptyString(run.builder.id)) return false;
  if (run.builder.version !== undefined && !isRecord(run.builder.version, true)) return false;
  if (run.builder.builderDependencies !== undefined && !isList(run.builder.builderDependencies, isResourceDescriptor, 0)) return false;
  if (run.metadata !== undefined && !isMetadata(run.metadata)) return false;
  return run.byproducts === undefined || isList(run.byproducts, isResourceDescriptor, 0);
}

/** runDetails.metadata: `invocationId` a string, `startedOn`/`finishedOn` timestamps, when present. */
function isMetadata(value: unknown): boolean {
  return (
    isLooseObject(value) &&
    (value.invocationId === undefined || typeof value.invocationId === 'string') &&
    (value.startedOn === undefined || isDateTime(value.startedOn)) &&
    (value.finishedOn === undefined || isDateTime(value.finishedOn))
  );
}

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * core's `Timestamp` (`z.iso.datetime({ offset: true })`): RFC 3339 with seconds, `Z` or a `±hh:mm`
 * offset, and a day that exists in its month (Gregorian leap years), as zod's pattern has it.
 */
export function isDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** A subject of a v1 statement: a ResourceDescriptor with a non-empty digest (core's SubjectSchema). */
export function isSubject(value: unknown): boolean {
  if (!isResourceDescriptor(value)) return false;
  for (const _ in (value as { digest?: object }).digest) return true;
  return false;
}

/**
 * ResourceDescriptorSchema: `uri`, `name`, `downloadLocation` and `mediaType` non-empty strings
 * when present, `digest` a DigestSet, `annotations` an object, and a `uri` or a `digest`. False
 * also for what it leaves to the schema: a `content` field, a `__proto__` key.
 */
export function isResourceDescriptor(value: unknown): boolean {
  if (!isObject(value)) return false;
  let anchored = false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'uri':
        if (!isNonEmptyString(field)) return false;
        anchored = true;
        break;
      case 'digest':
        if (!isDigestSet(field)) return false;
        anchored = true;
        break;
      case 'name':
      case 'downloadLocation':
      case 'mediaType':
        if (!isNonEmptyString(field)) return false;
        break;
      case 'annotations':
        if (!isRecord(field)) return false;
        break;
      case 'content':
      case '__proto__':
        return false;
    }
  }
  return anchored;
}

/** DigestSetSchema: non-empty keys to non-empty strings. */
function isDigestSet(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) {
    const hex = value[key];
    if (key.length === 0 || key === '__proto__' || !isNonEmptyString(hex)) return false;
  }
  return true;
}

/** `z.record(z.string(), z.unknown())`, or of strings: an object without a `__proto__` key. */
function isRecord(value: unknown, ofStrings = false): boolean {
  if (!isObject(value)) return false;
  for (const key in value) if (key === '__proto__' || (ofStrings && typeof value[key] !== 'string')) return false;
  return true;
}

/** `z.looseObject`: any object, but one with a `__proto__` key is left to zod. */
function isLooseObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value);
}

function isList(value: unknown, element: (value: unknown) => boolean, min: number): boolean {
  return Array.isArray(value) && value.length >= min && value.every(element);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
