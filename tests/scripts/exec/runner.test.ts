import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { captureIo, testContext } from '../../helpers/io.ts';
import { testdir, removeDir, removeTestdirs } from '../../helpers/testdir.ts';
import { TaskError, InterruptedError } from '../../../scripts/core/errors.ts';

function logText(dir: string): string {
  const logs = join(dir, 'tmp', 'logs');
  return existsSync(logs) ? readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('') : '';
}


// Temporary directories go after each test, failed or not.
test.after.each(removeTestdirs);
test('runs a read, returns its output and logs command, exit code and duration', async () => {
  const dir = testdir();
  const io = captureIo({ cwd: dir });
  const { runner } = testContext(io);
  const result = await runner.run({ program: 'echo', args: ['hello world'], kind: 'read' });
  assert.is(result.stdout, 'hello world\n');
  assert.is(result.exitCode, 0);
  assert.is(io.err(), '', 'local reads are not echoed');
  assert.match(logText(dir), /^\S+ ok exit=0 \d+\.\d{3}s echo 'hello world'$/m);
  removeDir(dir);
});

test('echoes commands that touch a cluster, with their flux equivalent', async () => {
  const dir = testdir();
  const io = captureIo({ cwd: dir });
  const { runner } = testContext(io);
  await runner.run({ program: 'true', args: ['patch', 'ks'], kind: 'read', touches: 'cluster', equivalent: 'flux suspend kustomization x -n flux-system' });
  assert.is(io.err(), '$ true patch ks   # flux suspend kustomization x -n flux-system\n');
  removeDir(dir);
});

test('under --dry-run prints writes as "would run" and runs none of them', async () => {
  const dir = testdir();
  const io = captureIo({ cwd: dir });
  const { runner } = testContext(io, { dryRun: true });
  const marker = join(dir, 'touched');
  const write = await runner.run({ program: 'touch', args: [marker], kind: 'write', touches: 'cluster' });
  const read = await runner.run({ program: 'echo', args: ['read'], kind: 'read' });
  assert.is(write.skipped, true);
  assert.is(existsSync(marker), false);
  assert.is(read.stdout, 'read\n', 'reads still run');
  assert.is(io.out(), `would run: touch ${marker}\n`);
  assert.match(logText(dir), / dry-run exit=- 0\.000s touch /);
  removeDir(dir);
});

test('masks secrets in echo, dry-run plan, log and error', async () => {
  const dir = testdir();
  const io = captureIo({ cwd: dir, env: { GITHUB_TOKEN: 'ghp_secretvalue' } });
  const { runner } = testContext(io, { dryRun: true });
  await runner.run({ program: 'echo', args: ['ghp_secretvalue'], kind: 'write' });
  await runner.run({ program: 'echo', args: ['ghp_secretvalue'], kind: 'read', touches: 'git' });
  const failing = testContext(io).runner;
  try {
    await failing.run({ program: 'sh', args: ['-c', 'echo token ghp_secretvalue >&2; exit 3'], kind: 'read' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is((error as TaskError).details, 'token ***');
    assert.is((error as TaskError).command, `sh -c 'echo token *** >&2; exit 3'`);
  }
  const everything = io.out() + io.err() + logText(dir);
  assert.not.match(everything, /ghp_secretvalue/);
  assert.match(io.out(), /would run: echo \*\*\*/);
  removeDir(dir);
});

test('turns a failure into a TaskError with the exact command, stderr and hint', async () => {
  const dir = testdir();
  const { runner } = testContext(captureIo({ cwd: dir }));
  try {
    await runner.run({ program: 'sh', args: ['-c', 'echo boom >&2; exit 4'], kind: 'write', purpose: 'apply the ConfigMap', hint: 'fix it' });
    assert.unreachable();
  } catch (error) {
    const e = error as TaskError;
    assert.is(e.message, 'apply the ConfigMap failed (exit 4)');
    assert.is(e.command, `sh -c 'echo boom >&2; exit 4'`);
    assert.is(e.details, 'boom');
    assert.is(e.hint, 'fix it');
  }
  removeDir(dir);
});

test('accepts exit codes declared as answers', async () => {
  const dir = testdir();
  const { runner } = testContext(captureIo({ cwd: dir }));
  const result = await runner.run({ program: 'sh', args: ['-c', 'exit 1'], kind: 'read', okExitCodes: [1] });
  assert.is(result.exitCode, 1);
  assert.match(logText(dir), / ok exit=1 \d+\.\d{3}s sh -c 'exit 1'\n$/, 'an answer is logged as ok with its code');
  await runner.run({ program: 'sh', args: ['-c', 'exit 1'], kind: 'read' }).catch(() => undefined);
  assert.match(logText(dir), / failed exit=1 \d+\.\d{3}s sh -c 'exit 1'\n$/, 'the same exit without the answer is a failure');
  removeDir(dir);
});

test('stops a command at its timeout', async () => {
  const dir = testdir();
  const { runner } = testContext(captureIo({ cwd: dir }));
  try {
    await runner.run({ program: 'sleep', args: ['5'], kind: 'read', timeoutMs: 200, purpose: 'wait' });
    assert.unreachable();
  } catch (error) {
    assert.is((error as TaskError).message, 'wait timed out after 0s');
    assert.is((error as TaskError).command, 'sleep 5');
  }
  assert.match(logText(dir), / timeout exit=- /);
  removeDir(dir);
});

test('reports a missing binary with what to install', async () => {
  const dir = testdir();
  const { runner } = testContext(captureIo({ cwd: dir, env: { PATH: '/nonexistent' } }));
  try {
    await runner.run({ program: 'kubectl', args: ['version'], kind: 'read' });
    assert.unreachable();
  } catch (error) {
    assert.is((error as TaskError).message, 'kubectl is not installed (not found on PATH)');
    assert.match((error as TaskError).hint ?? '', /^install kubectl: https:\/\/kubernetes.io\/docs\/tasks\/tools\//);
  }
  removeDir(dir);
});

test('an abort (Ctrl-C) stops the running command and throws InterruptedError', async () => {
  const dir = testdir();
  const controller = new AbortController();
  const { runner } = testContext(captureIo({ cwd: dir }), {}, controller.signal);
  setTimeout(() => controller.abort(), 100);
  try {
    await runner.run({ program: 'sleep', args: ['5'], kind: 'read' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, InterruptedError);
    assert.is((error as Error).message, 'stopped while running: sleep 5');
  }
  removeDir(dir);
});

test('shows command output only with --verbose', async () => {
  const dir = testdir();
  const quiet = captureIo({ cwd: dir });
  await testContext(quiet).runner.run({ program: 'echo', args: ['out'], kind: 'read' });
  assert.is(quiet.err(), '');
  const verbose = captureIo({ cwd: dir });
  await testContext(verbose, { verbose: true }).runner.run({ program: 'echo', args: ['out'], kind: 'read' });
  assert.is(verbose.err(), '  │ out\n');
  removeDir(dir);
});

test.run();
