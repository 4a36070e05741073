// Deployments, pods and logs, Events, and the fault injection API, through kubectl.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';

let sim: SimCluster;
const k = (...args: string[]) => runKubectl(sim, args);

test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 50 });
});
test.after(async () => {
  await sim.stop();
});

test('rollout restart then rollout status completes with new pods', async () => {
  const before = sim.list('v1', 'Pod', 'logging').map((p) => p.metadata.name);
  assert.equal(await k('rollout', 'restart', 'deployment/grafana', '-n', 'logging'), { stdout: 'deployment.apps/grafana restarted\n', stderr: '', exitCode: 0 });
  const patch = sim.writes().at(-1)!;
  assert.equal([patch.contentType, patch.query.fieldManager], ['application/strategic-merge-patch+json', 'kubectl-rollout']);
  const r = await k('rollout', 'status', 'deployment/grafana', '-n', 'logging', '--timeout=20s');
  assert.is(r.exitCode, 0);
  assert.ok(r.stdout.endsWith('deployment "grafana" successfully rolled out\n'), r.stdout);
  const after = sim.list('v1', 'Pod', 'logging').map((p) => p.metadata.name);
  assert.is(after.length, 1);
  assert.not.equal(after, before);
  assert.match(after[0], /^grafana-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const events = await k('get', 'events', '-n', 'logging', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{.involvedObject.name}{"\\n"}{end}');
  assert.match(events.stdout, /ScalingReplicaSet grafana\n/);
});

test('kubectl logs deployment/grafana -c grafana-sc-dashboard --tail prints the sidecar lines', async () => {
  const r = await k('logs', 'deployment/grafana', '-n', 'logging', '-c', 'grafana-sc-dashboard', '--tail', '2');
  assert.is(r.exitCode, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.is(lines.length, 2);
  assert.match(lines[1], /^\{"time": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", "msg": "5xx response content will not be enabled\.", "level": "INFO"\}$/);
});

test('a dashboard ConfigMap in logging makes the sidecar log the file it writes', async () => {
  await runKubectl(sim, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dash\n  namespace: logging\n  labels:\n    grafana_dashboard: "1"\ndata:\n  node.json: "{}"\n' });
  const r = await k('logs', 'deployment/grafana', '-n', 'logging', '-c', 'grafana-sc-dashboard', '--tail', '1');
  assert.match(r.stdout, /^\{"time": "[^"]+", "msg": "Writing \/tmp\/dashboards\/node\.json \(ascii\)", "level": "INFO"\}\n$/);
  await k('delete', 'cm', 'dash', '-n', 'logging');
  const gone = await k('logs', 'deployment/grafana', '-n', 'logging', '-c', 'grafana-sc-dashboard', '--tail', '1');
  assert.match(gone.stdout, /"msg": "Removing \/tmp\/dashboards\/node\.json"/);
});

test('logs of a pod with two containers and no -c uses the default-container annotation', async () => {
  const r = await k('logs', 'deployment/grafana', '-n', 'logging', '--tail', '1');
  assert.match(r.stdout, /^logger=http\.server t=\S+ level=info msg="HTTP Server Listen"/);
});

test('a crash-looping deployment shows CrashLoopBackOff and never finishes its rollout', async () => {
  sim.faults.crashLoop('flux-system', 'helm-controller');
  const pods = await k('get', 'pods', '-n', 'flux-system', '-l', 'app=helm-controller', '-o', 'jsonpath={.items[0].status.containerStatuses[0].state.waiting.reason}');
  assert.is(pods.stdout, 'CrashLoopBackOff');
  const r = await k('rollout', 'status', 'deployment/helm-controller', '-n', 'flux-system', '--timeout=1s');
  assert.equal([r.exitCode, r.stderr], [1, 'error: timed out waiting for the condition\n']);
  assert.match(r.stdout, /Waiting for deployment "helm-controller" rollout to finish: 0 of 1 updated replicas are available\.\.\.\n/);
  sim.faults.clear('Deployment/flux-system/helm-controller');
  assert.is((await k('rollout', 'status', 'deployment/helm-controller', '-n', 'flux-system', '--timeout=10s')).exitCode, 0);
});

test('rejected writes fail with the given status, then writes succeed again', async () => {
  sim.faults.rejectWrites('configmaps', 1, 500, 'etcdserver: request timed out');
  const r = await k('create', 'configmap', 'rw', '--from-literal=a=b');
  assert.equal(r, { stdout: '', stderr: 'error: failed to create configmap: etcdserver: request timed out\n', exitCode: 1 });
  assert.is((await k('create', 'configmap', 'rw', '--from-literal=a=b')).stdout, 'configmap/rw created\n');
  assert.equal(sim.writes().slice(-2).map((w) => w.status), [500, 201]);
});

test('an unreachable server is refused with kubectl\'s wording, and comes back on the same port', async () => {
  await sim.faults.unreachable();
  const port = new URL(sim.url).port;
  const r = await k('get', 'ns', 'default', '-o', 'name');
  assert.equal(r, { stdout: '', stderr: `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?\n`, exitCode: 1 });
  await sim.faults.reachable();
  assert.equal(await k('get', 'ns', 'default', '-o', 'name'), { stdout: 'namespace/default\n', stderr: '', exitCode: 0 });
});

test('every request is recorded with verb, path, query and body', async () => {
  sim.clearRequests();
  await k('label', 'ns', 'monitoring', 'team=obs');
  const writes = sim.writes();
  assert.equal(writes.map((w) => [w.method, w.verb, w.path, w.contentType, w.query.fieldManager, w.status]),
    [['PATCH', 'patch', '/api/v1/namespaces/monitoring', 'application/merge-patch+json', 'kubectl-label', 200]]);
  assert.equal(writes[0].body, { metadata: { labels: { team: 'obs' } } });
  assert.ok(sim.requests.some((r) => r.verb === 'get' && r.path === '/api/v1/namespaces/monitoring'));
});

test.run();
