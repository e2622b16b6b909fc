import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, STATEMENT_V01_TYPE, STATEMENT_V1_TYPE } from '@provenant/core/verification';
import { coreSchemas } from '../lazy-modules.ts';
import type { Finding } from '../finding.ts';
import { formatPath } from '../issue-path.ts';
import { parsePayloadJson } from '../read-payload.ts';
import type { PredicateView, ProvenanceView } from './provenance-view.ts';
import { isProvenanceV1, isStatementV1 } from './quick-schemas.ts';
import { viewOfSlsaV02 } from './slsa-v02.ts';
import { viewOfSlsaV1 } from './slsa-v1.ts';

/** The result of reading a statement: its view, or why it has none. */
export type StatementReading =
  | { kind: 'unreadable'; finding: Finding }
  /** `predicateFinding` is set when a known predicate type fails its schema; the view then has no predicate fields. */
  | { kind: 'statement'; view: ProvenanceView; predicateFinding?: Finding };

interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/**
 * A schema, and optionally a quicker test of parsed JSON that accepts a subset of it, read as it is
 * (quick-schemas.ts). `exact` is core's zod schema, loaded on first use: a statement the quick test
 * accepts never needs it, so verification workers do not load zod at all.
 */
interface Schema<T> {
  exact: () => SafeParser<T>;
  quick?: (json: unknown) => boolean;
}

interface Adapter<T> {
  schema: Schema<T>;
  adapt(predicate: T): PredicateView;
}

/** One adapter per predicate version. Other predicate types get a view without predicate fields. */
const ADAPTERS: Record<string, Adapter<never>> = {
  [SLSA_PROVENANCE_V1]: { schema: { exact: () => coreSchemas().ProvenanceV1Schema, quick: isProvenanceV1 }, adapt: viewOfSlsaV1 } as Adapter<never>,
  [SLSA_PROVENANCE_V02]: { schema: { exact: () => coreSchemas().ProvenanceV02Schema }, adapt: viewOfSlsaV02 } as Adapter<never>,
};

const STATEMENT_SCHEMAS: Record<string, Schema<{ _type: string; predicateType: string; subject: { name?: string; digest?: Record<string, string> }[]; predicate?: unknown }>> = {
  [STATEMENT_V1_TYPE]: { exact: () => coreSchemas().StatementV1Schema, quick: isStatementV1 },
  [STATEMENT_V01_TYPE]: { exact: () => coreSchemas().StatementV01Schema },
};

/**
 * With `fromJson` (the value is what JSON.parse returned), the value as it is when the quick test
 * accepts it; otherwise the exact schema's result, whose issues are the ones reported.
 */
function parse<T>(schema: Schema<T>, value: unknown, fromJson: boolean): ReturnType<SafeParser<T>['safeParse']> {
  if (fromJson && schema.quick?.(value) === true) return { success: true, data: value as T };
  return schema.exact().safeParse(value);
}

/**
 * Reads a parsed in-toto statement (v1 or v0.1) into the version-independent view, validating the
 * statement and, for SLSA provenance, the predicate against core's schemas.
 */
export function toProvenanceView(json: unknown): StatementReading {
  return read(json, false);
}

/**
 * Parses payload bytes as JSON (not UTF-8 is not JSON either) and reads the statement as
 * toProvenanceView does, with the same result, sooner: parsed here, the value is known to be
 * plain JSON, which lets long lists of ResourceDescriptors be checked without zod (quick-schemas.ts).
 */
export function readPayloadStatement(payload: Uint8Array): { ok: true; value: unknown; reading: StatementReading } | { ok: false; error: string } {
  const json = parsePayloadJson(payload);
  return json.ok ? { ok: true, value: json.value, reading: read(json.value, true) } : json;
}

function read(json: unknown, fromJson: boolean): StatementReading {
  const type = (json as { _type?: unknown } | null)?._type;
  const schema = typeof type === 'string' ? STATEMENT_SCHEMAS[type] : undefined;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || schema === undefined) {
    return {
      kind: 'unreadable',
      finding: {
        code: 'STATEMENT_INVALID',
        message: `payload is not an in-toto statement: _type must be ${STATEMENT_V1_TYPE} or ${STATEMENT_V01_TYPE}`,
        path: '_type',
        expected: [STATEMENT_V1_TYPE, STATEMENT_V01_TYPE],
        actual: type,
      },
    };
  }
  const statement = parse(schema, json, fromJson);
  if (!statement.success) return { kind: 'unreadable', finding: issueFinding('statement', statement.error.issues, '') };
  const { _type, predicateType, subject, predicate } = statement.data;
  const view: ProvenanceView = {
    statementType: _type,
    predicateType,
    subjects: subject.map((s) => (s.name === undefined ? { digest: s.digest ?? {} } : { name: s.name, digest: s.digest ?? {} })),
    dependencies: [],
    locations: {},
  };
  const adapter = ADAPTERS[predicateType] as Adapter<unknown> | undefined;
  if (adapter === undefined) return { kind: 'statement', view };
  const parsed = parse(adapter.schema, predicate, fromJson);
  if (!parsed.success) {
    return { kind: 'statement', view, predicateFinding: issueFinding(`${predicateType} predicate`, parsed.error.issues, 'predicate') };
  }
  return { kind: 'statement', view: { ...view, ...adapter.adapt(parsed.data) } };
}

function issueFinding(what: string, issues: readonly { path: PropertyKey[]; message: string }[], prefix: string): Finding {
  const first = issues[0];
  const path = formatPath(first?.path ?? [], prefix);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    code: 'STATEMENT_INVALID',
    message: `invalid ${what}${path ? ` at ${path}` : ''}: ${first?.message ?? 'does not match its schema'}${more}`,
    ...(path ? { path } : {}),
  };
}
