// dashboard-cm against the simulated cluster with the real kubectl: created, configured + restart,
// unchanged, server-side for large dashboards, refusal by the API server, unreachable, dry run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { dashboardRepo } from '../../helpers/dashboard-repo.ts';
import { corpusPath, corpusTest } from '../../helpers/corpus.ts';
import { repoDashboard } from '../../helpers/repo-dashboards.ts';
import { removeDir } from '../../helpers/testdir.ts';
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
  assert.match(io.err(), /\$ kubectl rollout restart deployment\/grafana -n logging\n/);
  assert.match(io.err(), /\$ kubectl rollout status deployment\/grafana -n logging --timeout=60s\n/);
  assert.match(io.out(), /\nCluster    configured in context sim; Grafana restarted\n/);
  assert.is(JSON.parse(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-flux-cp').data['flux-cp-dashboard.json']).title, 'Flux Control Plane v2');
  removeDir(root);
});

test('--no-restart applies the change without restarting Grafana', async () => {
  const dashboard = repoDashboard('flux-control-plane');
  const root = repoWith(dashboard);
  await dashboardCm(options('flux-cp2', { category: 'prometheus' }), simContext(sim, {}, root).context);
  writeFileSync(join(root, 'tmp/dashboard.json'), JSON.stringify({ ...dashboard, uid: 'flux-cp2', title: 'changed' }));
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

test('a refusal by the API server keeps the file and points at it', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  sim.faults.rejectWrites('configmaps', 1, 403, 'configmaps is forbidden: User "dev" cannot create resource "configmaps" in API group "" in the namespace "logging"');
  try {
    await dashboardCm(options('refused'), simContext(sim, {}, root).context);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    const e = error as TaskError;
    assert.is(e.message, 'the API server refused infrastructure/logging/dashboards/loki/refused-configmap.yaml');
    assert.match(e.command ?? '', /^kubectl apply -f \S+refused-configmap.yaml -n logging --dry-run=server$/);
    assert.match(e.details ?? '', /^Error from server \(Forbidden\): error when creating "\S+refused-configmap.yaml": configmaps is forbidden: User "dev" cannot create resource "configmaps"/);
    assert.is(e.hint, 'the file is kept at infrastructure/logging/dashboards/loki/refused-configmap.yaml: fix the dashboard (or the file) and run the task again');
  }
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/refused-configmap.yaml')));
  assert.is(sim.get('v1', 'ConfigMap', 'logging', 'grafana-dashboard-refused'), undefined);
  removeDir(root);
});

test('an unreachable cluster keeps the file and says so', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  await sim.faults.unreachable();
  try {
    await dashboardCm(options('offline-cluster'), simContext(sim, {}, root).context);
    assert.unreachable();
  } catch (error) {
    assert.is((error as TaskError).message, 'cannot reach the cluster of kube context "sim"');
    assert.match((error as TaskError).hint ?? '', /^the ConfigMap is written at infrastructure\/logging\/dashboards\/loki\/offline-cluster-configmap.yaml; /);
  } finally {
    await sim.faults.reachable();
  }
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/loki/offline-cluster-configmap.yaml')));
  removeDir(root);
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
  assert.match(io.out(), /\nwould run: kubectl apply -f \S+planned-configmap.yaml -n logging\n/);
  removeDir(root);
});

test('without a kube context the files are written and the cluster skipped with a notice', async () => {
  const root = repoWith(repoDashboard('flux-logs'));
  writeFileSync(join(root, 'empty-kubeconfig'), '');
  const { io, context } = simContext(sim, {}, root);
  context.env.KUBECONFIG = join(root, 'empty-kubeconfig');
  const result = await dashboardCm(options('no-context'), context);
  assert.is(result.cluster.applied, false);
  assert.match(io.err(), /⚠ not applied to a cluster: no kube context is configured/);
  assert.ok(existsSync(join(root, result.target)));
  removeDir(root);
});

test.run();
