// Ctrl-C as a person presses it: SIGINT to a task process in the middle of a slow kubectl call, of
// a listr2 step list started through node_modules/.bin/zx, and twice while undo steps run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';
import { REPO } from '../../helpers/run-task-process.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster();
});
test.after(async () => {
  await sim.stop();
});

type Started = { child: ChildProcess; stderr: () => string; exit: Promise<number | null> };

// Starts tasks/<name>.ts of `dir` the way users do, through the zx shim.
function start(dir: string, name: string, env: Record<string, string> = {}): Started {
  const child = spawn(`${REPO}node_modules/.bin/zx`, [join(dir, 'tasks', `${name}.ts`)], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: sim.home, NO_COLOR: '1', KUBECONFIG: sim.kubeconfig, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

// Resolves once the process has printed `text` on stderr (no fixed sleeps).
async function waitFor(started: Started, text: string): Promise<void> {
  for (let i = 0; i < 1200 && !started.stderr().includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(started.stderr().includes(text), `never printed ${JSON.stringify(text)}; stderr:\n${started.stderr()}`);
}

// Whether a process whose command line contains `marker` is still running.
function running(marker: string): boolean {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

function taskDir(name: string, body: string): string {
  return testdir({
    'package.json': '{"type":"module"}',
    [`tasks/${name}.ts`]: `import { defineTask } from '${REPO}scripts/task/define.ts';
import { runIfMain } from '${REPO}scripts/task/run-task.ts';
import { createKubectl } from '${REPO}scripts/adapters/kubectl.ts';
const task = defineTask({ name: '${name}', summary: 's', cluster: true, run: async (_, context) => {
${body}
} });
export default task;
await runIfMain(task, import.meta.url);
`,
  });
}

function runLog(dir: string, stderr: string): string {
  const path = /run log: (\S+)/.exec(stderr)?.[1];
  assert.ok(path, `no run log named in:\n${stderr}`);
  return readFileSync(join(dir, path!), 'utf8');
}

test('Ctrl-C during a slow kubectl call ends kubectl, exits 130 and prints what is left last', async () => {
  const dir = taskDir('slow', `  const kubectl = createKubectl(context.runner, { context: context.kubeContext });
  context.recover('kustomization/apps is still suspended: run \`flux resume kustomization apps\`');
  await kubectl.getJson('namespace', 'interrupt-slow-call');`);
  sim.faults.delay(30_000);
  try {
    const started = start(dir, 'slow');
    await waitFor(started, '$ kubectl --context sim get namespace interrupt-slow-call -o json');
    started.child.kill('SIGINT');
    assert.is(await started.exit, 130);
    const stderr = started.stderr();
    assert.match(
      stderr,
      /\n⚠ Ctrl-C: ending the running command and letting the task clean up \(Ctrl-C again to stop at once\)\n✗ interrupted \(Ctrl-C\): stopped while running: kubectl --context sim get namespace interrupt-slow-call -o json\n  run log: \S+\nWhat is left to do:\n  • kustomization\/apps is still suspended: run `flux resume kustomization apps`\n$/,
    );
    assert.is(running('interrupt-slow-call'), false, 'kubectl was ended, not left behind');
    const log = runLog(dir, stderr);
    assert.match(log, / interrupted exit=\S+ \d+\.\d{3}s kubectl --context sim get namespace interrupt-slow-call -o json\n/);
    assert.match(log, / note failed: stopped while running: kubectl .*\n.* note left to do: kustomization\/apps is still suspended: run `flux resume kustomization apps`\n$/);
  } finally {
    sim.faults.delay(0);
    removeDir(dir);
  }
});

test('Ctrl-C in the middle of a step list exits 130, not listr2\'s 127, with the run log complete', async () => {
  const dir = taskDir('steps', `  await context.steps([
    { title: 'suspend', run: async () => {
      await context.runner.run({ program: 'true', args: ['suspend-step'], kind: 'write', touches: 'cluster' });
      context.recover('step "suspend" is done and not undone: run \`resume\`');
    } },
    { title: 'apply', run: async () => { await context.runner.run({ program: 'sleep', args: ['31.25'], kind: 'write', touches: 'cluster' }); } },
    { title: 'resume', run: async () => { await context.runner.run({ program: 'true', args: ['resume-step'], kind: 'write', touches: 'cluster' }); } },
  ]);`);
  try {
    const started = start(dir, 'steps');
    await waitFor(started, '$ sleep 31.25');
    started.child.kill('SIGINT');
    assert.is(await started.exit, 130);
    const stderr = started.stderr();
    assert.match(stderr, /✗ interrupted \(Ctrl-C\): stopped while running: sleep 31\.25\n  run log: \S+\nWhat is left to do:\n  • step "suspend" is done and not undone: run `resume`\n$/);
    assert.not.match(stderr, /resume-step/, 'no step ran after Ctrl-C');
    assert.is(running('sleep 31.25'), false);
    const log = runLog(dir, stderr);
    assert.match(log, / ok exit=0 \d+\.\d{3}s true suspend-step\n/);
    assert.match(log, / interrupted exit=\S+ \d+\.\d{3}s sleep 31\.25\n/);
    assert.match(log, /note left to do: step "suspend" is done and not undone: run `resume`\n$/);
  } finally {
    removeDir(dir);
  }
});

test('undo steps run after Ctrl-C; a second Ctrl-C stops them and exits at once with what is left', async () => {
  const dir = taskDir('undo', `  context.recover('the change is half applied');
  context.onFailure('restore the old object', async () => {
    await context.runner.run({ program: 'sleep', args: ['32.5'], kind: 'write', touches: 'cluster' });
  });
  await context.runner.run({ program: 'sleep', args: ['31.5'], kind: 'write', touches: 'cluster' });`);
  try {
    const started = start(dir, 'undo');
    await waitFor(started, '$ sleep 31.5');
    started.child.kill('SIGINT');
    await waitFor(started, '$ sleep 32.5');
    started.child.kill('SIGINT');
    assert.is(await started.exit, 130);
    const stderr = started.stderr();
    assert.match(
      stderr,
      /✗ interrupted \(Ctrl-C\): stopped while running: sleep 31\.5\n\$ sleep 32\.5\n✗ interrupted \(Ctrl-C twice\): stopped without waiting for the task to finish\n  run log: \S+\nWhat is left to do:\n  • the change is half applied\n  • not undone: restore the old object\n$/,
    );
    assert.is(running('sleep 32.5'), false, 'the undo command was ended too');
  } finally {
    removeDir(dir);
  }
});

test('a task that does not unwind in time is left after the limit, with what is known printed', async () => {
  const dir = taskDir('stuck', `  context.recover('nothing was changed yet');
  await context.runner.run({ program: 'sh', args: ['-c', 'trap "" TERM; sleep 33.75 & wait'], kind: 'read', touches: 'cluster' });`);
  try {
    const started = start(dir, 'stuck', { GITOPS_UNWIND_SECONDS: '1' });
    await waitFor(started, 'sleep 33.75');
    // The echo comes before the shell starts: wait until its trap is set and sleep runs.
    for (let i = 0; i < 1200 && !running('^sleep 33.75'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    started.child.kill('SIGINT');
    assert.is(await started.exit, 130);
    assert.match(started.stderr(), /✗ interrupted \(Ctrl-C, and the task did not stop within 1s\): stopped without waiting for the task to finish\n  run log: \S+\nWhat is left to do:\n  • nothing was changed yet\n$/);
    assert.is(running('sleep 33.75'), false, 'a command that ignores SIGTERM is killed when the run exits');
  } finally {
    removeDir(dir);
  }
});

test.run();
