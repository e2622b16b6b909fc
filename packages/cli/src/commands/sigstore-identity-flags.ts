import { type Command, Option } from 'commander';

// Loaded by main.ts at start-up to declare the flags, so it imports nothing heavy: the verifier is
// only loaded by the commands. The names are the verifier's FULCIO_EXTENSIONS (a test keeps them equal).
export const EXTENSION_NAMES = [
  'githubWorkflowTrigger',
  'githubWorkflowSHA',
  'githubWorkflowName',
  'githubWorkflowRepository',
  'githubWorkflowRef',
  'buildSignerURI',
  'buildSignerDigest',
  'runnerEnvironment',
  'sourceRepositoryURI',
  'sourceRepositoryDigest',
  'sourceRepositoryRef',
  'sourceRepositoryIdentifier',
  'sourceRepositoryOwnerURI',
  'sourceRepositoryOwnerIdentifier',
  'buildConfigURI',
  'buildConfigDigest',
  'buildTrigger',
  'runInvocationURI',
  'sourceRepositoryVisibilityAtSigning',
  'deploymentEnvironment',
] as const;

/**
 * `--certificate-<extension name in kebab case>`: `sourceRepositoryURI` is
 * `--certificate-source-repository-uri`; the GitHub ones are cosign's own flag names
 * (`--certificate-github-workflow-repository`).
 */
export function extensionFlag(name: string): string {
  return `--certificate-${name.replace(/URI/g, 'Uri').replace(/SHA/g, 'Sha').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flags of one certificate identity (cosign's names) and the trusted roots to check it against. */
export function addIdentityOptions(cmd: Command): Command {
  cmd
    .option('--trusted-root <file>', 'Sigstore trusted_root.json to verify keyless bundles against; repeatable (default: the public-good root, offline)', collect, [])
    .option('--certificate-identity <san>', 'keyless: the signing certificate\'s SAN, exactly')
    .option('--certificate-identity-regexp <regexp>', 'keyless: a regexp the whole SAN must match (always anchored at both ends)')
    .option('--certificate-oidc-issuer <url>', 'keyless: the OIDC issuer, exactly')
    .option('--certificate-oidc-issuer-regexp <regexp>', 'keyless: a regexp the whole OIDC issuer must match (anchored)')
    .option('--certificate-no-oidc-issuer', 'keyless: the certificate carries no OIDC issuer (GitHub\'s release attester https://dotcom.releases.github.com)')
    .option('--deny-self-hosted-runners', 'keyless: the certificate\'s runner environment must be platform-hosted (github-hosted)');
  for (const name of EXTENSION_NAMES) {
    cmd.addOption(new Option(`${extensionFlag(name)} <value>`, `keyless: certificate extension ${name} must be exactly this`));
  }
  return cmd;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
