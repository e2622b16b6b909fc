import { ProvenantError, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '@provenant/core';
import { splitGitUri } from '../source-uri.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { toProvenanceView } from '../view/to-provenance-view.ts';
import { type DependencyDiff, diffDependencies } from './dependency-diff.ts';
import { type EnvironmentChange, diffEnvironment, environmentOf } from './environment-diff.ts';

/** A value that differs between the two statements; a side that does not have it is undefined. */
export interface ValueChange {
  old?: string;
  new?: string;
}

/** What changed from one provenance statement to the next. Fields that did not change are absent (or empty). */
export interface ProvenanceDiff {
  /** True when anything below differs. */
  changed: boolean;
  predicateType?: ValueChange;
  builder?: ValueChange;
  buildType?: ValueChange;
  source: { uri?: ValueChange; ref?: ValueChange; commit?: ValueChange };
  /** OS, arch, node, npm, container, toolchains (provenant's ci/v1 build type records these). */
  environment: EnvironmentChange[];
  /** `digestChanged` is the one to read first: same version, different bytes. */
  dependencies: DependencyDiff;
}

/**
 * Compares two provenance statements (parsed JSON: in-toto v1 or v0.1, SLSA provenance v1 or
 * v0.2), both read through the verifier's version-independent view. Pure; verifies nothing — the
 * caller says so to its user. The build's own source, listed among the resolved dependencies by
 * most generators, is compared under `source`, not as a dependency.
 *
 * @throws ProvenantError STATEMENT_INVALID when either is not SLSA provenance, naming which (`old`, `new`).
 */
export function diffProvenance(oldStatementJson: unknown, newStatementJson: unknown): ProvenanceDiff {
  const before = readView(oldStatementJson, 'old');
  const after = readView(newStatementJson, 'new');
  const diff: ProvenanceDiff = {
    changed: false,
    source: {},
    environment: diffEnvironment(environmentOf(oldStatementJson), environmentOf(newStatementJson)),
    dependencies: diffDependencies(before.dependencies, after.dependencies, (uri) => isSource(uri, before) || isSource(uri, after)),
  };
  const set = (value: ValueChange | undefined, assign: (v: ValueChange) => void) => {
    if (value) assign(value);
  };
  set(change(before.predicateType, after.predicateType), (v) => (diff.predicateType = v));
  set(change(before.builderId, after.builderId), (v) => (diff.builder = v));
  set(change(before.buildType, after.buildType), (v) => (diff.buildType = v));
  set(change(before.source?.uri, after.source?.uri), (v) => (diff.source.uri = v));
  set(change(before.source?.ref, after.source?.ref), (v) => (diff.source.ref = v));
  set(change(before.source?.commit, after.source?.commit), (v) => (diff.source.commit = v));
  const d = diff.dependencies;
  diff.changed =
    diff.predicateType !== undefined ||
    diff.builder !== undefined ||
    diff.buildType !== undefined ||
    Object.keys(diff.source).length > 0 ||
    diff.environment.length > 0 ||
    d.added.length + d.removed.length + d.versionChanged.length + d.digestChanged.length > 0;
  return diff;
}

function readView(json: unknown, which: 'old' | 'new'): ProvenanceView {
  const reading = toProvenanceView(json);
  if (reading.kind === 'unreadable') throw new ProvenantError('STATEMENT_INVALID', `${which}: ${reading.finding.message}`);
  if (reading.predicateFinding) throw new ProvenantError('STATEMENT_INVALID', `${which}: ${reading.predicateFinding.message}`);
  const type = reading.view.predicateType;
  if (type !== SLSA_PROVENANCE_V1 && type !== SLSA_PROVENANCE_V02) {
    throw new ProvenantError('STATEMENT_INVALID', `${which}: predicate type ${type} is not SLSA provenance (${SLSA_PROVENANCE_V1} or ${SLSA_PROVENANCE_V02})`);
  }
  return reading.view;
}

/** The build's own source as a resolved dependency (`git+https://github.com/acme/app@refs/heads/main`). */
function isSource(uri: string, view: ProvenanceView): boolean {
  if (view.source === undefined || uri.startsWith('pkg:')) return false;
  return splitGitUri(uri).uri === view.source.uri;
}

function change(a: string | undefined, b: string | undefined): ValueChange | undefined {
  if (a === b) return undefined;
  const out: ValueChange = {};
  if (a !== undefined) out.old = a;
  if (b !== undefined) out.new = b;
  return out;
}
