import { lintDigestSet } from './digest-rules.ts';
import { type LintIssue, childPath, isObject, isUnset, lintIssue, show } from './lint-issue.ts';

/**
 * A ResourceDescriptor (in-toto v1): at least one of `uri`, `digest` or `content` MUST be set
 * (RESOURCE_DESCRIPTOR_EMPTY; an empty value counts as unset), and its digests are checked.
 */
export function lintResourceDescriptor(value: unknown, path: string): LintIssue[] {
  if (!isObject(value)) return [lintIssue('SLSA_FIELD_INVALID', path, `a ResourceDescriptor is a JSON object, not ${show(value)}`)];
  const issues: LintIssue[] = [];
  if (isUnset(value.uri) && isUnset(value.digest) && isUnset(value.content)) {
    issues.push(lintIssue('RESOURCE_DESCRIPTOR_EMPTY', path, 'a ResourceDescriptor needs at least one of uri, digest or content'));
  }
  if (!isUnset(value.digest)) issues.push(...lintDigestSet(value.digest, childPath(path, 'digest')));
  return issues;
}

/** An optional list of ResourceDescriptors (resolvedDependencies, byproducts, builderDependencies). */
export function lintResourceDescriptors(value: unknown, path: string): LintIssue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [lintIssue('SLSA_FIELD_INVALID', path, `expected a list of ResourceDescriptors, not ${show(value)}`)];
  return value.flatMap((rd, i) => lintResourceDescriptor(rd, childPath(path, i)));
}

/**
 * The statement's subjects: a non-empty list (SUBJECT_EMPTY), each with a digest
 * (SUBJECT_DIGEST_MISSING, "each element MUST have digest set"). A name is optional in the spec
 * ("if the name is not meaningful, leave the field unset"), but a subject with neither name nor
 * uri cannot be told apart from the others by a policy that names artifacts (SUBJECT_NAME_MISSING),
 * and names SHOULD be unique (SUBJECT_NAME_DUPLICATE).
 */
export function lintSubjects(value: unknown, path: string): LintIssue[] {
  if (value === undefined || value === null) return [lintIssue('STATEMENT_FIELD_MISSING', path, 'a statement needs a subject list')];
  if (!Array.isArray(value)) return [lintIssue('STATEMENT_FIELD_INVALID', path, `subject is a list of ResourceDescriptors, not ${show(value)}`)];
  if (value.length === 0) return [lintIssue('SUBJECT_EMPTY', path, 'the subject list is empty: the attestation is about nothing')];
  const issues: LintIssue[] = [];
  const names = new Set<string>();
  value.forEach((subject, i) => {
    const at = childPath(path, i);
    if (!isObject(subject)) {
      issues.push(lintIssue('STATEMENT_FIELD_INVALID', at, `a subject is a JSON object, not ${show(subject)}`));
      return;
    }
    if (isUnset(subject.digest)) issues.push(lintIssue('SUBJECT_DIGEST_MISSING', childPath(at, 'digest'), 'a subject needs a digest: subjects are matched by digest alone'));
    else issues.push(...lintDigestSet(subject.digest, childPath(at, 'digest')));
    if (isUnset(subject.name) && isUnset(subject.uri)) {
      issues.push(lintIssue('SUBJECT_NAME_MISSING', at, 'the subject has neither a name nor a uri: a policy cannot say which artifact it is'));
    }
    if (typeof subject.name === 'string' && subject.name !== '' && subject.name !== '_') {
      if (names.has(subject.name)) issues.push(lintIssue('SUBJECT_NAME_DUPLICATE', childPath(at, 'name'), `two subjects are named ${show(subject.name)}; names should be unique`));
      names.add(subject.name);
    }
  });
  return issues;
}
