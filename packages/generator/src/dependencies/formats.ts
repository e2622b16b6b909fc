import type { LockfileFormat } from './lockfile-format.ts';
import { npmFormat } from './npm-format.ts';

/**
 * Every lockfile format provenant reads. Discovery matches a file by its exact name; when one
 * directory holds several names of one manager, the first listed in `fileNames` wins (npm reads
 * npm-shrinkwrap.json before package-lock.json).
 */
export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [npmFormat];
