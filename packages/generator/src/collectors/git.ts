import { ProvenantError } from '@provenant/core';
import type { Collector, CollectorContext, ExecResult } from '../context.ts';
import { looksLikeSecret } from './secrets.ts';
import { stripUrlCredentials } from './url-credentials.ts';

export { stripUrlCredentials } from './url-credentials.ts';

/** What the git checkout the build ran in says about its source. */
export interface GitFacts {
  /** HEAD: 40 hex digits (SHA-1 repositories) or 64 (SHA-256 repositories). */
  commit: string;
  /** `dirty` when the work tree differs from HEAD in any way, untracked files included. */
  treeState: 'clean' | 'dirty';
  /** Entries reported by `git status` (a rename counts once, an untracked directory once). */
  changedFiles: number;
  /** Full ref: `refs/heads/<branch>`, else an exact `refs/tags/<tag>`; absent on a detached HEAD. */
  ref?: string;
  /** `origin` (or the first remote) with credentials, query and fragment removed. */
  remoteUrl?: string;
}

const GIT_TIMEOUT_MS = 10_000;
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function git(ctx: CollectorContext, ...args: string[]): Promise<ExecResult> {
  return ctx.exec('git', args, { cwd: ctx.cwd, timeoutMs: GIT_TIMEOUT_MS });
}

/**
 * Counts `git status --porcelain=v1 -z` entries. With -z each entry is `XY path` followed by NUL,
 * and a rename or copy is followed by one more NUL-terminated field (its source path), which must
 * not be counted as a second entry.
 */
export function countStatusEntries(porcelainZ: string): number {
  const fields = porcelainZ.split('\0');
  let count = 0;
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    if (entry.length < 3) continue;
    count++;
    const x = entry[0];
    const y = entry[1];
    if (x === 'R' || x === 'C' || y === 'R' || y === 'C') i++;
  }
  return count;
}

async function isInsideWorkTree(ctx: CollectorContext): Promise<boolean> {
  const result = await git(ctx, 'rev-parse', '--is-inside-work-tree');
  return result.code === 0 && result.stdout.trim() === 'true';
}

async function currentRef(ctx: CollectorContext): Promise<string | undefined> {
  const branch = await git(ctx, 'symbolic-ref', '-q', 'HEAD');
  const branchRef = branch.stdout.trim();
  if (branch.code === 0 && branchRef.startsWith('refs/')) return branchRef;

  // Detached HEAD, as CI checkouts of tags usually are: name an exact tag if there is one.
  const described = await git(ctx, 'describe', '--tags', '--exact-match');
  const tag = described.stdout.trim();
  if (described.code === 0 && /^\S+$/.test(tag)) return `refs/tags/${tag}`;

  // Fallback that reads the tag refs directly, without describe's candidate search. Several tags
  // may point at HEAD: take the first in sort order so the answer is deterministic.
  const pointing = await git(ctx, 'tag', '--points-at', 'HEAD');
  if (pointing.code !== 0) return undefined;
  const tags = pointing.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\S+$/.test(line))
    .sort();
  return tags[0] === undefined ? undefined : `refs/tags/${tags[0]}`;
}

async function remoteUrl(ctx: CollectorContext): Promise<string | undefined> {
  let result = await git(ctx, 'remote', 'get-url', 'origin');
  if (result.code !== 0) {
    const remotes = await git(ctx, 'remote');
    const first = remotes.code === 0 ? remotes.stdout.split('\n')[0]?.trim() : undefined;
    if (!first) return undefined;
    result = await git(ctx, 'remote', 'get-url', first);
    if (result.code !== 0) return undefined;
  }
  const raw = result.stdout.trim();
  if (raw === '') return undefined;
  const stripped = stripUrlCredentials(raw);
  // e.g. an scp-like remote whose user part is a token: better no URL than a leaked one.
  return looksLikeSecret(stripped) ? undefined : stripped;
}

/**
 * Records the git checkout at ctx.cwd.
 *
 * detect is true inside a work tree (false when git is not installed, cwd is not a checkout, or git
 * refuses the repository, e.g. for "dubious ownership" in a container). collect can be called
 * regardless and returns undefined wherever detect would be false, and also for a repository with
 * no commits yet, which has no HEAD to describe. It throws COLLECTOR_FAILED only when git answers
 * but makes no sense (a malformed commit id, or a status that cannot be read): recording a
 * possibly dirty tree as clean would be worse than no provenance.
 *
 * Status is read with `--no-optional-locks` so the collector never rewrites the index of the build
 * it describes, and with `--untracked-files=normal` so a user's status.showUntrackedFiles=no cannot
 * hide untracked files (which can change a build) from the tree state.
 */
export const gitCollector: Collector<GitFacts | undefined> = {
  name: 'git',

  detect: isInsideWorkTree,

  async collect(ctx) {
    if (!(await isInsideWorkTree(ctx))) return undefined;
    const head = await git(ctx, 'rev-parse', 'HEAD');
    if (head.code !== 0) return undefined; // no commits yet
    const commit = head.stdout.trim();
    if (!COMMIT_ID.test(commit)) {
      throw new ProvenantError('COLLECTOR_FAILED', `git rev-parse HEAD returned something that is not a commit id (${commit.length} characters)`);
    }

    const [status, ref, remote] = await Promise.all([
      git(ctx, '--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=normal'),
      currentRef(ctx),
      remoteUrl(ctx),
    ]);
    if (status.code !== 0) {
      throw new ProvenantError('COLLECTOR_FAILED', `git status failed (exit code ${status.code ?? 'none'}); cannot tell whether the work tree is clean`);
    }
    const changedFiles = countStatusEntries(status.stdout);

    const facts: GitFacts = { commit, treeState: changedFiles > 0 ? 'dirty' : 'clean', changedFiles };
    if (ref !== undefined) facts.ref = ref;
    if (remote !== undefined) facts.remoteUrl = remote;
    return facts;
  },
};
