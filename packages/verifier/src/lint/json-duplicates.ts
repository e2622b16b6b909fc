import { childPath } from './lint-issue.ts';

type Frame = { kind: 'object'; path: string; keys: Set<string>; key: string | undefined } | { kind: 'array'; path: string; index: number };

/**
 * Paths of the keys that occur twice in one object of a JSON text (`predicate.buildDefinition.buildType`).
 * JSON.parse keeps the last occurrence, other parsers the first or refuse: the same bytes then
 * say different things to different verifiers. Expects text JSON.parse accepts; iterative, so
 * deep nesting cannot overflow the stack. Stops after `limit` duplicates.
 */
export function duplicateKeyPaths(text: string, limit = 20): string[] {
  const found: string[] = [];
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length && found.length < limit) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      const path = top === undefined ? '' : valuePath(top);
      stack.push(c === '{' ? { kind: 'object', path, keys: new Set(), key: undefined } : { kind: 'array', path, index: 0 });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.key === undefined) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) found.push(childPath(top.path, key));
        top.keys.add(key);
        top.key = key;
      }
      i = end;
    } else if (c === ',') {
      if (top?.kind === 'object') top.key = undefined;
      else if (top?.kind === 'array') top.index++;
      i++;
    } else {
      // Whitespace, ':' and the characters of numbers, true, false and null.
      i++;
    }
  }
  return found;
}

function valuePath(frame: Frame): string {
  return frame.kind === 'object' ? childPath(frame.path, frame.key ?? '') : childPath(frame.path, frame.index);
}

/** The index just after the closing quote of the string that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}
