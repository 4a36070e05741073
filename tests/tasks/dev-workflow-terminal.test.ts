// dev-workflow as a person uses it: a whole session at a terminal (tmux), --watch applying a save,
// and a run killed between two steps followed by the recovery command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, runKubectl, type SimCluster } from '../sim/index.ts';
import { startPty, stopPtyServer } from '../helpers/pty.ts';
import { REPO } from '../helpers/run-task-process.ts';
import { git, removeDir } from '../helpers/testdir.ts';
import { IDENTITY, workRepo } from '../helpers/work-repo.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster({ from: [join(REPO, 'clusters/staging')], reconcileDelayMs: 10 });
});
test.after(async () => {
  await sim.stop();
  stopPtyServer();
});

const ZX = `${REPO}node_modules/.bin/zx`;
const TASK = `${REPO}tasks/dev-workflow.ts`;
const ks = (name: string) => sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', name);
const env = (root: string) => ({ PATH: process.env.PATH, HOME: sim.home, KUBECONFIG: sim.kubeconfig, GITOPS_ROOT: root, NO_COLOR: '1', USER: 'dev', ...IDENTITY });
const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: logging\ndata:\n  value: "${value}"\n`;

// Waits for `check` (bounded at a minute, for a loaded machine; no timing is asserted).
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(check(), what);
}

function run(root: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(ZX, [TASK, ...args], { cwd: root, env: env(root), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('a whole session at a terminal: choose what to pause, test, checkpoint, finish', async () => {
  const { dir, root } = workRepo();
  const pty = (args: string[]) => startPty([ZX, TASK, ...args], { cwd: root, env: env(root) });
  try {
    const start = pty(['start', 'terminal session']);
    await start.waitFor(/Which Kustomizations should Flux stop reconciling while you work\?/);
    const screen = start.screen();
    const entries = screen.split('\n').filter((line) => /flux-system\//.test(line));
    const logging = entries.findIndex((line) => line.includes('flux-system/logging'));
    assert.ok(logging >= 0, screen);
    for (let i = 0; i < logging; i++) start.keys('Down');
    start.keys('Space');
    start.keys('Enter');
    assert.is(await start.exitCode(), 0);
    assert.match(start.screen(), /Suspended: kustomization\/flux-system\/logging\n/);
    start.close();
    assert.is(ks('logging').spec.suspend, true);

    mkdirSync(join(root, 'infrastructure/logging/extra'));
    writeFileSync(join(root, 'infrastructure/logging/extra/cm.yaml'), configMap('terminal-cm', 'a'));
    const testRun = pty(['test', 'infrastructure/logging/extra/cm.yaml']);
    assert.is(await testRun.exitCode(), 0);
    assert.match(testRun.screen(), /⚠ Flux is paused by dev-workflow session "terminal session"/);
    testRun.close();
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'terminal-cm').data.value, 'a');

    const menu = pty([]);
    await menu.waitFor(/Session "terminal session" on dev\/terminal-session \(context sim\)/);
    await menu.waitFor(/dev-workflow: which command\?/);
    menu.keys('C-c');
    assert.is(await menu.exitCode(), 130);
    menu.close();

    const checkpoint = pty(['checkpoint', 'extra config map']);
    assert.is(await checkpoint.exitCode(), 0);
    checkpoint.close();
    const finish = pty(['finish', 'feat(logging): extra config map']);
    assert.is(await finish.exitCode(30_000), 0);
    assert.match(finish.screen(), /Finished "terminal session": one commit on dev\/terminal-session: feat\(logging\): extra config map\./);
    finish.close();
    assert.is(ks('logging').spec?.suspend, undefined);
    assert.is(git(root, 'rev-list', '--count', 'main..HEAD'), '1');
  } finally {
    await runKubectl(sim, ['patch', 'kustomization', 'logging', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":null}}']);
    removeDir(dir);
  }
});

test('--watch applies a saved change, and Ctrl-C stops watching with the session kept', async () => {
  const { dir, root } = workRepo();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    assert.is((await run(root, ['start', 'watching', '--kustomization', 'monitoring'])).code, 0);
    writeFileSync(join(root, 'watched.yaml'), configMap('watched', 'first'));
    child = spawn(ZX, [TASK, 'test', 'watched.yaml', '--watch'], { cwd: root, env: env(root), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child!.on('close', resolve));
    await until(() => stderr.includes('watching watched.yaml'), `never watched:\n${stderr}`);
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'watched').data.value, 'first');
    writeFileSync(join(root, 'watched.yaml'), configMap('watched', 'second'));
    await until(() => sim.get('v1', 'ConfigMap', 'logging', 'watched')?.data.value === 'second', `the save was not applied:\n${stderr}`);
    child.kill('SIGINT');
    assert.is(await closed, 0);
    assert.match(stderr, /stopped watching; the session is still active\n/);
    assert.ok(existsSync(join(root, 'tmp/dev-workflow/session.json')));
    assert.is((await run(root, ['abort', '--yes'])).code, 0);
    assert.is(sim.get('v1', 'ConfigMap', 'logging', 'watched'), undefined, 'abort removed what test created');
  } finally {
    // A failed run leaves neither a watching process (the test file would never end) nor monitoring suspended.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await runKubectl(sim, ['patch', 'kustomization', 'monitoring', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":null}}']);
    removeDir(dir);
  }
});

test('killed between two suspensions, the state says what may be paused and the printed command resumes it', async () => {
  const { dir, root } = workRepo();
  try {
    sim.faults.delay(800);
    const child = spawn(ZX, [TASK, 'start', 'killed', '--kustomization', 'monitoring', '--kustomization', 'logging'], { cwd: root, env: env(root), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const closed = new Promise((resolve) => child.on('close', resolve));
    // The second patch is on its way (its response is delayed): the session has recorded it as pending.
    await until(() => /\$ kubectl --context sim patch kustomizations.kustomize.toolkit.fluxcd.io logging /.test(stderr), `never patched logging:\n${stderr}`);
    child.kill('SIGKILL');
    await closed;
    sim.faults.delay(0);
    const state = JSON.parse(readFileSync(join(root, 'tmp/dev-workflow/session.json'), 'utf8'));
    assert.equal(state.suspended, [
      { kind: 'Kustomization', namespace: 'flux-system', name: 'monitoring', state: 'suspended' },
      { kind: 'Kustomization', namespace: 'flux-system', name: 'logging', state: 'pending' },
    ]);
    assert.is(ks('monitoring').spec.suspend, true);
    const status = await run(root, ['status']);
    assert.match(status.stderr, /⚠ Flux is paused by dev-workflow session "killed" \(context sim\): kustomization\/flux-system\/monitoring, kustomization\/flux-system\/logging still suspended — resume with `npx zx tasks\/dev-workflow.ts resume`/);
    const resumed = await run(root, ['resume', '--timeout', '20']);
    assert.is(resumed.code, 0, resumed.stderr);
    for (const name of ['monitoring', 'logging']) {
      assert.is(ks(name).spec?.suspend, undefined, name);
      assert.is(ks(name).metadata.annotations?.['gitops-tasks/session'], undefined, name);
    }
    assert.is(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'dev/killed', 'the repository is on the session branch');
    assert.is((await run(root, ['abort'])).code, 0);
    assert.is(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
  } finally {
    sim.faults.delay(0);
    removeDir(dir);
  }
});

test.run();
