import { type Command, Option } from 'commander';
import { ProvenantError } from '@provenant/core/verification';
import type { RegistryOptions } from '@provenant/oci';

/** The registry flags of `attest --subject-image`, `verify oci://`, `verify-image` and `attach`. */
export interface RegistryFlags {
  allowInsecureRegistry?: boolean;
  registryTimeout?: string;
}

/** Adds --allow-insecure-registry and --registry-timeout. */
export function addRegistryOptions(cmd: Command): Command {
  return cmd
    .option('--allow-insecure-registry', 'talk plain HTTP to a registry that is not on loopback (loopback registries always are)')
    .addOption(new Option('--registry-timeout <duration>', 'longest wait for a registry answer or the next chunk of one, e.g. 30s').default('60s'));
}

/** Registry options from the flags; credentials come from the Docker config (DOCKER_CONFIG or ~/.docker/config.json). */
export async function registryOptionsFromFlags(flags: RegistryFlags): Promise<RegistryOptions> {
  // The same duration syntax as `fetch --timeout`.
  const { parseTimeout } = await import('@provenant/verifier/verify');
  const text = flags.registryTimeout ?? '60s';
  const ms = parseTimeout(text);
  if (ms === undefined || ms <= 0) throw new ProvenantError('USAGE', `--registry-timeout: not a duration like 30s, 500ms or 2m: ${text.slice(0, 40)}`);
  return { allowInsecure: flags.allowInsecureRegistry === true, timeoutMs: ms };
}
