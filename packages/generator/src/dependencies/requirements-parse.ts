import { lockfileInvalid } from './lockfile-json.ts';
import { normalizePythonName } from './python-names.ts';

/** One requirement line of a pip requirements file. */
export interface RequirementLine {
  /** Normalised project name. */
  name: string;
  /** The `==` (or `===`) pin; '' for any other specifier or none. */
  version: string;
  /** `--hash=<alg>:<hex>` values, as written. */
  hashes: string[];
  /** A direct reference: `name @ <url>`, an `-e`/bare VCS or archive URL, or a local path. */
  url: string | undefined;
  /** pip-compile's `# via` annotation: parent names, `-r file`/`-c file`, `name (pyproject.toml)`. */
  via: string[];
  /** 1-based line number, for messages. */
  line: number;
}

/** What one requirements file holds. */
export interface RequirementsFile {
  requirements: RequirementLine[];
  /** `-r`/`--requirement` targets, as written. */
  includes: string[];
  /** `-c`/`--constraint` targets, as written. */
  constraints: string[];
  /** True when pip-compile's `# via` annotations are present (they then tell direct and edges). */
  annotated: boolean;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const PIN = /^===?\s*([^\s,;]+)\s*$/;

/**
 * Parses a pip requirements file. Hand-written: the format is pip's own (no JavaScript parser
 * exists) and simple: logical lines joined at a trailing backslash, `#` comments at the start of
 * a line or after whitespace, option lines starting with `-`. Options that do not name packages
 * (`--index-url`, `--find-links`, `--require-hashes`, …) are skipped. Lines that name no project
 * (a bare URL or path without `#egg=`) cannot be recorded and are skipped.
 */
export function parseRequirementsFile(text: string, source: string): RequirementsFile {
  const out: RequirementsFile = { requirements: [], includes: [], constraints: [], annotated: false };
  const physical = text.split(/\r?\n/);
  let viaTarget: RequirementLine | undefined;
  let inVia = false;
  for (let n = 0; n < physical.length; n++) {
    const start = n;
    let line = physical[n]!;
    // A comment line ends no continuation; only code lines continue with a trailing backslash.
    while (!/^\s*#/.test(line) && line.endsWith('\\') && n + 1 < physical.length) line = line.slice(0, -1) + physical[++n]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      const via = /^#\s*via\b\s*(.*)$/.exec(trimmed);
      if (via && viaTarget) {
        out.annotated = true;
        inVia = true;
        for (const part of via[1]!.split(',')) if (part.trim() !== '') viaTarget.via.push(part.trim());
      } else if (inVia && viaTarget && /^#\s{2,}\S/.test(trimmed)) {
        viaTarget.via.push(trimmed.slice(1).trim());
      } else inVia = false;
      continue;
    }
    inVia = false;
    const code = line.replace(/(^|\s)#.*$/, '').trim();
    if (code === '') continue;
    const where = `line ${start + 1}`;
    if (code.startsWith('-')) {
      const option = readOption(code);
      if (option.flag === 'r') out.includes.push(option.value(source, where));
      else if (option.flag === 'c') out.constraints.push(option.value(source, where));
      else if (option.flag === 'e') {
        const req = fromUrl(option.value(source, where), start + 1);
        if (req) {
          out.requirements.push(req);
          viaTarget = req;
        }
      }
      continue;
    }
    const req = parseRequirement(code, start + 1, source);
    if (req) {
      out.requirements.push(req);
      viaTarget = req;
    }
  }
  return out;
}

function readOption(code: string): { flag: 'r' | 'c' | 'e' | undefined; value: (source: string, where: string) => string } {
  const match = /^(-r|--requirement|-c|--constraint|-e|--editable)(?:=|\s+|(?<=^-[rce]))(.*)$/.exec(code);
  if (!match) return { flag: undefined, value: () => '' };
  const flag = match[1]!.startsWith('--') ? ({ '--requirement': 'r', '--constraint': 'c', '--editable': 'e' } as const)[match[1] as '--requirement' | '--constraint' | '--editable'] : (match[1]![1] as 'r' | 'c' | 'e');
  return {
    flag,
    value: (source, where) => {
      const value = match[2]!.trim();
      if (value === '') throw lockfileInvalid(source, `${where}: ${match[1]} needs a value`);
      return value;
    },
  };
}

function parseRequirement(code: string, line: number, source: string): RequirementLine | undefined {
  const hashes: string[] = [];
  // Per-requirement options come after the requirement; only --hash matters here.
  let rest = code.replace(/\s--hash(?:=|\s+)(\S+)/g, (_, hash: string) => {
    hashes.push(hash);
    return '';
  });
  rest = rest.replace(/\s--[a-z-]+(?:=\S+)?/g, '').trim();
  const name = NAME.exec(rest);
  if (!name) {
    const fromLink = fromUrl(rest, line);
    if (fromLink) fromLink.hashes = hashes;
    return fromLink;
  }
  const after = rest.slice(name[0].length);
  if (after.startsWith('@')) {
    const url = after.slice(1).trim().split(/\s*;\s/)[0]!.trim();
    if (url === '') throw lockfileInvalid(source, `line ${line}: "@" needs a URL`);
    return { name: normalizePythonName(name[1]!), version: '', hashes, url, via: [], line };
  }
  const spec = after.split(';')[0]!.trim();
  const pin = PIN.exec(spec);
  return { name: normalizePythonName(name[1]!), version: pin ? pin[1]! : '', hashes, url: undefined, via: [], line };
}

/** A bare URL, VCS URL or path (as after `-e`); named only by its `#egg=` fragment. */
function fromUrl(spec: string, line: number): RequirementLine | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  if (!egg) return undefined;
  return { name: normalizePythonName(egg[1]!.replace(/-\d.*$/, '')), version: '', hashes: [], url: spec.split(/\s+/)[0]!, via: [], line };
}
