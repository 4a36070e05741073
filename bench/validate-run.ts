// One measured validate run for bench/validate.ts, in its own process so its peak memory is its
// own: `node bench/validate-run.ts <root> <cacheDir> [--changed <base>]`. Prints one JSON line:
// { ms (validate only), maxRssMiB, summary }.
import { execFile } from 'node:child_process';
import { validate } from '../scripts/validate/validate.ts';
import { changedSince } from '../scripts/validate/run.ts';
import type { KustomizeRunner } from '../scripts/validate/build.ts';
import type { Git } from '../scripts/validate/changed.ts';

const [root, cacheDir, flag, base] = process.argv.slice(2);
const env = { PATH: process.env.PATH, HOME: root };

const kustomize: KustomizeRunner = (dir) =>
  new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir, '--load-restrictor', 'LoadRestrictionsNone'], { maxBuffer: 1 << 30, env },
      (error, stdout, stderr) => resolve(error ? { ok: false, message: stderr || error.message } : { ok: true, stdout }));
  });
const git: Git = (args) =>
  new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd: root, env }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

const started = performance.now();
const since = flag === '--changed' ? await changedSince(git, base ?? '') : undefined;
const result = await validate({ root, cacheDir, kustomize, changed: since?.files, changedFlux: since?.flux });
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, summary: result.summary, findings: result.findings.length }) + '\n');
