// The validate bench (part of `npm run bench`; alone: `node bench/validate.ts`). On one generated
// tree (BENCH_APPS Flux Kustomizations, default 150, each an overlay on a base, ~5,000 objects)
// it measures the classic method (one `kubectl kustomize` per kustomization folder, in sequence,
// schema checks not even counted) and validate cold (empty cache), warm (nothing changed) and
// --changed after touching one file, each in its own process for its peak memory; printed as ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTree } from './validate-tree.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const apps = Number(process.env.BENCH_APPS ?? 150);
const runs = Number(process.env.BENCH_VALIDATE_RUNS ?? 3);
const env = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', KUBECONFIG: '/nonexistent' };

type Run = { ms: number; maxRssMiB: number; summary: { kustomizations: number; objects: number; cached: number; errors: number; warnings: number }; findings: number };

const root = mkdtempSync(join(tmpdir(), 'bench-validate-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'bench-validate-cache-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b', HOME: root } });

function validateOnce(extra: string[] = []): Run {
  const result = spawnSync(process.execPath, ['--import=tsx/esm', join(here, 'validate-run.ts'), root, cacheDir, ...extra], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`validate-run exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Run;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianRun = (all: Run[]): Run => ({ ...all[0], ms: median(all.map((r) => r.ms)), maxRssMiB: Math.max(...all.map((r) => r.maxRssMiB)) });

try {
  for (const [path, text] of Object.entries(benchTree({ apps, configMaps: 28 }))) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'bench tree');

  // The classic method: every folder with a kustomization, one kubectl process each, in sequence.
  const dirs = String(execFileSync('git', ['ls-files', '*kustomization.yaml'], { cwd: root })).trim().split('\n').map(dirname);
  let started = performance.now();
  for (const dir of dirs) execFileSync('kubectl', ['kustomize', dir], { cwd: root, env, maxBuffer: 64 << 20 });
  const classic = performance.now() - started;

  const cold: Run[] = [];
  const warm: Run[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(cacheDir, { recursive: true, force: true });
    cold.push(validateOnce());
    warm.push(validateOnce());
  }
  // --changed after touching one file (uncommitted), with the cache of the runs above.
  const changed: Run[] = [];
  for (let i = 0; i < runs; i++) {
    writeFileSync(join(root, 'infrastructure/overlays/app-007/extra.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-007-overlay\ndata:\n  overlay: "run ${i}"\n`);
    changed.push(validateOnce(['--changed', 'HEAD']));
  }

  const c = medianRun(cold);
  const w = medianRun(warm);
  const ch = medianRun(changed);
  if (c.findings !== 0) console.log(`warning: the bench tree has ${c.findings} findings (it should validate clean)`);
  console.log(`\nvalidate on a generated tree: ${c.summary.kustomizations} Flux Kustomizations, ${c.summary.objects} objects, ${dirs.length} kustomization folders (node ${process.version}, ${runs} runs each, medians; validate timed in its process)`);
  const row = (name: string, ms: number, extra: string) => console.log(`  ${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${extra}`);
  row(`classic: ${dirs.length}× kubectl kustomize in sequence`, classic, '');
  row('validate cold (empty cache)', c.ms, `ratio to classic ${(c.ms / classic).toFixed(2)} (target ≤ 0.2: ${c.ms / classic <= 0.2 ? 'ok' : 'over target'}), peak ${c.maxRssMiB.toFixed(0)} MiB`);
  row('validate warm (nothing changed)', w.ms, `ratio to cold ${(w.ms / c.ms).toFixed(3)} (target ≤ 0.1: ${w.ms / c.ms <= 0.1 ? 'ok' : 'over target'}), peak ${w.maxRssMiB.toFixed(0)} MiB`);
  row(`validate --changed (1 file, ${ch.summary.kustomizations} Kustomization)`, ch.ms, `ratio to cold ${(ch.ms / c.ms).toFixed(3)} (target ≤ 0.1: ${ch.ms / c.ms <= 0.1 ? 'ok' : 'over target'}), peak ${ch.maxRssMiB.toFixed(0)} MiB`);
  const peak = Math.max(c.maxRssMiB, w.maxRssMiB, ch.maxRssMiB);
  console.log(`  peak memory ${peak.toFixed(0)} MiB (target ≤ 300: ${peak <= 300 ? 'ok' : 'over target'})`);
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
}
