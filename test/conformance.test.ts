// Real-world verification vectors from ../shared/corpus (not in the repository): the Sigstore
// conformance suite's bundle cases through `provenant sigstore verify-bundle`, in both of the
// suite's modes, and bundles real systems produced through `provenant verify`. Every expectation
// comes from the upstream projects; a disagreement is a verifier bug, never a reason to skip a case.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { DEFAULT_PREDICATE_TYPES, loadTrustedRoot, parseTrustedRootText } from '@provenant/verifier';
import { type CliResult, runCliInProcess } from './support/cli.ts';
import type { RealBundleCase } from './support/real-bundles.ts';

const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus');

interface ConformanceCase {
  id: string;
  bundle: string;
  artifact: string;
  digest: string;
  identity: string | null;
  issuer: string | null;
  key?: string;
  trustedRoot: string;
  expect: 'pass' | 'fail';
}


/** The Fulcio extensions the manifest's expectedPolicy names, and the flag that constrains each. */
const EXTENSION_FLAGS: Record<string, string> = { sourceRepositoryURI: '--certificate-source-repository-uri' };

if (!existsSync(join(corpus, 'conformance', 'manifest.json'))) {
  test('conformance corpus', { skip: `no corpus at ${corpus} (CI has it): the Sigstore conformance and real-bundle cases did not run` }, () => {});
} else {
  describe('sigstore-conformance bundle cases through `provenant sigstore verify-bundle`', () => {
    const dir = join(corpus, 'conformance');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: ConformanceCase[] };
    it('has every case', () => assert.equal(manifest.cases.length, 70));
    for (const c of manifest.cases) {
      for (const mode of ['PATH', 'DIGEST'] as const) {
        it(`${c.id} [${mode}] ${c.expect === 'pass' ? 'verifies' : 'is rejected'}`, async () => {
          const args = ['sigstore', 'verify-bundle', '--bundle', join(dir, c.bundle)];
          if (c.key) args.push('--key', join(dir, c.key));
          else args.push('--certificate-identity', c.identity!, '--certificate-oidc-issuer', c.issuer!);
          // The suite passes no --trusted-root for the production instance: the client's default.
          if (c.trustedRoot !== 'public-good') args.push('--trusted-root', join(dir, c.trustedRoot));
          args.push(mode === 'PATH' ? join(dir, c.artifact) : c.digest);
          const r = await runCliInProcess(args);
          assertNoCrash(r);
          if (c.expect === 'pass') assert.equal(r.status, 0, explain(r));
          else assert.notEqual(r.status, 0, `accepted a bundle that must be rejected:\n${r.stdout}`);
        });
      }
    }
  });

  describe('real bundles through `provenant verify`', () => {
    const dir = join(corpus, 'real-bundles');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: RealBundleCase[] };
    it('has every case', () => assert.equal(manifest.cases.length, 40));
    for (const c of manifest.cases) {
      it(`${c.id} ${c.expect === 'pass' ? 'verifies' : `is rejected${c.expectLayer ? ` (${c.expectLayer})` : ''}`}`, async () => {
        const rootPath = c.trustedRoot === 'public-good' ? undefined : join(dir, c.trustedRoot);
        if (c.verifierOptions) {
          // GitHub's instance (no log, no CT, one timestamp): provenant derives this from the root itself.
          const root = loadTrustedRoot(parseTrustedRootText(readFileSync(rootPath!, 'utf8')));
          assert.deepEqual({ ...root.thresholds }, c.verifierOptions);
        }
        const args = ['verify', artifactArgument(dir, c), '--bundle', join(dir, c.bundle)];
        if (rootPath) args.push('--trusted-root', rootPath);
        args.push(...trustArguments(dir, c));
        if (c.slsa?.predicateType && !DEFAULT_PREDICATE_TYPES.includes(c.slsa.predicateType)) args.push('--predicate-type', c.slsa.predicateType);
        if (c.minBundleVersion) args.push('--min-bundle-version', c.minBundleVersion);
        const r = await runCliInProcess(args);
        assertNoCrash(r);
        if (c.expect === 'pass') assert.equal(r.status, 0, explain(r));
        else if (c.expectLayer === 'parse') assert.equal(r.status, 2, `expected a refusal to parse:\n${explain(r)}`);
        else assert.equal(r.status, 1, `expected a failed verification:\n${explain(r)}`);
      });
    }
  });
}

/**
 * The identity (or key) the upstream test trusted. Where it used none, the signing certificate's
 * own SAN and issuer as the manifest records them (provenant never verifies without one). A SAN
 * regexp from a Go or JS test matches anywhere after its `^`; provenant's are anchored at both
 * ends, so an open end becomes `.*`.
 */
function trustArguments(dir: string, c: RealBundleCase): string[] {
  if (c.key) return ['--key', join(dir, c.key)];
  const args: string[] = [];
  const san = c.identity ?? c.cert?.san;
  if (c.identityRegex) args.push('--certificate-identity-regexp', c.identityRegex.replace(/^\^/, '') + (c.identityRegex.endsWith('$') ? '' : '.*'));
  else if (san) args.push('--certificate-identity', san);
  else return [];
  const issuer = c.issuer ?? c.cert?.issuer;
  args.push(...(issuer ? ['--certificate-oidc-issuer', issuer] : ['--certificate-no-oidc-issuer']));
  for (const [name, value] of Object.entries(c.expectedPolicy ?? {})) {
    const flag = EXTENSION_FLAGS[name];
    assert.ok(flag, `the manifest constrains certificate extension ${name}: map it to its flag`);
    args.push(flag, value);
  }
  return args;
}

/**
 * The artifact, else its digest, else the digest of a subject; a case with none (the upstream test
 * checked the signature only) uses what the bundle signed, as the manifest does for rfc8785-whl.
 */
function artifactArgument(dir: string, c: RealBundleCase): string {
  if (c.artifact) return join(dir, c.artifact);
  if (c.digest) return c.digest;
  const subject = c.slsa?.subjects?.[0]?.digest;
  const alg = subject && ['sha256', 'sha384', 'sha512'].find((a) => subject[a] !== undefined);
  if (subject && alg) return `${alg}:${subject[alg]}`;
  const bundle = JSON.parse(readFileSync(join(dir, c.bundle), 'utf8'));
  const payload = bundle.dsseEnvelope?.payload;
  assert.ok(typeof payload === 'string', `${c.id}: no artifact, digest, subject or DSSE payload to verify against`);
  return `sha256:${createHash('sha256').update(Buffer.from(payload, 'base64')).digest('hex')}`;
}

function assertNoCrash(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /INTERNAL/, `crashed instead of deciding:\n${r.stderr}`);
}

function explain(r: CliResult): string {
  return `status ${r.status}\n${r.stdout}${r.stderr}`;
}
