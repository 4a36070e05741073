// dashboard-cm against the simulated cluster with the real kubectl: created, configured + restart,
// unchanged, server-side for large dashboards, refusal by the API server, unreachable, dry run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { captureIo, type CapturedIo } from '../../helpers/io.ts';
import { runTask } from '../../../scripts/task/run-task.ts';
import task from '../../../tasks/dashboard-cm.ts';
import { dashboardRepo } from '../../helpers/dashboard-repo.ts';
import { corpusPath, corpusTest } from '../../helpers/corpus.ts';
import { repoDashboard } from '../../helpers/repo-dashboards.ts';
import { removeDir, removeTestdirs } from '../../helpers/testdir.ts';
import { dashboardCm, type DashboardCmOptions } from '../../../scripts/dashboards/dashboard-cm.ts';
import { TaskError } from '../../../scripts/core/errors.ts';
import { LAST_APPLIED_KEY } from '../../../scripts/dashboards/go-json.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster();
});
test.after(async () => {
  await sim.stop();
});
test.after.each(removeTestdirs);

const options = (name: string, more: Partial<DashboardCmOptions> = {}): DashboardCmOptions => ({
  name, file: 'tmp/dashboard.json', offline: false, category: 'auto', serverSide: false, restart: true, extract: false, rewriteInputs: false, timeout: 60, ...more,
});

function repoWith(dashboard: string | object): string {
  const root = dashboardRepo();
  mkdirSync(join(root, 'tmp'));
  if (typeof dashboard === 'string') copyFileSync(corpusPath(dashboard), join(root, 'tmp/dashboard.json'));
  else writeFileSync(join(root, 'tmp/dashboard.json'), JSON.stringify(dashboard, null, 2));
  return root;
}

// The task as the task runner runs it (context resolved at the start, recovery lines printed last).
async function runDashboardCm(root: string, ...args: string[]): Promise<CapturedIo & { code: number }> {
  const io = captureIo({ cwd: root, env: { KUBECONFIG: sim.kubeconfig, HOME: sim.home } });
  return { ...io, code: await runTask(task, args, io) };
}

const writesTo = (resource: string) => sim.writes().filter((r) => r.path.includes(`/${resource}`));

corpusTest(test)('creates the ConfigMap, and the annotation kubectl stores is byte for byte the one in the file', async () => {
  const root = repoWith('dotdc-k8s-views-nodes.json');
  const { io, context } = simContext(sim, {}, root);
  const result = await dashboardCm(options('k8s-nodes'), context);
  assert.is(result.cluster.applied && result.cluster.operation, 'created');
  const file = parse(readFileSync(join(root, result.target), 'utf8'));
  const live = sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-k8s-nodes');
  assert.is(live.metadata.annotations[LAST_APPLIED_KEY], file.metadata.annotations[LAST_APPLIED_KEY]);
  assert.is(live.data['k8s-nodes-dashboard.json'], file.data['k8s-nodes-dashboard.json']);
  assert.equal(live.metadata.labels, { grafana_dashboard: '1' });
  assert.match(io.out(), /\nCluster    created in context sim\n/);
  assert.match(io.out(), /\nDashboard sidecar \(last lines\)\n  /);
  assert.not.ok(sim.writes().some((r) => r.path.includes('/deployments/grafana')), 'no restart for a new dashboard');
  removeDir(root);
});

test('an unchanged dashboard is validated, sends no write and does not restart Grafana', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  await dashboardCm(options('flux-logs'), simContext(sim, {}, root).context);
  sim.clearRequests();
  const { io, context } = simContext(sim, {}, root);
  const result = await dashboardCm(options('flux-logs'), context);
  assert.is(result.cluster.applied && result.cluster.operation, 'unchanged');
  assert.equal(sim.writes(), [], 'kubectl found nothing to patch, not even for the server dry run');
  assert.match(io.out(), /\nCluster    unchanged in context sim\n/);
  removeDir(root);
});

test('a changed dashboard is configured and Grafana restarted and waited for', async () => {
  const dashboard = repoDashboard('flux-control-plane');
  const root = repoWith(dashboard);
  await dashboardCm(options('flux-cp'), simContext(sim, {}, root).context);
  writeFileSync(join(root, 'tmp/dashboard.json'), JSON.stringify({ ...dashboard, title: 'Flux Control Plane v2' }));
  sim.clearRequests();
  const { io, context } = simContext(sim, {}, root);
  const result = await dashboardCm(options('flux-cp'), context);
  assert.ok(result.cluster.applied);
  if (!result.cluster.applied) return;
  assert.is(result.cluster.operation, 'configured');
  assert.is(result.cluster.restarted, true);
  const restart = sim.writes().find((r) => r.path === '/apis/apps/v1/namespaces/logging/deployments/grafana');
  assert.ok(restart, 'rollout restart patched the deployment');
  assert.match(JSON.stringify(restart!.body), /kubectl.kubernetes.io\/restartedAt/);
  assert.match(io.err(), /\$ kubectl --context sim rollout restart deployment\/grafana -n logging\n/);
  assert.match(io.err(), /\$ kubectl --context sim rollout status deployment\/grafana -n logging --timeout=60s\n/);
  assert.match(io.out(), /\nCluster    configured in context sim; Grafana restarted\n/);
  assert.is(JSON.parse(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-flux-cp').data['flux-cp-dashboard.json']).title, 'Flux Control Plane v2');
  removeDir(root);
});

test('--no-restart applies the change without restarting Grafana', async () => {
  const dashboard = repoDashboard('flux-control-plane');
  const root = repoWith(dashboard);
  await dashboardCm(options('flux-cp2', { category: 'prometheus' }), simContext(sim, {}, root).context);
  writeFileSync(join(root, 'tmp/dashboard.json'), JSON.stringify({ ...dashboard, title: 'changed' }));
  sim.clearRequests();
  const result = await dashboardCm(options('flux-cp2', { restart: false }), simContext(sim, {}, root).context);
  assert.is(result.cluster.applied && result.cluster.operation, 'configured');
  assert.is(writesTo('deployments').length, 0);
  removeDir(root);
});

test('a dashboard over the annotation limit is written without last-applied and applied server-side', async () => {
  const root = repoWith(repoDashboard('node-exporter'));
  const { io, context } = simContext(sim, {}, root);
  const result = await dashboardCm(options('node-exporter'), context);
  assert.ok(result.cluster.applied && result.cluster.serverSide);
  assert.match(io.err(), /over the 262144-byte limit: the ConfigMap is written without it and applied with kubectl apply --server-side\./);
  const applies = writesTo('configmaps').filter((r) => r.contentType.startsWith('application/apply-patch+yaml'));
  assert.equal(applies.map((r) => [r.dryRun, r.query.force]), [[true, 'true'], [false, 'true']]);
  const live = sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-node-exporter');
  assert.is(live.metadata.annotations?.[LAST_APPLIED_KEY], undefined);
  assert.is(readFileSync(join(root, result.target), 'utf8').includes(LAST_APPLIED_KEY), false);
  assert.match(io.out(), /\nCluster    created \(server-side apply\) in context sim\n/);
  removeDir(root);
});

test('an invalid object refused by the API server keeps the file and points at it', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  sim.faults.rejectWrites('configmaps', 1, 422, 'ConfigMap "grafana-dashboard-refused" is invalid: metadata.annotations: Too long: must have at most 262144 bytes');
  try {
    await dashboardCm(options('refused'), simContext(sim, {}, root).context);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    const e = error as TaskError;
    assert.is(e.message, 'the API server refused infrastructure/logging/dashboards/loki/refused-configmap.yaml');
    assert.is(e.command, 'kubectl --context sim apply -f infrastructure/logging/dashboards/loki/refused-configmap.yaml -n logging --dry-run=server');
    assert.match(e.details ?? '', /^The configmaps "" is invalid$/);
    assert.is(e.hint, 'the file is kept at infrastructure/logging/dashboards/loki/refused-configmap.yaml: fix the dashboard (or the file) and run the task again');
  }
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/refused-configmap.yaml')));
  assert.is(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-refused'), undefined);
  removeDir(root);
});

test('a 403 names the missing permission with the exact kubectl auth can-i, not the dashboard', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  sim.faults.rejectWrites('configmaps', 1, 403, 'configmaps is forbidden: User "dev" cannot create resource "configmaps" in API group "" in the namespace "logging"');
  try {
    await dashboardCm(options('forbidden'), simContext(sim, {}, root).context);
    assert.unreachable();
  } catch (error) {
    const e = error as TaskError;
    assert.is(e.message, 'server-side validation of infrastructure/logging/dashboards/loki/forbidden-configmap.yaml failed (exit 1)');
    assert.match(e.details ?? '', /^Error from server \(Forbidden\): error when creating "\S+forbidden-configmap.yaml": configmaps is forbidden: User "dev" cannot create resource "configmaps"/);
    assert.is(e.hint, 'your credentials lack this permission: check it with `kubectl --context sim auth can-i create configmaps -n logging` and ask for the RBAC role that grants it, or use a context that has it');
  } finally {
    removeDir(root);
  }
});

test('a 500 from the API server says to retry and check the API server', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  sim.faults.rejectWrites('configmaps', 1, 500, 'etcdserver: request timed out');
  try {
    await dashboardCm(options('etcd'), simContext(sim, {}, root).context);
    assert.unreachable();
  } catch (error) {
    const e = error as TaskError;
    assert.match(e.details ?? '', /etcdserver: request timed out/);
    assert.match(e.hint ?? '', /^the API server failed to answer \(a 5xx, or too many requests\): wait a moment and run the task again; if it persists, check the API server's health \(kubectl --context sim get --raw='\/readyz\?verbose'\)$/);
  } finally {
    removeDir(root);
  }
});

test('a 409 after a passed dry run says the object changed meanwhile', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  const { context } = simContext(sim, {}, root);
  // The dry run passes; the apply itself meets a conflict.
  const dryRunPassed = { passed: false };
  const steps = context.steps;
  context.steps = async (list) => {
    const [validate, ...rest] = list;
    return steps([{ ...validate, run: async () => {
      const title = await validate.run();
      dryRunPassed.passed = true;
      sim.faults.rejectWrites('configmaps', 1, 409, 'Operation cannot be fulfilled on configmaps "grafana-dashboard-raced": the object has been modified; please apply your changes to the latest version and try again');
      return title;
    } }, ...rest]);
  };
  try {
    await dashboardCm(options('raced'), context);
    assert.unreachable();
  } catch (error) {
    assert.ok(dryRunPassed.passed);
    const e = error as TaskError;
    assert.is(e.message, 'kubectl apply of infrastructure/logging/dashboards/loki/raced-configmap.yaml failed (exit 1)');
    assert.is(e.hint, 'the object changed on the cluster while this run worked on it: run the task again (it reads the object afresh)');
  } finally {
    removeDir(root);
  }
});

test('an unreachable cluster keeps the file, names the context, and the run says how to finish it', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  await sim.faults.unreachable();
  try {
    const io = await runDashboardCm(root, 'offline-cluster');
    assert.is(io.code, 1);
    assert.match(
      io.err(),
      /\n✗ cannot reach the cluster of kube context "sim"\n  command: kubectl --context sim get configmap grafana-dashboard-offline-cluster -n logging -o json\n(  │ .*\n)+  next: check the connection: kubectl --context sim cluster-info \(VPN, credentials, the API server's address\), then run the task again\n  run log: \S+\nWhat is left to do:\n  • infrastructure\/logging\/dashboards\/loki\/offline-cluster-configmap.yaml is written but not applied to context sim: run `npx zx tasks\/dashboard-cm.ts offline-cluster --context sim` again \(or --offline to leave the cluster as it is\)\n$/,
    );
  } finally {
    await sim.faults.reachable();
  }
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/offline-cluster-configmap.yaml')));
  removeDir(root);
});

test('--dry-run with an unreachable cluster names no file as written and no scratch path', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  await sim.faults.unreachable();
  try {
    const io = await runDashboardCm(root, 'offline-plan', '--dry-run');
    assert.is(io.code, 1);
    const all = io.out() + io.err();
    assert.match(io.err(), /✗ cannot reach the cluster of kube context "sim"\n/);
    assert.not.match(all, /is written|written at/);
    assert.not.match(all, /\/tmp\//);
    assert.not.match(io.err(), /What is left to do/);
  } finally {
    await sim.faults.reachable();
  }
  assert.not.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/offline-plan-configmap.yaml')));
  removeDir(root);
});

test('every cluster call goes to the context the run started with, and the report names it', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  try {
    const io = await runDashboardCm(root, 'pinned');
    assert.is(io.code, 0);
    const calls = io.err().split('\n').filter((line) => line.startsWith('$ kubectl'));
    assert.ok(calls.length >= 3, io.err());
    for (const call of calls) assert.match(call, /^\$ kubectl --context sim /);
    assert.match(io.out(), /\nCluster    created in context sim\n           context sim has no Flux installed \(no flux-system\/flux-system Kustomization\)\n/, 'the identity the guard finds');
    const refused = await runDashboardCm(root, 'elsewhere', '--context', 'production');
    assert.is(refused.code, 1);
    assert.match(refused.err(), /^✗ kube context "production" does not exist\n  │ contexts that exist: sim\n/);
    assert.not.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/elsewhere-configmap.yaml')), 'refused before anything was written');
  } finally {
    removeDir(root);
  }
});

test('--dry-run validates against the server but writes nothing anywhere', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  sim.clearRequests();
  const { io, context } = simContext(sim, { dryRun: true }, root);
  const result = await dashboardCm(options('planned'), context);
  assert.is(result.cluster.applied && result.cluster.operation, 'created');
  assert.ok(sim.writes().length > 0 && sim.writes().every((r) => r.dryRun), 'only server dry runs reached the cluster');
  assert.is(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-planned'), undefined);
  assert.not.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/planned-configmap.yaml')));
  assert.match(io.out(), /\nwould run: kubectl --context sim apply -f infrastructure\/logging\/dashboards\/loki\/planned-configmap.yaml -n logging\n/);
  assert.match(io.err(), /\$ kubectl --context sim apply -f - -n logging --dry-run=server\n/, 'the server dry run reads the YAML from stdin, no scratch file');
  removeDir(root);
});

test('without a kube context the files are written and the cluster skipped with a notice', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  writeFileSync(join(root, 'empty-kubeconfig'), '');
  const { io, context } = simContext(sim, {}, root);
  context.env.KUBECONFIG = join(root, 'empty-kubeconfig');
  context.kubeContext = undefined;
  const result = await dashboardCm(options('no-context'), context);
  assert.is(result.cluster.applied, false);
  assert.match(io.err(), /⚠ not applied to a cluster: no kube context is configured/);
  assert.ok(existsSync(join(root, result.target)));
  removeDir(root);
});

test.run();
