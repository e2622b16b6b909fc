import type { PicomatchOptions } from 'picomatch';
import { picomatch } from './lazy-modules.ts';

// Ref globs: `*` and `?` stay within one `/` segment, `**` crosses segments, braces and classes
// work. No negation (a leading `!` would turn an allow-list entry into "anything but"), no
// extglobs, no basename matching, and `\` is never a separator.
const OPTIONS: PicomatchOptions = { dot: true, nonegate: true, noextglob: true, windows: false };
const MAX_CACHED = 256;
const cache = new Map<string, (ref: string) => boolean>();

/** True when `ref` equals `pattern`, or matches it as a glob (see Policy.source.refs). */
export function refMatches(pattern: string, ref: string): boolean {
  if (pattern === ref) return true;
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    matcher = picomatch().scan(pattern, OPTIONS).isGlob ? picomatch()(pattern, OPTIONS) : (r: string) => r === pattern;
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher(ref);
}
