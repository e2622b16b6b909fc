import { TOKEN_SOURCES } from '@provenant/core';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';
import type { SigningIntent } from './signing-intent.ts';

const CHECK = 'transparency-log';

/** Event payloads are small; a bigger file is not one. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * `public`, `private` or `internal`, as the platform says: GitHub's event payload
 * (GITHUB_EVENT_PATH, `repository.visibility`, else `repository.private`; GitHub sets no variable
 * for it), GitLab's CI_PROJECT_VISIBILITY. Undefined when it does not say.
 */
export async function repositoryVisibility(ctx: CollectorContext): Promise<string | undefined> {
  const env = ctx.env;
  if (env['GITLAB_CI'] === 'true') return env['CI_PROJECT_VISIBILITY'] || undefined;
  if (env['GITHUB_ACTIONS'] !== 'true' || !env['GITHUB_EVENT_PATH']) return undefined;
  try {
    const path = env['GITHUB_EVENT_PATH'];
    if ((await ctx.fs.stat(path)).size > MAX_EVENT_BYTES) return undefined;
    const event = JSON.parse((await ctx.fs.readFile(path)).toString('utf8')) as { repository?: { visibility?: unknown; private?: unknown } };
    const repository = event.repository;
    if (typeof repository?.visibility === 'string') return repository.visibility;
    if (typeof repository?.private === 'boolean') return repository.private ? 'private' : 'public';
  } catch {
    // an unreadable payload says nothing
  }
  return undefined;
}

/**
 * Keyless signing into the public-good Rekor publishes the certificate, which names the
 * repository, workflow and ref, for good. For a private repository that is a leak no one can undo,
 * so it is a FAIL before it happens; signing with a key, no log, or one's own log is fine.
 */
export async function checkTransparencyLog(ctx: CollectorContext, signing: SigningIntent): Promise<DoctorCheck> {
  if (signing.key) return { level: 'OK', check: CHECK, what: 'signing with --key writes nothing to a transparency log' };
  if (signing.noTlog) return { level: 'OK', check: CHECK, what: '--no-tlog: no log entry is written' };
  if (signing.ownSigstore) return { level: 'OK', check: CHECK, what: 'keyless signing into the log named by --signing-config or --rekor-url' };
  const keyless = signing.identityToken === true || TOKEN_SOURCES.some((s) => s.detect(ctx.env) && s.missing(ctx.env) === undefined);
  if (!keyless) return { level: 'OK', check: CHECK, what: 'no keyless signing here, so nothing goes to the public log' };
  const fix = 'sign with --key FILE, or use your own Sigstore instance (--signing-config FILE)';
  const visibility = await repositoryVisibility(ctx);
  if (visibility === 'public') return { level: 'OK', check: CHECK, what: 'public repository: keyless signing into the public Rekor log reveals nothing new' };
  if (visibility === undefined) {
    return {
      level: 'WARN',
      check: CHECK,
      what: 'cannot tell whether the repository is public, and keyless signing writes its name, workflow and ref to the public Rekor log for good',
      fix: `if it is private: ${fix}`,
    };
  }
  return {
    level: 'FAIL',
    check: CHECK,
    what: `${visibility} repository, and keyless signing would write its name, workflow and ref to the public Rekor log, where they stay for good`,
    fix,
  };
}
