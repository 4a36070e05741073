// Interactive use in a real pseudo-terminal (tmux): the index's task picker answered with arrow
// keys, a missing argument typed in, listr2's terminal renderer drawing a cluster run to the end,
// a typed confirmation refusing a wrong name, and Ctrl-C at a prompt.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, type SimCluster } from '../sim/index.ts';
import { dashboardRepo } from '../helpers/dashboard-repo.ts';
import { startPty, stopPtyServer, type Pty } from '../helpers/pty.ts';
import { REPO } from '../helpers/run-task-process.ts';
import { removeDir, testdir } from '../helpers/testdir.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 20 });
});
test.after(async () => {
  await sim.stop();
  stopPtyServer();
});

const EXPORT = readFileSync(join(REPO, 'tests/fixtures/dashboards/tempo-traces-overview.json'), 'utf8');
const ZX = `${REPO}node_modules/.bin/zx`;
const taskNames = readdirSync(join(REPO, 'tasks')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();

// A terminal running `args` with the repository at `root` and kubectl pointed at `kubeconfig`.
function terminal(args: string[], root: string, kubeconfig: string): Pty {
  return startPty([ZX, ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: sim.home, GITOPS_ROOT: root, KUBECONFIG: kubeconfig, NO_COLOR: '1' } });
}

test('the index offers the tasks; arrow keys and Enter pick one, which asks for its missing argument and runs', async () => {
  const root = dashboardRepo({ files: { 'tmp/dashboard.json': EXPORT } });
  const pty = terminal([`${REPO}tasks/index.ts`], root, join(root, 'no-kubeconfig'));
  try {
    await pty.waitFor(/Which task\?/);
    const runnables = pty.screen();
    assert.match(runnables, /dashboard-cm/);
    // The picker lists every task (a line per command), sorted: go down to the last, back up to dashboard-cm.
    const entries = runnables.split('\n').filter((line) => /^\s*(❯|>)?\s*[a-z][\w-]*( [a-z]+)?\s*(›|-|$)/.test(line) && taskNames.some((name) => line.includes(name)));
    const target = entries.findIndex((line) => /\bdashboard-cm\b/.test(line));
    assert.ok(target >= 0, runnables);
    for (let i = 1; i < entries.length; i++) pty.keys('Down');
    for (let i = entries.length - 1; i > target; i--) pty.keys('Up');
    pty.keys('Enter');
    await pty.waitFor(/dashboard name, lowercase DNS-1123 .*\?/);
    pty.type('pty-traces');
    pty.keys('Enter');
    assert.is(await pty.exitCode(), 0);
    assert.match(pty.screen(), /not applied to a cluster: no kube context is configured/);
    assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/tempo/pty-traces-configmap.yaml')));
  } finally {
    pty.close();
    removeDir(root);
  }
});

test("listr2's terminal renderer draws each cluster step and finishes", async () => {
  const root = dashboardRepo({ files: { 'tmp/dashboard.json': EXPORT } });
  const pty = terminal([`${REPO}tasks/dashboard-cm.ts`, 'pty-rendered'], root, sim.kubeconfig);
  try {
    assert.is(await pty.exitCode(30_000), 0);
    const screen = pty.screen();
    assert.match(screen, /✔ validated by the API server\n/);
    assert.match(screen, /✔ applied: created\n/);
    assert.match(screen, /↓ new dashboard: the sidecar loads it, no restart needed\n/);
    assert.match(screen, /✔ read the ConfigMap and the dashboard sidecar log\n/);
    assert.match(screen, /\nCluster    created in context sim\n/);
    assert.ok(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-pty-rendered'));
  } finally {
    pty.close();
    removeDir(root);
  }
});

function confirmTask(): string {
  return testdir({
    'package.json': '{"type":"module"}',
    'tasks/wipe.ts': `import { defineTask } from '${REPO}scripts/task/define.ts';
import { runIfMain } from '${REPO}scripts/task/run-task.ts';
const task = defineTask({ name: 'wipe', summary: 's', options: { confirmCluster: { type: 'string', description: 'the cluster name, typed' } },
  run: async (options, context) => {
    await context.ask.typed('This deletes every object on production.', 'production', '--confirm-cluster', options.confirmCluster);
    context.ui.result('wiped');
  } });
export default task;
await runIfMain(task, import.meta.url);
`,
  });
}

test('a typed confirmation refuses a wrong name and accepts the right one; --yes does not answer it', async () => {
  const dir = confirmTask();
  const wrong = startPty([ZX, join(dir, 'tasks/wipe.ts'), '--yes'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
  const right = startPty([ZX, join(dir, 'tasks/wipe.ts')], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
  try {
    await wrong.waitFor(/This deletes every object on production\. Type "production" to go on/);
    wrong.type('prod');
    wrong.keys('Enter');
    assert.is(await wrong.exitCode(), 1);
    assert.match(wrong.screen(), /✗ "prod" is not "production": stopped, nothing was changed by this step\n  next: run it again and type production exactly, or pass --confirm-cluster production\n/);
    assert.not.match(wrong.screen(), /wiped/);
    await right.waitFor(/Type "production" to go on/);
    right.type('production');
    right.keys('Enter');
    assert.is(await right.exitCode(), 0);
    assert.match(right.screen(), /\nwiped\n/);
  } finally {
    wrong.close();
    right.close();
    removeDir(dir);
  }
});

test('Ctrl-C at a prompt exits 130', async () => {
  const root = dashboardRepo();
  const pty = terminal([`${REPO}tasks/index.ts`], root, join(root, 'no-kubeconfig'));
  try {
    await pty.waitFor(/Which task\?/);
    pty.keys('C-c');
    assert.is(await pty.exitCode(), 130);
    assert.match(pty.screen(), /✗ cancelled at the prompt\n/);
  } finally {
    pty.close();
    removeDir(root);
  }
});

test.run();
