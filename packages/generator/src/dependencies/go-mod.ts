import { lockfileInvalid } from './lockfile-json.ts';

/** One `require` line of go.mod. */
export interface GoRequire {
  path: string;
  version: string;
  /** Marked `// indirect`: needed by the build, but not imported by the main module itself. */
  indirect: boolean;
}

/** One `replace old [v] => new [v]` directive; a new path without a version is a local directory. */
export interface GoReplace {
  oldPath: string;
  oldVersion: string | undefined;
  newPath: string;
  newVersion: string | undefined;
}

/** The parts of go.mod that decide the build list. */
export interface GoMod {
  module: string | undefined;
  /** The `go` directive (`1.21`, `1.22.3`); undefined when absent. */
  goVersion: string | undefined;
  requires: GoRequire[];
  replaces: GoReplace[];
  /** `path@version` of each `exclude`. */
  excludes: Set<string>;
}

const BLOCK_VERBS = new Set(['require', 'replace', 'exclude', 'retract', 'tool', 'ignore', 'godebug']);

/**
 * Parses go.mod. Hand-written: go.mod is a small line format (golang.org/x/mod/modfile) and npm
 * has no maintained parser for it. Handles single-line and `verb ( … )` block directives, `//`
 * comments (`// indirect` is kept), and quoted module paths. Directives that do not bear on the
 * build list (toolchain, retract, tool, godebug, …) are skipped.
 */
export function parseGoMod(text: string, source: string): GoMod {
  const mod: GoMod = { module: undefined, goVersion: undefined, requires: [], replaces: [], excludes: new Set() };
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const where = () => `line ${n + 1}`;
    const commentAt = raw.indexOf('//');
    const comment = commentAt >= 0 ? raw.slice(commentAt + 2).trim() : '';
    const tokens = tokenize(commentAt >= 0 ? raw.slice(0, commentAt) : raw, source, where);
    if (tokens.length === 0) continue;
    if (block !== undefined) {
      if (tokens.length === 1 && tokens[0] === ')') {
        block = undefined;
        continue;
      }
      directive(mod, block, tokens, comment, source, where);
      continue;
    }
    const verb = tokens[0]!;
    if (tokens.length === 2 && tokens[1] === '(' && BLOCK_VERBS.has(verb)) {
      block = verb;
      continue;
    }
    directive(mod, verb, tokens.slice(1), comment, source, where);
  }
  if (block !== undefined) throw lockfileInvalid(source, `unterminated ${block} ( block`);
  return mod;
}

function directive(mod: GoMod, verb: string, args: string[], comment: string, source: string, where: () => string): void {
  switch (verb) {
    case 'module':
      mod.module = args[0];
      return;
    case 'go':
      mod.goVersion = args[0];
      return;
    case 'require':
      if (args.length !== 2) throw lockfileInvalid(source, `${where()}: require needs a module path and a version`);
      mod.requires.push({ path: args[0]!, version: args[1]!, indirect: /^indirect(;|$)/.test(comment) });
      return;
    case 'exclude':
      if (args.length !== 2) throw lockfileInvalid(source, `${where()}: exclude needs a module path and a version`);
      mod.excludes.add(`${args[0]}@${args[1]}`);
      return;
    case 'replace': {
      const arrow = args.indexOf('=>');
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow < 0 || left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
        throw lockfileInvalid(source, `${where()}: replace must be "old [version] => new [version]"`);
      }
      mod.replaces.push({ oldPath: left[0]!, oldVersion: left[1], newPath: right[0]!, newVersion: right[1] });
      return;
    }
    default:
      // toolchain, retract, tool, ignore, godebug and directives newer than this reader.
      return;
  }
}

/** Splits a line into tokens; `"…"` and `` `…` `` quote a token as in Go. */
function tokenize(line: string, source: string, where: () => string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(=>|[()]|[^\s"`()]+))/y;
  let match: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < line.length) {
    const start = re.lastIndex;
    match = re.exec(line);
    if (match === null) {
      if (line.slice(start).trim() === '') break;
      throw lockfileInvalid(source, `${where()}: cannot read ${JSON.stringify(line.slice(start, start + 40))}`);
    }
    if (match[1] !== undefined) {
      try {
        tokens.push(JSON.parse(`"${match[1]}"`) as string);
      } catch {
        throw lockfileInvalid(source, `${where()}: bad quoted string`);
      }
    } else tokens.push(match[2] ?? match[3]!);
  }
  return tokens;
}

/** True for a replacement that is a directory (`./x`, `../x`, `/abs`, `C:\x`), not a module. */
export function isLocalReplacement(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..' || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('.\\') || path.startsWith('..\\');
}

/** Module-graph pruning (go 1.17+) makes go.mod list every module the build needs. */
export function listsWholeBuildList(goVersion: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(goVersion ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  return major > 1 || (major === 1 && Number(match[2]) >= 17);
}

/**
 * Orders Go module versions by semantic-version precedence (`v1.2.3` < `v1.10.0`; pre-releases,
 * pseudo-versions included, before their release; build metadata such as `+incompatible` ignored).
 */
export function compareGoVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  for (let i = 0; i < 3; i++) {
    const d = compareNumeric(pa.core[i] ?? '0', pb.core[i] ?? '0');
    if (d !== 0) return d;
  }
  if (pa.pre.length === 0 || pb.pre.length === 0) return pb.pre.length - pa.pre.length;
  for (let i = 0; i < Math.min(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i]!;
    const y = pb.pre[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    const d = xn && yn ? compareNumeric(x, y) : xn ? -1 : yn ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return pa.pre.length - pb.pre.length;
}

function splitVersion(v: string): { core: string[]; pre: string[] } {
  const noBuild = v.replace(/^v/, '').split('+')[0]!;
  const dash = noBuild.indexOf('-');
  const core = (dash < 0 ? noBuild : noBuild.slice(0, dash)).split('.');
  const pre = dash < 0 ? [] : noBuild.slice(dash + 1).split('.');
  return { core, pre };
}

// Digit strings of any length, compared without Number() so huge components stay exact.
function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
