import { spawnSync } from 'node:child_process';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Wall time of a command in ms, median over `runs` runs after one warm-up. Fails loudly on a non-zero exit. */
export function timeCommand(file: string, args: string[], runs: number, options: { cwd?: string } = {}): number {
  const once = () => {
    const start = process.hrtime.bigint();
    const r = spawnSync(file, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Wall time of an async function in ms, median over `runs` runs after one warm-up. */
export async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Operations per second of a synchronous function, over about `ms` milliseconds, best of 3 rounds. */
export function opsPerSecond(fn: () => unknown, ms = 1000): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (n / elapsed) * 1000);
  }
  return best;
}

export interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target?: string;
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  const header: Row = { name: 'measurement', value: 'provenant', baseline: 'baseline', ratio: 'ratio', target: 'target' };
  const all = [header, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  for (const r of all) {
    console.log(`${r.name.padEnd(w('name'))}  ${r.value.padStart(w('value'))}  ${r.baseline.padStart(w('baseline'))}  ${r.ratio.padStart(w('ratio'))}  ${r.target ?? ''}`);
  }
}
