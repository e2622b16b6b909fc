import { Command, CommanderError, Option } from 'commander';
import { addIdentityOptions } from './commands/sigstore-identity-flags.ts';
import { EXIT } from './exit-codes.ts';
import { type Io, errorLine, processIo } from './output.ts';
import { VERSION } from './version.ts';
import { addRegistryOptions } from './registry-options.ts';
import { addTrustPolicyOptions } from './verify-options.ts';

/** Options shared by `generate` and `attest`: what to record. */
function addCollectOptions(cmd: Command): Command {
  return cmd
    .option('--subject <path|glob|dir>', 'file, directory (every regular file below) or glob to attest; repeatable', collect, [])
    .option('--subject-digest <name@alg:hex>', 'an artifact not on disk, e.g. app.tar@sha256:<hex>; repeatable', collect, [])
    .option('--subject-checksums <file>', 'a sha256sum-format file of subjects; repeatable', collect, [])
    .option('--digest-alg <algs>', 'comma-separated digest algorithms for files (sha256, sha384, sha512)', 'sha256')
    .option('--cwd <dir>', 'root for subjects, lockfiles and git; subject names are relative to it', process.cwd())
    .option('--lockfile <file>', 'lockfile to record (default: auto-detect); repeatable', collect, [])
    .option('--no-deps', 'do not record dependencies from lockfiles')
    .option('--no-claims', 'do not read the CI platform\'s signed OIDC claims (recorded as claims unavailable: disabled)')
    .option('--env-allow <name>', 'environment variable (or PREFIX*) to record instead of the default allowlist; repeatable', collect, [])
    .option('--started-on <time>', 'when the build started (RFC 3339); default: when provenant started');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--vsa-out` and how to sign it: `verify` and `verify-image` (commands/verify-vsa.ts, docs/vsa.md). */
function addVsaOutOptions(cmd: Command): Command {
  return cmd
    .option('--vsa-out <file>', 'also write a signed SLSA Verification Summary Attestation of this verification (PASSED or FAILED)')
    .option('--vsa-key <file>', '--vsa-out: PEM private key to sign the VSA with (otherwise keyless)')
    .option('--vsa-key-passphrase-env <var>', '--vsa-out: environment variable holding the key passphrase', 'PROVENANT_KEY_PASSPHRASE')
    .option('--vsa-keyless', "--vsa-out: sign keyless (a Fulcio certificate for this job's OIDC identity, logged in Rekor)")
    .option('--vsa-identity-token <token|@file>', '--vsa-out: OIDC token for keyless signing')
    .option('--vsa-signing-config <file>', '--vsa-out: Sigstore SigningConfig v0.2 for keyless signing')
    .option('--vsa-policy-uri <uri>', '--vsa-out: the policy uri to record (default: the policy file, or a data: URI of the policy applied)');
}

/**
 * Options shared by `attest` and `sign`: how to sign. `--key` signs with a key; otherwise keyless
 * (Fulcio certificate for the job's OIDC identity, Rekor entry, optional TSA timestamp), chosen
 * by `--keyless` or any keyless option, or by default when an OIDC token is available (in CI).
 */
function addSigningOptions(cmd: Command): Command {
  return cmd
    .option('--key <file>', 'PEM private key to sign with (otherwise: keyless)')
    .option('--key-passphrase-env <var>', 'environment variable holding the key passphrase', 'PROVENANT_KEY_PASSPHRASE')
    .addOption(new Option('--format <format>', 'output format (intoto-jsonl only with --key)').choices(['sigstore', 'intoto-jsonl']).default('sigstore'))
    .option('--keyless', 'sign keyless: a Fulcio certificate for this job\'s OIDC identity, logged in Rekor (default in CI when no --key is given)')
    .option('--identity-token <token|@file>', 'OIDC token for Fulcio (default: SIGSTORE_ID_TOKEN, or the CI platform\'s token service); @file reads it from a file')
    .option('--signing-config <file>', 'Sigstore SigningConfig v0.2 naming Fulcio, Rekor and TSA services')
    .option('--fulcio-url <url>', 'Fulcio base URL (default https://fulcio.sigstore.dev)')
    .option('--rekor-url <url>', 'Rekor base URL (default https://rekor.sigstore.dev)')
    .addOption(new Option('--rekor-version <n>', 'Rekor API version of --rekor-url (default 1), or the only one to select from --signing-config').choices(['1', '2']))
    .option('--tsa-url <url>', 'RFC 3161 timestamp authority URL (default: none)')
    .option('--no-tlog', 'write no transparency log entry (needs a TSA)')
    .option('--sigstore-retries <n>', 'retries per Fulcio/Rekor/TSA request after a network error or 5xx (default 2)');
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit status.
 * Never throws: every failure becomes one line on stderr and a status from the EXIT table.
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let status: number = EXIT.OK;
  const program = new Command('provenant')
    .description('Generate, sign and verify SLSA provenance.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Commander's own usage errors, reformatted into our one-line, coded form.
      outputError: (s) => io.stderr(`provenant: USAGE: ${s.replace(/^error: /, '').trim()}\n`),
    });

  const action =
    <A extends unknown[]>(load: () => Promise<{ run: (...args: [...A, Io]) => Promise<number> }>) =>
    async (...args: A) => {
      const mod = await load();
      status = await mod.run(...args, io);
    };

  program
    .command('keygen')
    .description('write a signing key pair: PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (SPKI PEM)')
    .requiredOption('--out <prefix>', 'path prefix of the two files')
    .addOption(new Option('--type <type>', 'key type').choices(['ecdsa-p256', 'ecdsa-p384', 'ed25519']).default('ecdsa-p256'))
    .option('--passphrase-env <var>', 'encrypt the private key with the passphrase in this environment variable')
    .option('--force', 'overwrite existing files')
    .action(action(() => import('./commands/keygen.ts')));

  addCollectOptions(program.command('generate').description('collect what the build was and print (or write) the unsigned statement'))
    .option('--out <file>', 'write the statement here instead of stdout')
    .action(action(() => import('./commands/generate.ts')));

  addRegistryOptions(addSigningOptions(addCollectOptions(program.command('attest').description('collect what the build was, sign it (with a key, or keyless) and write a Sigstore bundle'))))
    .requiredOption('--out <file>', 'where to write the bundle')
    .option('--statement-out <file>', 'also write the unsigned statement here')
    .option('--sbom', 'also write a signed CycloneDX 1.6 SBOM attestation of the dependencies')
    .option('--sbom-out <file>', 'where to write it (implies --sbom; default: --out with .sbom before .sigstore.json)')
    .option('--subject-image <ref>', 'a container image: REGISTRY/REPO@sha256:<hex> as is, or :TAG resolved once to its manifest digest; repeatable', collect, [])
    .option('--subject-image-platforms', 'for an image index, also attest each platform manifest it lists')
    .option('--push', 'store the bundle(s) in the registry beside each --subject-image (OCI referrer; tag index fallback)')
    .action(action(() => import('./commands/attest.ts')));

  addSigningOptions(program.command('sign').description('sign an in-toto statement made elsewhere, byte for byte (with a key, or keyless)'))
    .argument('<statement>', 'statement JSON file')
    .requiredOption('--out <file>', 'where to write the bundle')
    .action(action(() => import('./commands/sign.ts')));

  addVsaOutOptions(addRegistryOptions(addTrustPolicyOptions(
    program
      .command('verify')
      .description('verify an artifact against its attestation, trusted keys or keyless identities, and a policy; prints PASSED or FAILED')
      .argument('<artifact>', 'artifact path, or sha256:<hex> / sha384:<hex> / sha512:<hex>, or oci://REGISTRY/REPO[:TAG|@sha256:<hex>]; with --batch: a directory, a glob or a sha256sum manifest')
      .option('--bundle <file>', 'Sigstore bundle, DSSE envelope or JSONL of them (required, except with --batch and oci://); repeatable: all their attestations are verified together', collect, []),
  )))
    .option('--tuf-refresh', 'fetch the current Sigstore trusted root through TUF (network) instead of using the copy shipped offline')
      .option('--tuf-mirror <url>', 'TUF repository for --tuf-refresh (default https://tuf-repo-cdn.sigstore.dev)')
      .option('--tuf-root <file>', 'TUF root.json to start from, for a --tuf-mirror provenant ships none for')
      .option('--tuf-cache <dir>', 'TUF metadata cache for --tuf-refresh (default: provenant/tuf in the OS cache directory)')
      .option('--json', 'print the result object as JSON on stdout')
      // Batch verification (commands/verify-batch.ts).
      .option('--batch', 'ARTIFACT is a directory, a glob or a sha256sum manifest: verify each artifact against the attestations in --attestations, over all cores')
      .option('--attestations <dir>', '--batch: directory of attestations (*.json, *.jsonl), found by the digests their subjects name')
      .option('--jobs <n>', '--batch: threads to use (default: the number of cores)')
      .option('--trust-record <file>', '--batch: what was accepted last time per artifact name; weaker provenance fails (PROVENANCE_DOWNGRADE); updated when all pass')
      // Results as attestations (commands/verify-vsa.ts, docs/vsa.md).
      .option('--vsa', 'verify --bundle as a VSA (evidence from a trusted verifier) instead of as provenance')
      .option('--vsa-verifier-id <id>', '--vsa: an accepted verifier.id, repeatable; --vsa-out: the id to write (default https://provenant.dev/verifier/v1)', collect, [])
      .option('--vsa-resource-uri <uri>', '--vsa: the resourceUri the VSA must name; --vsa-out: the one to write (default: the file name, or the digest)')
      .option('--vsa-level <level>', '--vsa: a level verifiedLevels must include, e.g. SLSA_BUILD_LEVEL_2 (higher levels of a track imply lower); repeatable', collect, [])
      .option('--vsa-dependency-level <level>', '--vsa: every dependency dependencyLevels counts must be at this level or higher')
      .action(action(() => import('./commands/verify.ts')));

  addVsaOutOptions(addRegistryOptions(
    addTrustPolicyOptions(
      program
        .command('verify-image')
        .description("verify a container image against its attestations in the registry (referrers API, tag index, cosign's legacy .att): a tag is resolved once, the digest is verified")
        .argument('<image>', '[oci://]REGISTRY/REPO[:TAG|@sha256:<hex>]')
        .option('--bundle <file>', 'verify these attestations against the image digest instead of the registry\'s; repeatable', collect, [])
        .option('--json', 'print the result object as JSON on stdout')
        .option('--vsa-verifier-id <id>', '--vsa-out: the verifier id to write (default https://provenant.dev/verifier/v1)', collect, [])
        .option('--vsa-resource-uri <uri>', '--vsa-out: the resourceUri to write (default oci://REGISTRY/REPO@sha256:<digest>)'),
    ),
  )).action(action(() => import('./commands/verify-image.ts')));

  addRegistryOptions(
    program
      .command('attach')
      .description('store Sigstore bundles made elsewhere (an SBOM, a VSA) in the registry beside an image; already stored ones are left as they are')
      .argument('<image>', '[oci://]REGISTRY/REPO[:TAG|@sha256:<hex>]')
      .requiredOption('--bundle <file>', 'Sigstore bundle to store; repeatable', collect, []),
  ).action(action(() => import('./commands/attach.ts')));

  addTrustPolicyOptions(
    program
      .command('verify-npm')
      .description('check every package of an npm lockfile: tarballs against `integrity`, attestations against the trust and policy; missing provenance is reported (fails with --require-provenance)')
      .argument('[dir]', 'project directory holding npm-shrinkwrap.json or package-lock.json', '.')
      .option('--lockfile <file>', 'the lockfile (default: DIR/npm-shrinkwrap.json, else DIR/package-lock.json)')
      .option('--tarballs <dir>', 'tarballs to check: <name>-<version>.tgz, scoped @scope/<name>-<version>.tgz (or npm pack\'s scope-name-<version>.tgz)')
      .option('--attestations <dir>', 'attestations to verify: <name>@<version>.sigstore.json, scoped @scope/<name>@<version>.sigstore.json')
      .option('--require-provenance', 'a package without an attestation fails (PROVENANCE_MISSING), as policy requireProvenance: true')
      .option('--omit-dev', 'skip packages only dev dependencies need')
      .option('--trust-record <file>', 'what was accepted last time per package; vanished or weaker provenance fails (PROVENANCE_DOWNGRADE); updated when all pass')
      .option('--json', 'print the report as JSON'),
  ).action(action(() => import('./commands/verify-npm.ts')));

  const policyCommand = program.command('policy').description('write and check policy files');
  policyCommand
    .command('init')
    .description('write a starting policy (YAML, commented) from an attestation trusted today')
    .requiredOption('--from <bundle>', 'the attestation: Sigstore bundle, DSSE envelope or JSONL (the first one is used)')
    .option('--out <file>', 'write the policy here (default: stdout)')
    .option('--force', 'overwrite --out if it exists')
    .option('--max-age <duration>', 'the maxAge to write', '30d')
    .action(action(async () => ({ run: (await import('./commands/policy.ts')).runInit })));
  policyCommand
    .command('lint')
    .description('check a policy file without verifying anything: each problem as file:line:col; exit 2 on errors')
    .argument('<file>', 'policy file (YAML or JSON)')
    .option('--strict', 'warnings (weak policies) also exit 2')
    .option('--json', 'print the problems as JSON')
    .action(action(async () => ({ run: (await import('./commands/policy.ts')).runLint })));

  const sigstore = program.command('sigstore').description('Sigstore client protocols');
  addIdentityOptions(
    sigstore
      .command('verify-bundle')
      .description('verify a Sigstore bundle as the Sigstore conformance suite asks: exit 0 verified, non-zero rejected')
      .argument('<file-or-digest>', 'the artifact, or sha256:<hex> (when it is not an existing file)')
      .requiredOption('--bundle <file>', 'Sigstore bundle')
      .option('--key <file>', 'trusted PEM public key (instead of a certificate identity)')
      .option('--staging', 'the bundle is from the staging instance: needs its --trusted-root (none ships offline)'),
  ).action(action(() => import('./commands/sigstore-verify-bundle.ts')));

  program
    .command('diff')
    .description('what changed between two builds: dependencies (a changed digest at the same version first), builder, source, environment (nothing is verified)')
    .argument('<old>', 'bundle, DSSE envelope, JSONL of them, or statement JSON of the earlier build')
    .argument('<new>', 'the same, of the later build')
    .option('--json', 'print the differences as JSON')
    .action(action(() => import('./commands/diff.ts')));

  program
    .command('inspect')
    .description('summarise a bundle: signer, subjects, builder, source, dependency count (nothing is verified)')
    .argument('<bundle>', 'bundle file')
    .option('--json', 'print JSON')
    .action(action(() => import('./commands/inspect.ts')));

  addTrustPolicyOptions(
    program
      .command('fetch')
      .description('download an artifact and its attestation, verify it like `verify`, and only then write it to --out; nothing is written on any failure')
      .argument('<url>', 'artifact URL (https; plain http only to loopback or with --allow-insecure)')
      .requiredOption('-o, --out <path>', 'where to write the verified artifact (replaced only once verified)')
      .option('--bundle-url <url>', 'attestation URL (default: <url>.sigstore.json, then <url>.intoto.jsonl)')
      .option('--timeout <duration>', 'fail a transfer that makes no progress for this long: 300ms, 30s, 5m', '60s')
      .option('--max-redirects <n>', 'redirects followed per download', '5')
      .option('--max-size <size>', 'largest accepted artifact: bytes, or with K, M, G, T (1024-based)', '4G')
      .option('--allow-insecure', 'allow plain http to hosts other than loopback (the attestation still decides)')
      .option('--json', 'print the result object as JSON on stdout'),
  ).action(action(() => import('./commands/fetch.ts')));

  program
    .command('lint')
    .description('check an attestation from any producer against the in-toto, DSSE and SLSA specs (nothing is verified): exit 0 without errors, 1 with any')
    .argument('<file>', 'Sigstore bundle, DSSE envelope, JSONL of them, or statement JSON')
    .option('--json', 'print the issues as JSON')
    .action(action(() => import('./commands/lint.ts')));

  // Takes attest's own flags, so an attest command line can be checked by changing only the command.
  addSigningOptions(
    addCollectOptions(
      program
        .command('doctor')
        .description('pre-flight checks before attesting and publishing, one line each: OK, WARN or FAIL with the fix; exit 0 without a FAIL, 1 with any'),
    ),
  )
    .option('--out <file>', 'accepted so that an attest command line can be reused; nothing is written')
    .option('--statement-out <file>', 'accepted, like --out')
    .option('--sbom', 'accepted, like --out')
    .option('--sbom-out <file>', 'accepted, like --out')
    .action(action(() => import('./commands/doctor.ts')));

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.BAD_INPUT;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.BAD_INPUT;
    }
    io.stderr(errorLine(err));
    return EXIT.BAD_INPUT;
  }
}
