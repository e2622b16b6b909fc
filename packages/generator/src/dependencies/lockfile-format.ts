import type { DependencyFacts, Ecosystem, PackageManager } from './model.ts';

/** What a parser may read besides the lockfile itself (a manifest beside it, go.mod next to go.sum). */
export interface LockfileInput {
  /** The lockfile's text. */
  text: string;
  /** Path relative to the collector's cwd, for messages and `DependencyFacts.lockfile`. */
  path: string;
  /** Reads a file in the lockfile's directory by name; undefined when it does not exist. */
  readSibling(name: string): Promise<string | undefined>;
  /**
   * Folders below the lockfile's directory (posix, relative) that match a workspace glob such as
   * `packages/*`, sorted; `node_modules` and dot-folders are never entered. Optional: formats
   * must work without it (tests may omit it).
   */
  globFolders?(pattern: string): Promise<string[]>;
}

/**
 * One lockfile format. `fileNames` are the exact names it is found under by discovery;
 * `parse` is pure apart from readSibling, and throws ProvenantError('LOCKFILE_INVALID') on bad input.
 */
export interface LockfileFormat {
  manager: PackageManager;
  ecosystem: Ecosystem;
  fileNames: readonly string[];
  parse(input: LockfileInput): Promise<Omit<DependencyFacts, 'lockfile'>>;
}
