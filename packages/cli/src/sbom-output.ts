import { ProvenantError, type StatementV1, stableStringify } from '@provenant/core';
import type { DependencyFacts } from '@provenant/generator';
import { VERSION } from './version.ts';

/** The `attest` flags this module reads. */
export interface SbomFlags {
  /** `--sbom`: also write a signed CycloneDX SBOM attestation. */
  sbom?: boolean;
  /** `--sbom-out FILE`: where; default derived from `--out` (see sbomOutputPath). */
  sbomOut?: string;
  /** `--out`: the provenance bundle. */
  out: string;
}

/** The generator's SBOM functions (buildCycloneDxSbom, statementForSbom), passed in so this module depends on their shape only. */
export interface SbomBuilder<Bom> {
  buildCycloneDxSbom(
    subjects: readonly { name: string; digest: Record<string, string> }[],
    dependencyFacts: readonly DependencyFacts[],
    meta: { timestamp: Date; toolVersion: string; name?: string },
  ): { bom: Bom; json: string };
  statementForSbom(subjects: readonly { name: string; digest: Record<string, string> }[], bom: Bom): StatementV1;
}

/** Signs payload bytes and writes them to `out` exactly as the provenance is signed and written. */
export type SignAndWrite = (payload: Buffer, out: string) => Promise<unknown>;

/** Output suffixes we know, longest first: the SBOM goes beside the provenance with `.sbom` inserted. */
const SUFFIXES = ['.sigstore.json', '.intoto.jsonl', '.jsonl', '.json'];

/**
 * Where the SBOM bundle goes: `--sbom-out` when given, else `--out` with `.sbom` inserted before
 * its known suffix (`build.sigstore.json` → `build.sbom.sigstore.json`, `x.intoto.jsonl` →
 * `x.sbom.intoto.jsonl`), else `--out` + `.sbom`. It never overwrites the provenance.
 */
export function sbomOutputPath(out: string, sbomOut?: string): string {
  const suffix = SUFFIXES.find((s) => out.endsWith(s) && out.length > s.length);
  const path = sbomOut ?? (suffix ? `${out.slice(0, -suffix.length)}.sbom${suffix}` : `${out}.sbom`);
  if (path === out) throw new ProvenantError('USAGE', `--sbom-out ${path}: is the provenance output itself`);
  return path;
}

/**
 * `attest --sbom`: builds the CycloneDX SBOM of the dependencies the provenance records, about the
 * same subjects, dated by the provenance's finishedOn, wraps it in an in-toto statement (predicate
 * type https://cyclonedx.org/bom), and signs and writes it with the provenance's own signing path.
 */
export async function writeSbomAttestation<Bom>(
  generated: { statement: StatementV1; dependencies: readonly DependencyFacts[] },
  flags: SbomFlags,
  builder: SbomBuilder<Bom>,
  signAndWrite: SignAndWrite,
): Promise<{ path: string; components: number }> {
  const path = sbomOutputPath(flags.out, flags.sbomOut);
  const subjects = generated.statement.subject.map((s) => ({ name: s.name ?? '', digest: { ...s.digest } }));
  const predicate = generated.statement.predicate as { runDetails?: { metadata?: { finishedOn?: string } }; buildDefinition?: { externalParameters?: { source?: { repository?: string } } } } | undefined;
  const finishedOn = predicate?.runDetails?.metadata?.finishedOn;
  const repository = predicate?.buildDefinition?.externalParameters?.source?.repository;
  const { bom } = builder.buildCycloneDxSbom(subjects, generated.dependencies, {
    timestamp: finishedOn === undefined ? new Date() : new Date(finishedOn),
    toolVersion: VERSION,
    ...(repository === undefined ? {} : { name: repository }),
  });
  const statement = builder.statementForSbom(subjects, bom);
  await signAndWrite(Buffer.from(stableStringify(statement), 'utf8'), path);
  return { path, components: ((bom as { components?: unknown[] }).components ?? []).length };
}
