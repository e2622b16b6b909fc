import { STATEMENT_V01_TYPE, STATEMENT_V1_TYPE } from '@provenant/core';
import { type LintIssue, childPath, isObject, lintIssue, show } from './lint-issue.ts';
import { lintSlsaPredicate } from './predicate-rules.ts';
import { readPredicateType } from './predicate-type.ts';
import { lintSubjects } from './resource-descriptor-rules.ts';

const STATEMENT_FIELDS = new Set(['_type', 'subject', 'predicateType', 'predicate']);
// Any spelling of an in-toto statement type, to suggest the right one.
const STATEMENT_LIKE = /^(?:[a-z]+:\/\/)?(?:www\.)?in-toto\.io\/statement\/v(1|0\.1)(?:\.0)?\/?$/i;

/**
 * Checks an in-toto statement (v1 or v0.1, as parsed JSON) and, for a SLSA predicate type, its
 * predicate. Paths are into the statement, under `prefix`.
 */
export function lintStatement(statement: unknown, prefix = ''): LintIssue[] {
  if (!isObject(statement)) return [lintIssue('STATEMENT_FIELD_INVALID', prefix, `an in-toto statement is a JSON object, not ${show(statement)}`)];
  const issues: LintIssue[] = [];
  const type = statement._type;
  const typePath = childPath(prefix, '_type');
  if (type === undefined || type === null || type === '') issues.push(lintIssue('STATEMENT_FIELD_MISSING', typePath, 'a statement needs a _type'));
  else if (type !== STATEMENT_V1_TYPE && type !== STATEMENT_V01_TYPE) {
    const like = typeof type === 'string' ? STATEMENT_LIKE.exec(type) : null;
    const hint = like ? `; it is spelled exactly ${like[1] === '1' ? STATEMENT_V1_TYPE : STATEMENT_V01_TYPE}` : `; expected ${STATEMENT_V1_TYPE}`;
    issues.push(lintIssue('STATEMENT_TYPE_UNKNOWN', typePath, `_type ${show(type)} is not an in-toto statement type${hint}`));
  }
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_FIELDS.has(key)) {
      issues.push(lintIssue('STATEMENT_FIELD_UNKNOWN', childPath(prefix, key), `${key} is not a statement field; consumers ignore it (extensions belong in the predicate)`));
    }
  }
  issues.push(...lintSubjects(statement.subject, childPath(prefix, 'subject')));
  const predicatePath = childPath(prefix, 'predicate');
  if (statement.predicate !== undefined && statement.predicate !== null && !isObject(statement.predicate)) {
    issues.push(lintIssue('STATEMENT_FIELD_INVALID', predicatePath, `predicate is a JSON object, not ${show(statement.predicate)}`));
  }
  const predicateType = statement.predicateType;
  const predicateTypePath = childPath(prefix, 'predicateType');
  if (predicateType === undefined || predicateType === null || predicateType === '') {
    issues.push(lintIssue('STATEMENT_FIELD_MISSING', predicateTypePath, 'a statement needs a predicateType'));
    return issues;
  }
  if (typeof predicateType !== 'string') {
    issues.push(lintIssue('STATEMENT_FIELD_INVALID', predicateTypePath, `predicateType is a URI string, not ${show(predicateType)}`));
    return issues;
  }
  const reading = readPredicateType(predicateType);
  if (reading.kind === 'other') return issues;
  if (reading.kind === 'noncanonical') {
    const what = reading.preRelease ? 'a pre-release spelling' : 'not the spelling the SLSA specification gives';
    issues.push(lintIssue('PREDICATE_TYPE_NONCANONICAL', predicateTypePath, `${show(predicateType)} is ${what}: it is exactly ${reading.type}, and verifiers compare it exactly`));
  }
  if (type === STATEMENT_V01_TYPE && reading.type.endsWith('/v1')) {
    issues.push(lintIssue('STATEMENT_TYPE_OUTDATED', typePath, `a Statement v0.1 wraps a ${reading.type} predicate, which is specified inside Statement v1 (${STATEMENT_V1_TYPE})`));
  }
  issues.push(...lintSlsaPredicate(reading.type, statement.predicate, predicatePath));
  return issues;
}
