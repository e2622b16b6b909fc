// Lockfile parsing: provenant's parseNpmLockfile against npm's own Arborist (loadVirtual) on the
// same real lockfile, each in its own child process so that neither heap nor JIT state leaks into
// the other's numbers. Also runnable alone: `node bench/lockfiles.ts` (add
// `--conditions=provenant-source` to measure the sources instead of dist/).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Row, median, printTable } from './harness.ts';

/** A lockfile this big is what the comparison is about: monorepos and apps with heavy toolchains. */
const MIN_PACKAGES = 1500;
const RUNS = 7;
const FIXTURES = join(import.meta.dirname, '..', 'packages', 'generator', 'src', 'dependencies', 'fixtures', 'npm');

/**
 * Gives 1,800 lockfile entries with npm 11 (2024 versions, pinned, so the tree only drifts through
 * transitive ranges) and no peer conflicts, so `npm install --package-lock-only` succeeds cleanly.
 */
const MANIFEST = {
  name: 'provenant-bench-lockfile',
  version: '1.0.0',
  private: true,
  dependencies: { express: '4.19.2', react: '18.3.1', 'react-dom': '18.3.1', axios: '1.7.2', 'aws-sdk': '2.1640.0', '@nestjs/core': '10.3.9', '@nestjs/common': '10.3.9', rxjs: '7.8.1', 'reflect-metadata': '0.2.2' },
  devDependencies: {
    'react-scripts': '5.0.1',
    jest: '29.7.0',
    webpack: '5.92.0',
    'webpack-cli': '5.1.4',
    eslint: '8.57.0',
    '@babel/core': '7.24.7',
    '@babel/preset-env': '7.24.7',
    '@nestjs/cli': '10.3.2',
    '@angular/cli': '17.3.8',
    vite: '5.3.1',
    typescript: '4.9.5',
  },
};

type Impl = 'provenant' | 'arborist';

/** What a worker reports. */
interface Measured {
  /** Distinct name@version, root, links and local projects excluded. */
  count: number;
  /** Median wall time of one read+parse, ms (time mode). */
  medianMs?: number;
  /** Peak resident set of the process, KiB, and the resident set just before parsing (memory mode). */
  peakRssKiB?: number;
  baseRssKiB?: number;
}

/** Where the lockfile came from, for the table title. */
interface Source {
  dir: string;
  label: string;
  note?: string;
}

/** Runs the comparison and prints its table (called by bench/run.ts). */
export async function benchLockfiles(): Promise<void> {
  const source = lockfileSource();
  const lockfile = join(source.dir, 'package-lock.json');
  const entries = Object.keys((JSON.parse(readFileSync(lockfile, 'utf8')) as { packages?: object }).packages ?? {}).length;
  const mib = statSync(lockfile).size / 1048576;
  if (source.note) console.log(`\n(${source.note})`);

  const ours = { time: worker('provenant', 'time', source.dir), memory: worker('provenant', 'memory', source.dir) };
  const theirs = { time: worker('arborist', 'time', source.dir), memory: worker('arborist', 'memory', source.dir) };
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rss = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const speed = theirs.time.medianMs! / ours.time.medianMs!;
  const rows: Row[] = [
    {
      name: 'distinct name@version (must be equal)',
      value: String(ours.time.count),
      baseline: `${theirs.time.count} Arborist`,
      ratio: ours.time.count === theirs.time.count ? 'equal' : 'DIFFERENT',
    },
    {
      name: `read + parse, median of ${RUNS}`,
      value: ms(ours.time.medianMs!),
      baseline: `${ms(theirs.time.medianMs!)} Arborist loadVirtual`,
      ratio: `${speed.toFixed(1)}x faster`,
      target: '>= 5x',
    },
    {
      name: 'peak RSS of the process, one parse',
      value: rss(ours.memory.peakRssKiB!),
      baseline: `${rss(theirs.memory.peakRssKiB!)} Arborist`,
      ratio: `${(theirs.memory.peakRssKiB! / ours.memory.peakRssKiB!).toFixed(2)}x less`,
    },
    {
      name: 'peak RSS above the loaded process',
      value: rss(ours.memory.peakRssKiB! - ours.memory.baseRssKiB!),
      baseline: `${rss(theirs.memory.peakRssKiB! - theirs.memory.baseRssKiB!)} Arborist`,
      ratio: `${((theirs.memory.peakRssKiB! - theirs.memory.baseRssKiB!) / Math.max(1, ours.memory.peakRssKiB! - ours.memory.baseRssKiB!)).toFixed(2)}x less`,
    },
  ];
  printTable(`npm lockfile parsing: ${source.label}, ${entries} entries, ${mib.toFixed(1)} MiB`, rows);
}

/**
 * The lockfile to measure: a committed fixture of MIN_PACKAGES entries or more if there is one
 * (offline, stable); else one generated once with the real npm and cached under the OS temporary
 * directory (keyed by the manifest); else, offline, the largest committed fixture, said so.
 */
function lockfileSource(): Source {
  const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'package-lock.json')))
    .map((d) => {
      const text = readFileSync(join(FIXTURES, d.name, 'package-lock.json'), 'utf8');
      const lock = JSON.parse(text) as { lockfileVersion?: number; packages?: object };
      return { name: d.name, dir: join(FIXTURES, d.name), entries: Object.keys(lock.packages ?? {}).length, v: lock.lockfileVersion };
    })
    .filter((f) => f.v === 2 || f.v === 3)
    .sort((a, b) => b.entries - a.entries);
  const largest = fixtures[0];
  if (largest && largest.entries >= MIN_PACKAGES) return { dir: largest.dir, label: `fixture ${largest.name}` };

  const manifest = `${JSON.stringify(MANIFEST, null, 2)}\n`;
  const dir = join(tmpdir(), `provenant-bench-lockfile-${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`);
  if (existsSync(join(dir, 'package-lock.json'))) return { dir, label: `generated by npm (cached in ${dir})` };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), manifest);
  // No retries: offline, npm would otherwise back off for minutes before the fallback below.
  const npm = spawnSync(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--omit-lockfile-registry-resolved=false', '--no-audit', '--no-fund', '--fetch-retries=0', '--fetch-timeout=60000'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  if (npm.status === 0 && existsSync(join(dir, 'package-lock.json'))) return { dir, label: `generated by npm ${npmVersion()} (cached in ${dir})` };
  rmSync(dir, { recursive: true, force: true });
  if (!largest) throw new Error('no npm lockfile fixture to fall back on');
  // npm's last line only points at its log; the first error line says what went wrong.
  const firstError = String(npm.stderr).split('\n').find((l) => l.startsWith('npm error') && !l.includes('complete log'));
  const why = npm.error ? npm.error.message : `npm exited ${npm.status}${firstError ? `: ${firstError.slice(0, 200)}` : ''}`;
  return { dir: largest.dir, label: `fixture ${largest.name}`, note: `could not generate a ${MIN_PACKAGES}+ package lockfile (${why}); measuring the largest committed fixture, ${largest.entries} entries` };
}

function npmVersion(): string {
  const r = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

/** Runs one measurement in a fresh process with this process's flags (so --conditions carries over). */
function worker(impl: Impl, mode: 'time' | 'memory', dir: string): Measured {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--worker', impl, mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${impl} ${mode} worker exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

// Arborist ships no types; this is the slice of its Node the count reads.
interface ArbNode {
  packageName: string;
  version: string;
  isRoot: boolean;
  isLink: boolean;
  isWorkspace: boolean;
  target: ArbNode;
  inventory: Map<string, ArbNode>;
}
type ArboristClass = new (options: { path: string }) => { loadVirtual(): Promise<ArbNode> };

/** One parse by each side; both read the files from disk, as they would in use. */
async function parser(impl: Impl, dir: string): Promise<() => Promise<number>> {
  if (impl === 'arborist') {
    const Arborist = createRequire(import.meta.url)('@npmcli/arborist') as ArboristClass;
    return async () => {
      const tree = await new Arborist({ path: dir }).loadVirtual();
      const nodes = [...tree.inventory.values()];
      const linkTargets = new Set(nodes.filter((n) => n.isLink).map((n) => n.target));
      const ids = new Set<string>();
      for (const n of nodes) if (!n.isRoot && !n.isLink && !n.isWorkspace && !linkTargets.has(n)) ids.add(`${n.packageName}@${n.version}`);
      return ids.size;
    };
  }
  const { parseNpmLockfile } = await import('@provenant/generator');
  return async () => {
    const rootManifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as unknown;
    return parseNpmLockfile(readFileSync(join(dir, 'package-lock.json'), 'utf8'), 'package-lock.json', { rootManifest }).packages.length;
  };
}

async function runWorker(impl: Impl, mode: string, dir: string): Promise<void> {
  const parse = await parser(impl, dir);
  if (mode === 'memory') {
    const baseRssKiB = Math.round(process.memoryUsage().rss / 1024);
    const count = await parse();
    console.log(JSON.stringify({ count, peakRssKiB: process.resourceUsage().maxRSS, baseRssKiB } satisfies Measured));
    return;
  }
  const count = await parse(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await parse();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(JSON.stringify({ count, medianMs: median(times) } satisfies Measured));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [flag, impl, mode, dir] = process.argv.slice(2);
  if (flag === '--worker') await runWorker(impl as Impl, mode!, dir!);
  else await benchLockfiles();
}
