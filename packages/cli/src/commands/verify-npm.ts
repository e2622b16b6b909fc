import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ProvenantError } from '@provenant/core';
import { parseNpmLockfile } from '@provenant/generator';
import { type NpmPackageRef, type NpmPackageResult, type NpmReport, readTrustRecordFile, verifyNpmPackages, writeTrustRecordFile } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type TrustPolicyFlags, readText, trustPolicyFromFlags } from '../verify-options.ts';

interface VerifyNpmFlags extends TrustPolicyFlags {
  lockfile?: string;
  tarballs?: string;
  attestations?: string;
  requireProvenance?: boolean;
  omitDev?: boolean;
  trustRecord?: string;
  json?: boolean;
}

/** npm reads a shrinkwrap before package-lock.json. */
const LOCKFILE_NAMES = ['npm-shrinkwrap.json', 'package-lock.json'];
/** As the generator's lockfile collector: lockfiles are large, but not this large. */
const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

/**
 * `provenant verify-npm [DIR]`. The lockfile is read here, in the CLI, with the generator's npm
 * lockfile parser (the verifier never imports the generator): the verifier is given each
 * registry package's name, version and integrity. Packages from git, files or links have no
 * registry integrity or provenance and are left out (counted in the summary).
 */
export async function run(dir: string, flags: VerifyNpmFlags, _cmd: unknown, io: Io): Promise<number> {
  const lockfile = flags.lockfile ?? (await findLockfile(dir));
  const text = await readText(lockfile, 'lockfile', MAX_LOCKFILE_BYTES);
  const rootManifest = await readFile(join(dirname(lockfile), 'package.json'), 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => undefined);
  const { packages } = parseNpmLockfile(text, lockfile, rootManifest === undefined ? {} : { rootManifest });
  const considered = packages.filter((p) => p.ecosystem === 'npm' && !(flags.omitDev && p.scope === 'dev'));
  const fromRegistry = considered.filter((p) => p.sourceKind === 'registry' && p.version !== '');
  const refs: NpmPackageRef[] = fromRegistry.map((p) => ({ name: p.name, version: p.version, integrity: p.digest }));
  const { trust, policy, advisories } = await trustPolicyFromFlags(flags);
  if (flags.requireProvenance) policy.requireProvenance = true;
  const trustRecord = flags.trustRecord === undefined ? undefined : await readTrustRecordFile(flags.trustRecord);
  const report = await verifyNpmPackages({
    packages: refs,
    trust,
    policy,
    ...(flags.tarballs === undefined ? {} : { tarballs: flags.tarballs }),
    ...(flags.attestations === undefined ? {} : { attestations: flags.attestations }),
    ...(advisories === undefined ? {} : { advisories }),
    ...(trustRecord === undefined ? {} : { trustRecord }),
  });
  if (flags.trustRecord !== undefined && report.trustRecord !== undefined) await writeTrustRecordFile(flags.trustRecord, report.trustRecord);
  const skipped = considered.length - fromRegistry.length;
  if (flags.json) io.stdout(`${JSON.stringify({ lockfile, skipped, ...report }, null, 2)}\n`);
  else io.stdout(render(report, lockfile, skipped));
  return report.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

async function findLockfile(dir: string): Promise<string> {
  for (const name of LOCKFILE_NAMES) {
    const path = join(dir, name);
    if ((await stat(path).catch(() => undefined))?.isFile()) return path;
  }
  throw new ProvenantError('FILE_UNREADABLE', `no ${LOCKFILE_NAMES.join(' or ')} in ${dir}: give --lockfile FILE`);
}

/** One line per package that has something to say (failed, or provenance or a tarball was checked), then a summary. */
function render(report: NpmReport, lockfile: string, skipped: number): string {
  const lines: string[] = [];
  const shown = report.packages.filter((p) => !p.ok || p.provenance !== 'missing' || p.integrity === 'verified');
  const width = Math.min(50, Math.max(8, ...shown.map((p) => `${p.name}@${p.version}`.length)));
  for (const p of shown) {
    lines.push(`${p.ok ? 'PASSED' : 'FAILED'}  L${p.level}  ${`${p.name}@${p.version}`.padEnd(width)}  ${describe(p)}`);
    if (!p.ok) for (const f of p.findings) lines.push(`        ${f.code}: ${f.message}`);
  }
  const count = (pred: (p: NpmPackageResult) => boolean) => report.packages.filter(pred).length;
  const total = report.packages.length;
  lines.push(
    `${total} package${total === 1 ? '' : 's'} in ${lockfile}${skipped > 0 ? ` (+${skipped} not from a registry, not checked)` : ''}: ` +
      `${count((p) => p.provenance === 'verified')} with verified provenance, ${count((p) => p.provenance === 'missing')} without provenance, ` +
      `${count((p) => p.integrity === 'verified')} tarballs matching integrity; ${count((p) => !p.ok)} failed`,
  );
  lines.push(report.ok ? 'PASSED' : 'FAILED');
  return `${lines.join('\n')}\n`;
}

function describe(p: NpmPackageResult): string {
  const parts = [`integrity ${p.integrity}`, `provenance ${p.provenance}`];
  if (p.builderId !== undefined) parts.push(`builder ${p.builderId}`);
  return parts.join(', ');
}
