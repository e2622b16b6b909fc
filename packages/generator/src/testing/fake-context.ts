import { posix } from 'node:path';
import type { CollectorContext, ExecResult } from '../context.ts';

/** What a fake exec answers: keyed by `file arg1 arg2 ...`; unknown commands answer "not found". */
export type ExecAnswers = Record<string, Partial<ExecResult> | ((args: readonly string[]) => Partial<ExecResult>)>;

export interface FakeContextOptions {
  env?: Record<string, string>;
  cwd?: string;
  now?: Date;
  /** Path (absolute, posix) -> file content. Directories are implied by the paths. */
  files?: Record<string, string | Buffer>;
  exec?: ExecAnswers;
  platform?: Partial<CollectorContext['platform']>;
}

/** A CollectorContext backed by memory, for unit tests. No real process, file or clock is touched. */
export function fakeContext(options: FakeContextOptions = {}): CollectorContext & { calls: string[] } {
  const cwd = options.cwd ?? '/work/project';
  const files = new Map<string, Buffer>();
  for (const [p, content] of Object.entries(options.files ?? {})) {
    files.set(posix.resolve(cwd, p), Buffer.isBuffer(content) ? content : Buffer.from(content));
  }
  const dirs = new Set<string>();
  for (const p of files.keys()) {
    for (let d = posix.dirname(p); ; d = posix.dirname(d)) {
      dirs.add(d);
      if (d === '/') break;
    }
  }
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  const statOf = (p: string) => {
    const abs = posix.resolve(cwd, p);
    const file = files.get(abs);
    if (file) return { isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false, size: file.length };
    if (dirs.has(abs)) return { isFile: () => false, isDirectory: () => true, isSymbolicLink: () => false, size: 0 };
    throw enoent(abs);
  };
  const calls: string[] = [];
  return {
    calls,
    env: { ...(options.env ?? {}) },
    cwd,
    now: () => new Date(options.now ?? '2026-01-02T03:04:05Z'),
    platform: { os: 'linux', arch: 'x64', release: '6.1.0', ...options.platform },
    async exec(file, args) {
      const key = [file, ...args].join(' ');
      calls.push(key);
      const answer = options.exec?.[key] ?? options.exec?.[file];
      if (!answer) return { code: null, stdout: '', stderr: `${file}: not found` };
      const a = typeof answer === 'function' ? answer(args) : answer;
      return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    },
    fs: {
      async readFile(p) {
        const f = files.get(posix.resolve(cwd, p));
        if (!f) throw enoent(p);
        return f;
      },
      async stat(p) {
        return statOf(p);
      },
      async lstat(p) {
        return statOf(p);
      },
      async readdir(p) {
        const abs = posix.resolve(cwd, p);
        if (!dirs.has(abs)) throw enoent(abs);
        const names = new Set<string>();
        for (const q of [...files.keys(), ...dirs]) {
          if (q !== abs && posix.dirname(q) === abs) names.add(posix.basename(q));
        }
        return [...names].sort();
      },
      async realpath(p) {
        return posix.resolve(cwd, p);
      },
    },
  };
}
