// `npm run bench`: start-up cost of the tasks against an empty zx TypeScript script run the same
// way (node_modules/.bin/zx, which loads tsx), as medians over alternating runs and as ratios.
// A measurement, not a test: it prints, it does not fail.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repoDashboard } from '../tests/helpers/repo-dashboards.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const zx = `${root}node_modules/.bin/zx`;
const runs = Number(process.env.BENCH_RUNS ?? 15);

type Case = { name: string; args: string[]; baseline: string; target: number };

const baseline: Case = { name: 'empty zx TypeScript script', args: ['bench/empty.ts'], baseline: '', target: 0 };
// A ~470 KB dashboard that the repository already holds (Node Exporter Full), exported from its
// ConfigMap into tmp/ (git-ignored), so the run changes nothing and needs nothing outside the clone.
const bigDashboard = 'tmp/bench/node-exporter.json';
mkdirSync(`${root}tmp/bench`, { recursive: true });
writeFileSync(`${root}${bigDashboard}`, JSON.stringify(repoDashboard('node-exporter'), null, 2));
const cases: Case[] = [
  { name: 'dashboard-cm --help', args: ['tasks/dashboard-cm.ts', '--help'], baseline: baseline.name, target: 1.15 },
  { name: 'index --help', args: ['tasks/index.ts', '--help'], baseline: baseline.name, target: 1.15 },
  { name: 'index (list the tasks)', args: ['tasks/index.ts'], baseline: baseline.name, target: 1.15 },
];
cases.push({
  name: 'dashboard-cm --offline (467 KB)',
  args: ['tasks/dashboard-cm.ts', 'node-exporter', '--file', bigDashboard, '--offline', '--folder', 'Hosts'],
  baseline: 'dashboard-cm --help',
  target: 1.3,
});

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
const before = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout;
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

const after = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout;
if (after !== before) console.log('warning: the benchmark changed files in the repository:\n' + after);

// The validate bench: a generated tree, classic method vs validate cold/warm/--changed (bench/validate.ts).
if (process.env.BENCH_VALIDATE !== '0') await import('./validate.ts');

// disaster-recovery's suspend step against a shell loop of kubectl patch (bench/disaster-recovery.ts).
if (process.env.BENCH_DR !== '0') await import('./disaster-recovery.ts');
