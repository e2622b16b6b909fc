import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Test-only: validates JSON against the CycloneDX JSON schemas the library ships
 * (`res/schema/bom-1.6.SNAPSHOT.schema.json` and the spdx/jsf files it references), offline.
 *
 * The library's own JsonStrictValidator needs ajv, ajv-formats and ajv-formats-draft2019, which are
 * optional peer dependencies we do not install. This covers the draft-07 keywords those schemas use:
 * type, properties, additionalProperties, required, enum, const, items, additionalItems, minItems,
 * maxItems, uniqueItems, pattern, minLength, maxLength, minimum, maximum, oneOf, anyOf, allOf, not,
 * $ref (local and to the sibling files) and the formats date-time, iri-reference and uri.
 * Formats that cannot occur in our output (email, idn-email, iri...) are not checked.
 */
type Schema = Record<string, unknown> | boolean;

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const FILES: Record<string, string> = {
  'http://cyclonedx.org/schema/bom-1.6.schema.json': 'bom-1.6.SNAPSHOT.schema.json',
  'spdx.schema.json': 'spdx.SNAPSHOT.schema.json',
  'jsf-0.82.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
};
const loaded = new Map<string, Record<string, unknown>>();

function loadFile(file: string): Record<string, unknown> {
  let schema = loaded.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
    loaded.set(file, schema);
  }
  return schema;
}

/** Every violation of the CycloneDX 1.6 JSON schema in `value`, as `path: problem`; empty when valid. */
export function cycloneDx16Errors(value: unknown): string[] {
  const errors: string[] = [];
  const file = FILES['http://cyclonedx.org/schema/bom-1.6.schema.json']!;
  validate(value, loadFile(file), file, '$', errors);
  return errors;
}

function resolveRef(ref: string, file: string): { schema: Schema; file: string } {
  const [target, pointer = ''] = ref.split('#');
  const targetFile = target === '' || target === undefined ? file : (FILES[target.replace(/SNAPSHOT\./, '')] ?? target);
  let node: unknown = loadFile(targetFile);
  for (const part of pointer.split('/').filter((p) => p !== '')) node = (node as Record<string, unknown>)[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`unresolvable $ref ${ref} in ${file}`);
  return { schema: node as Schema, file: targetFile };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function validate(value: unknown, schema: Schema, file: string, path: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: not allowed`);
    return;
  }
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, file);
    validate(value, target.schema, target.file, path, errors);
    return;
  }
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((ty) => ty === t || (ty === 'number' && t === 'integer'))) {
      errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (t === 'string') checkString(value as string, schema, path, errors);
  if ((t === 'number' || t === 'integer') && typeof schema.minimum === 'number' && (value as number) < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if ((t === 'number' || t === 'integer') && typeof schema.maximum === 'number' && (value as number) > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  if (t === 'object') checkObject(value as Record<string, unknown>, schema, file, path, errors);
  if (t === 'array') checkArray(value as unknown[], schema, file, path, errors);
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) validate(value, sub, file, path, errors);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub) => quiet(value, sub as Schema, file))) errors.push(`${path}: matches none of anyOf`);
  if (Array.isArray(schema.oneOf)) {
    const n = schema.oneOf.filter((sub) => quiet(value, sub as Schema, file)).length;
    if (n !== 1) errors.push(`${path}: matches ${n} of oneOf (exactly 1 required)`);
  }
  if (schema.not !== undefined && quiet(value, schema.not as Schema, file)) errors.push(`${path}: matches "not"`);
}

function quiet(value: unknown, schema: Schema, file: string): boolean {
  const errors: string[] = [];
  validate(value, schema, file, '', errors);
  return errors.length === 0;
}

function checkString(value: string, schema: Record<string, unknown>, path: string, errors: string[]): void {
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) errors.push(`${path}: not an RFC 3339 date-time`);
  // iri-reference: any relative or absolute reference; what cannot be one is whitespace or a bad scheme.
  if ((schema.format === 'iri-reference' || schema.format === 'uri-reference') && (/\s/.test(value) || /^[^a-zA-Z][^:/?#]*:/.test(value))) errors.push(`${path}: not an IRI reference`);
  if (schema.format === 'uri' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(value)) errors.push(`${path}: not an absolute URI`);
}

function checkObject(value: Record<string, unknown>, schema: Record<string, unknown>, file: string, path: string, errors: string[]): void {
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in value)) errors.push(`${path}: missing required ${key}`);
  for (const [key, v] of Object.entries(value)) {
    const sub = properties[key];
    if (sub !== undefined) validate(v, sub, file, `${path}.${key}`, errors);
    else if (schema.additionalProperties === false) errors.push(`${path}: unknown property ${key}`);
    else if (typeof schema.additionalProperties === 'object') validate(v, schema.additionalProperties as Schema, file, `${path}.${key}`, errors);
  }
}

function checkArray(value: unknown[], schema: Record<string, unknown>, file: string, path: string, errors: string[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
  if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${path}: items are not unique`);
  if (Array.isArray(schema.items)) {
    value.forEach((v, i) => {
      const sub = (schema.items as Schema[])[i] ?? (schema.additionalItems as Schema | undefined) ?? true;
      validate(v, sub, file, `${path}[${i}]`, errors);
    });
  } else if (schema.items !== undefined) {
    value.forEach((v, i) => {
      validate(v, schema.items as Schema, file, `${path}[${i}]`, errors);
    });
  }
}
