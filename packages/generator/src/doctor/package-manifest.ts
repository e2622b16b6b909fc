import { join } from 'node:path';
import type { CollectorContext } from '../context.ts';

/** The parts of package.json the pre-flight checks read. */
export interface PackageManifest {
  name?: string;
  private: boolean;
  /** `repository` as a string, or `repository.url`. */
  repositoryUrl?: string;
  /** `publishConfig.provenance: true`: npm publishes this package with provenance. */
  provenance: boolean;
}

/** package.json in cwd, or undefined when there is none; `invalid` when it does not parse. */
export async function readPackageManifest(ctx: CollectorContext): Promise<PackageManifest | 'invalid' | undefined> {
  let text: string;
  try {
    text = (await ctx.fs.readFile(join(ctx.cwd, 'package.json'))).toString('utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'invalid';
  const m = json as Record<string, unknown>;
  const repository = m['repository'];
  const repositoryUrl =
    typeof repository === 'string' ? repository : typeof (repository as { url?: unknown } | null)?.url === 'string' ? (repository as { url: string }).url : undefined;
  const publishConfig = m['publishConfig'] as { provenance?: unknown } | undefined;
  return {
    ...(typeof m['name'] === 'string' ? { name: m['name'] } : {}),
    private: m['private'] === true,
    ...(repositoryUrl !== undefined && repositoryUrl.trim() !== '' ? { repositoryUrl: repositoryUrl.trim() } : {}),
    provenance: publishConfig?.provenance === true,
  };
}

/** npm will publish with provenance: `publishConfig.provenance`, or `--provenance` via npm's environment config. */
export function provenanceRequested(manifest: PackageManifest, env: Readonly<Record<string, string | undefined>>): boolean {
  const flag = env['NPM_CONFIG_PROVENANCE'] ?? env['npm_config_provenance'];
  return manifest.provenance || flag === 'true';
}
