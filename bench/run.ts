// `npm run bench`: start-up cost of the tasks against an empty zx TypeScript script run the same
// way (node_modules/.bin/zx, which loads tsx), as medians over alternating runs and as ratios.
// A measurement, not a test: it prints, it does not fail.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const zx = `${root}node_modules/.bin/zx`;
const runs = Number(process.env.BENCH_RUNS ?? 15);

type Case = { name: string; args: string[]; baseline: string; target: number };

const baseline: Case = { name: 'empty zx TypeScript script', args: ['bench/empty.ts'], baseline: '', target: 0 };
const cases: Case[] = [
  { name: 'index --help', args: ['tasks/index.ts', '--help'], baseline: baseline.name, target: 1.15 },
  { name: 'index (list the tasks)', args: ['tasks/index.ts'], baseline: baseline.name, target: 1.15 },
  ...(process.env.BENCH_EXTRA ? JSON.parse(process.env.BENCH_EXTRA) : []),
];

function time(args: string[]): number {
  const env = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' };
  const started = process.hrtime.bigint();
  const result = spawnSync(zx, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const all = [baseline, ...cases];
for (const c of all) time(c.args); // warm the tsx cache and the file cache
const samples = new Map(all.map((c) => [c.name, [] as number[]]));
for (let i = 0; i < runs; i++) for (const c of all) samples.get(c.name)!.push(time(c.args));

const medians = new Map(all.map((c) => [c.name, median(samples.get(c.name)!)]));
console.log(`median of ${runs} runs each (node ${process.version}, via node_modules/.bin/zx)`);
console.log(`  ${baseline.name.padEnd(34)} ${medians.get(baseline.name)!.toFixed(0).padStart(5)} ms`);
for (const c of cases) {
  const ratio = medians.get(c.name)! / medians.get(c.baseline)!;
  const verdict = ratio <= c.target ? 'ok' : 'over target';
  console.log(`  ${c.name.padEnd(34)} ${medians.get(c.name)!.toFixed(0).padStart(5)} ms  ratio ${ratio.toFixed(2)} (target ≤ ${c.target}: ${verdict})`);
}
