// The validate task run as users run it (node_modules/.bin/zx tasks/validate.ts): the shipped
// tree validates clean, a broken tree exits 1 with its findings, usage errors exit 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runTaskProcess } from '../helpers/run-task-process.ts';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitdir, removeDir, testdir } from '../helpers/testdir.ts';
import { BASE, configMap, helmRelease } from '../scripts/validate/fixture.ts';

const duration = /\(\d+\.\d s\)/g;

test('the shipped infrastructure/ and both clusters validate clean', async () => {
  const result = await runTaskProcess('validate', ['--no-cache'], { root: REPO });
  assert.is(result.stdout.replace(duration, '(T)'), [
    '2 clusters, 14 Kustomizations, 70 objects: 0 errors, 0 warnings, 0 without schema (T)',
    '',
  ].join('\n'));
  assert.is(result.code, 0, result.stderr);
});

test('a tree with an error prints it and exits 1; --format json prints the same as JSON', async () => {
  const dir = testdir({ ...BASE, 'infrastructure/apps/release.yaml': helmRelease('>=6.0.0') });
  try {
    const text = await runTaskProcess('validate', ['dev', '--no-cache'], { root: dir });
    assert.is(text.stdout.replace(duration, '(T)'), [
      'infrastructure/apps/release.yaml',
      '    11  error    policy/chart-version-range  HelmRelease apps/podinfo: chart version ">=6.0.0" is not an exact version  [dev]',
      '        → pin spec.chart.spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
      '',
      '1 cluster, 3 Kustomizations, 8 objects: 1 error, 0 warnings, 0 without schema (T)',
      '',
    ].join('\n'));
    assert.is(text.stderr.replace(/run log: \S+/, 'run log: L'),
      '✗ validate found 1 error\n  next: fix the findings above (each names its file, line and what to do), then run `npx zx tasks/validate.ts` again\n  run log: L\n');
    assert.is(text.code, 1);
    const json = await runTaskProcess('validate', ['--format', 'json', '--no-cache'], { root: dir });
    const parsed = JSON.parse(json.stdout) as { summary: { durationMs: number } };
    assert.type(parsed.summary.durationMs, 'number');
    parsed.summary.durationMs = 0;
    assert.equal(parsed, {
      version: 1,
      summary: { clusters: 1, kustomizations: 3, cached: 0, objects: 8, errors: 1, warnings: 0, withoutSchema: {}, withoutSchemaObjects: [], durationMs: 0 },
      findings: [{
        severity: 'error', check: 'policy', rule: 'policy/chart-version-range', file: 'infrastructure/apps/release.yaml', line: 11,
        object: 'HelmRelease apps/podinfo', kustomization: 'flux-system/apps', clusters: ['dev'],
        message: 'chart version ">=6.0.0" is not an exact version',
        hint: 'pin spec.chart.spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
      }],
      exitCode: 1,
    });
    assert.is(json.code, 1);
    const github = await runTaskProcess('validate', ['--format', 'github', '--no-cache'], { root: dir });
    assert.is(github.stdout.replace(/\d+\.\d s/, 'T'), [
      '::error file=infrastructure/apps/release.yaml,line=11,title=policy/chart-version-range::HelmRelease apps/podinfo: chart version ">=6.0.0" is not an exact version [dev]%0Apin spec.chart.spec.version to one exact version (e.g. 1.2.3), and update it deliberately',
      '::notice title=validate::1 cluster, 3 Kustomizations, 8 objects: 1 error, 0 warnings, 0 without schema (T)',
      '',
    ].join('\n'));
    assert.is(github.code, 1);
  } finally {
    removeDir(dir);
  }
});

test('--changed without a base validates what changed since the default branch', async () => {
  const dir = gitdir({ ...BASE, '.gitignore': 'tmp/\n' });
  try {
    git(dir, 'checkout', '-q', '-b', 'feature');
    // (a file defining no Flux object: changing the HelmRelease would select every Kustomization)
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "2"'));
    const result = await runTaskProcess('validate', ['dev', '--no-cache', '--changed'], { root: dir });
    assert.is(result.stdout.replace(duration, '(T)'), '1 cluster, 1 Kustomization, 3 objects: 0 errors, 0 warnings, 0 without schema (T)\n');
    assert.match(result.stderr, /^--changed: 1 file changed since main \(merge base [0-9a-f]{12}\)\n/);
    assert.is(result.code, 0);
  } finally {
    removeDir(dir);
  }
});

test('--changed with a base that is no commit is a usage error (exit 2)', async () => {
  const dir = gitdir({ ...BASE, '.gitignore': 'tmp/\n' });
  try {
    const result = await runTaskProcess('validate', ['--no-cache', '--changed', 'no-such-ref'], { root: dir });
    assert.match(result.stderr, /^error: --changed no-such-ref: no commit, branch or tag "no-such-ref" in this repository; pass one that exists /);
    assert.is(result.code, 2);
  } finally {
    removeDir(dir);
  }
});

test('an unknown cluster or format is a usage error (exit 2)', async () => {
  const cluster = await runTaskProcess('validate', ['nowhere'], { root: REPO });
  assert.is(cluster.code, 2);
  assert.match(cluster.stderr, /^error: no cluster "nowhere" in clusters\/ \(there are: production, staging\)\n/);
  const format = await runTaskProcess('validate', ['--format', 'xml'], { root: REPO });
  assert.is(format.code, 2);
});

test('help shows the base of --changed as optional and no --dry-run or --yes, which are usage errors (exit 2)', async () => {
  const help = await runTaskProcess('validate', ['--help'], { root: REPO });
  assert.is(help.code, 0);
  const options = help.stdout.slice(help.stdout.indexOf('Options:\n'), help.stdout.indexOf('\n\nExamples:')).split('\n').map((line) => line.split(/\s{2,}/)[1]);
  assert.equal(options.slice(1), ['--format <text|json|github>', '--strict', '--changed [<base>]', '--no-cache', '--jobs <n>', '--verbose', '--quiet', '--help']);
  const dryRun = await runTaskProcess('validate', ['--dry-run'], { root: REPO });
  assert.is(dryRun.code, 2);
  assert.match(dryRun.stderr, /^error: unknown option --dry-run\n/);
  const yes = await runTaskProcess('validate', ['--yes'], { root: REPO });
  assert.is(yes.code, 2);
});

test('without kubectl, or without the bash that runs every command, the failure says what to install (exit 1)', async () => {
  const dir = testdir(BASE);
  // A PATH with node and what the zx shim needs, then bash; kubectl is never on it.
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  for (const tool of ['node', 'dirname']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  try {
    const noBash = await runTaskProcess('validate', ['--no-cache'], { root: dir, env: { PATH: bin } });
    assert.is(noBash.code, 1);
    assert.match(noBash.stderr, /^✗ kubectl kustomize could not start: .*\n  command: kubectl kustomize \S+ --load-restrictor LoadRestrictionsNone\n  next: commands run through bash: make sure bash and kubectl are installed and on PATH /);
    symlinkSync(execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim(), join(bin, 'bash'));
    const noKubectl = await runTaskProcess('validate', ['--no-cache'], { root: dir, env: { PATH: bin } });
    assert.is(noKubectl.code, 1);
    assert.match(noKubectl.stderr, /^✗ kubectl is not installed \(not found on PATH\)\n  command: kubectl kustomize \S+ --load-restrictor LoadRestrictionsNone\n  next: install kubectl: https:\/\/kubernetes.io\/docs\/tasks\/tools\//);
    assert.not.match(noBash.stderr + noKubectl.stderr, /\n\s+at /);
  } finally {
    removeDir(dir);
  }
});

test('Ctrl-C while kubectl builds ends it and exits 130, printing no result', async () => {
  const dir = testdir(BASE);
  const bin = join(dir, '.bin');
  const marker = join(dir, '.kubectl-started');
  mkdirSync(bin);
  // A kubectl that never finishes, and says when it started.
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\ntouch '${marker}'\nexec sleep 30\n`, { mode: 0o755 });
  try {
    const child = spawn(`${REPO}node_modules/.bin/zx`, [`${REPO}tasks/validate.ts`, '--no-cache'], {
      cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1', GITOPS_ROOT: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 1200 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(existsSync(marker), `kubectl never started; stderr:\n${stderr}`);
    child.kill('SIGINT');
    assert.is(await exit, 130, stderr);
    assert.is(stdout, '');
    assert.match(stderr, /Ctrl-C/);
    assert.match(stderr, /stopped while running: kubectl kustomize \S+ --load-restrictor LoadRestrictionsNone/);
    assert.not.match(stderr, /\n\s+at /);
    // No kubectl (the sleep it runs) is left behind.
    assert.is(spawnSync('pgrep', ['-f', marker]).status, 1);
  } finally {
    removeDir(dir);
  }
});

test.run();
