import { Command, CommanderError, Option } from 'commander';
import { addIdentityOptions } from './commands/sigstore-identity-flags.ts';
import { EXIT } from './exit-codes.ts';
import { type Io, errorLine, processIo } from './output.ts';
import { VERSION } from './version.ts';

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
    .option('--env-allow <name>', 'environment variable (or PREFIX*) to record instead of the default allowlist; repeatable', collect, [])
    .option('--started-on <time>', 'when the build started (RFC 3339); default: when provenant started');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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

  addSigningOptions(addCollectOptions(program.command('attest').description('collect what the build was, sign it (with a key, or keyless) and write a Sigstore bundle')))
    .requiredOption('--out <file>', 'where to write the bundle')
    .option('--statement-out <file>', 'also write the unsigned statement here')
    .option('--sbom', 'also write a signed CycloneDX 1.6 SBOM attestation of the dependencies')
    .option('--sbom-out <file>', 'where to write it (implies --sbom; default: --out with .sbom before .sigstore.json)')
    .action(action(() => import('./commands/attest.ts')));

  addSigningOptions(program.command('sign').description('sign an in-toto statement made elsewhere, byte for byte (with a key, or keyless)'))
    .argument('<statement>', 'statement JSON file')
    .requiredOption('--out <file>', 'where to write the bundle')
    .action(action(() => import('./commands/sign.ts')));

  addIdentityOptions(
    program
      .command('verify')
      .description('verify an artifact against its attestation, trusted keys or keyless identities, and a policy; prints PASSED or FAILED')
      .argument('<artifact>', 'artifact path, or sha256:<hex> / sha384:<hex> / sha512:<hex>')
      .requiredOption('--bundle <file>', 'Sigstore bundle, DSSE envelope or JSONL of them')
      .option('--key <file>', 'trusted PEM public key; repeatable', collect, [])
      .option('--policy <file>', 'policy file (YAML or JSON)')
      .option('--builder-id <id>', 'required builder id (exact); repeatable', collect, [])
      .option('--builder-id-prefix <prefix>', 'allowed builder id prefix; repeatable', collect, [])
      .option('--source-uri <uri>', 'required source repository; repeatable', collect, [])
      .option('--source-ref <ref>', 'required source ref, exact or glob (refs/tags/v*); repeatable', collect, [])
      .option('--build-type <uri>', 'required buildType; repeatable', collect, [])
      .option('--predicate-type <uri>', 'accepted predicate type (default: SLSA provenance v1 and v0.2); repeatable', collect, [])
      .addOption(new Option('--min-bundle-version <version>', 'oldest accepted Sigstore bundle version').choices(['0.1', '0.2', '0.3']))
      .option('--max-age <duration>', 'maximum attestation age, e.g. 30d, 12h, 90m')
      .option('--advisories <dir>', 'directory of OSV advisories (JSON): a dependency one affects fails with DEPENDENCY_VULNERABLE')
      .option('--json', 'print the result object as JSON on stdout'),
  ).action(action(() => import('./commands/verify.ts')));

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
