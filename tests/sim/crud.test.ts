// kubectl get/create/delete/label/annotate/patch and the API server's errors, against the simulator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeDir, testdir } from '../helpers/testdir.ts';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';
import type { Container } from './kube.ts';

let sim: SimCluster;
let dir: string;
const k = (...args: string[]) => runKubectl(sim, args, { cwd: dir });

test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 20 });
  dir = testdir({
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\n  labels:\n    tier: web\ndata:\n  a: "1"\n',
    'foo.yaml': 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: a\n',
  });
});
test.after(async () => {
  await sim.stop();
  removeDir(dir);
});

test('kubectl get lists the seed namespaces without discovery warnings', async () => {
  const r = await k('get', 'ns', '-o', 'name');
  assert.equal(r, { stdout: 'namespace/default\nnamespace/flux-system\nnamespace/kube-system\nnamespace/logging\nnamespace/monitoring\n', stderr: '', exitCode: 0 });
});

test('kubectl get prints server-side tables with the real columns', async () => {
  const r = await k('get', 'deploy', '-n', 'flux-system', '-o', 'custom-columns=NAME:.metadata.name,READY:.status.readyReplicas');
  assert.equal(r.stdout, 'NAME                      READY\nhelm-controller           1\nkustomize-controller      1\nnotification-controller   1\nsource-controller         1\n');
  const table = await k('get', 'ns', 'logging');
  assert.match(table.stdout, /^NAME      STATUS   AGE\nlogging   Active   \d+s\n$/);
});

test('kubectl create prints created, then AlreadyExists', async () => {
  assert.equal(await k('create', '-f', 'cm.yaml'), { stdout: 'configmap/app created\n', stderr: '', exitCode: 0 });
  assert.equal(await k('create', '-f', 'cm.yaml'), { stdout: '', stderr: 'Error from server (AlreadyExists): error when creating "cm.yaml": configmaps "app" already exists\n', exitCode: 1 });
});

test('kubectl get -o json, jsonpath, -A, -l and --field-selector read stored objects', async () => {
  const json = JSON.parse((await k('get', 'cm', 'app', '-o', 'json')).stdout);
  assert.is(json.data.a, '1');
  assert.ok(Number(json.metadata.resourceVersion) > 0);
  assert.is((await k('get', 'cm', 'app', '-o', 'jsonpath={.metadata.labels.tier}')).stdout, 'web');
  assert.is((await k('get', 'pods', '-A', '-l', 'app=kustomize-controller', '-o', 'jsonpath={.items[*].metadata.namespace}')).stdout, 'flux-system');
  assert.is((await k('get', 'cm', '-A', '--field-selector', 'metadata.name=app', '-o', 'name')).stdout, 'configmap/app\n');
  assert.equal(await k('get', 'cm', '-l', 'tier=db'), { stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
  const bad = await k('get', 'cm', '--field-selector', 'data.a=1');
  assert.equal(bad, { stdout: '', stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.a=1": field label not supported: data.a\n', exitCode: 1 });
});

test('kubectl get of a missing object is NotFound', async () => {
  assert.equal(await k('get', 'cm', 'nope'), { stdout: '', stderr: 'Error from server (NotFound): configmaps "nope" not found\n', exitCode: 1 });
  assert.equal(await k('get', 'deploy', 'nope', '-n', 'logging'), { stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
  assert.equal(await k('get', 'ks', 'nope', '-n', 'flux-system'), { stdout: '', stderr: 'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n', exitCode: 1 });
});

test('kubectl create in an unknown namespace is NotFound for the namespace', async () => {
  const r = await k('create', 'configmap', 'x', '-n', 'nope', '--from-literal=a=b');
  assert.equal(r, { stdout: '', stderr: 'error: failed to create configmap: namespaces "nope" not found\n', exitCode: 1 });
});

test('kubectl create refuses names that are not DNS-1123', async () => {
  const cm = await k('create', 'configmap', 'Bad_Name');
  assert.is(cm.stderr, `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`);
  const ns = await k('create', 'namespace', 'a.b');
  assert.equal(ns, { stdout: '', stderr: 'The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots\n', exitCode: 1 });
});

test('kubectl label, annotate and patch (merge, json, strategic) change the object', async () => {
  assert.is((await k('label', 'cm', 'app', 'team=ops')).stdout, 'configmap/app labeled\n');
  assert.is((await k('annotate', 'cm', 'app', 'note=hi')).stdout, 'configmap/app annotated\n');
  assert.is((await k('patch', 'cm', 'app', '--type', 'merge', '-p', '{"data":{"b":"2"}}')).stdout, 'configmap/app patched\n');
  assert.is((await k('patch', 'cm', 'app', '--type', 'json', '-p', '[{"op":"test","path":"/data/a","value":"1"},{"op":"remove","path":"/data/a"}]')).stdout, 'configmap/app patched\n');
  assert.is((await k('patch', 'cm', 'app', '--type', 'strategic', '-p', '{"data":{"c":"3"}}')).stdout, 'configmap/app patched\n');
  assert.is((await k('patch', 'cm', 'app', '--type', 'merge', '-p', '{"data":{"c":"3"}}')).stdout, 'configmap/app patched (no change)\n');
  const cm = sim.get('v1', 'ConfigMap', 'default', 'app');
  assert.equal(cm.data, { b: '2', c: '3' });
  assert.equal(cm.metadata.labels, { tier: 'web', team: 'ops' });
  assert.is(cm.metadata.annotations.note, 'hi');
});

test('a failing json patch test is reported as Invalid', async () => {
  const r = await k('patch', 'cm', 'app', '--type', 'json', '-p', '[{"op":"test","path":"/data/b","value":"9"}]');
  assert.equal(r, { stdout: '', stderr: 'The request is invalid: : testing value /data/b failed: test failed\n', exitCode: 1 });
});

test('strategic merge patch merges containers by name', async () => {
  await k('patch', 'deploy', 'grafana', '-n', 'logging', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"grafana","image":"grafana/grafana:12.0.0"}]}}}}');
  const d = sim.get('apps/v1', 'Deployment', 'logging', 'grafana');
  assert.equal(d.spec.template.spec.containers.map((c: Container) => `${c.name}=${c.image}`), ['grafana-sc-dashboard=quay.io/kiwigrid/k8s-sidecar:1.30.0', 'grafana=grafana/grafana:12.0.0']);
  assert.is(d.metadata.generation, 2);
});

test('kubectl replace with a stale resourceVersion is a Conflict', async () => {
  const live = sim.get('v1', 'ConfigMap', 'default', 'app');
  live.metadata.resourceVersion = '1';
  const r = await runKubectl(sim, ['replace', '-f', '-'], { input: JSON.stringify(live) });
  assert.equal(r, { stdout: '', stderr: 'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "app": the object has been modified; please apply your changes to the latest version and try again\n', exitCode: 1 });
});

test('annotations over 262144 bytes and ConfigMaps over 1 MiB are Invalid', async () => {
  const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default', annotations: { a: 'x'.repeat(262144) } } };
  const r = await runKubectl(sim, ['create', '-f', '-'], { input: JSON.stringify(big) });
  assert.equal(r, { stdout: '', stderr: 'The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n', exitCode: 1 });
  const huge = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge', namespace: 'default' }, data: { a: 'x'.repeat(1048577) } };
  const h = await runKubectl(sim, ['create', '-f', '-'], { input: JSON.stringify(huge) });
  assert.equal(h, { stdout: '', stderr: 'The ConfigMap "huge" is invalid: []: Too long: may not be more than 1048576 bytes\n', exitCode: 1 });
});

test('a request body over 3 MiB is refused as too large', async () => {
  const huge = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'enormous', namespace: 'default' }, data: { a: 'x'.repeat(3200000) } };
  const r = await runKubectl(sim, ['create', '-f', '-'], { input: JSON.stringify(huge) });
  assert.equal(r, { stdout: '', stderr: 'Error from server (RequestEntityTooLarge): error when creating "STDIN": Request entity too large: limit is 3145728\n', exitCode: 1 });
});

test('unknown kinds are refused as a real server refuses them', async () => {
  assert.equal(await k('get', 'foos'), { stdout: '', stderr: 'error: the server doesn\'t have a resource type "foos"\n', exitCode: 1 });
  assert.equal(await k('apply', '-f', 'foo.yaml'), {
    stdout: '', exitCode: 1,
    stderr: 'error: resource mapping not found for name: "a" namespace: "" from "foo.yaml": no matches for kind "Foo" in version "example.com/v1"\nensure CRDs are installed first\n',
  });
});

test('kubectl delete removes the object and records the request', async () => {
  sim.clearRequests();
  assert.equal(await k('delete', 'cm', 'app'), { stdout: 'configmap "app" deleted\n', stderr: '', exitCode: 0 });
  assert.is(sim.get('v1', 'ConfigMap', 'default', 'app'), undefined);
  assert.equal(sim.writes().map((r) => `${r.verb} ${r.path}`), ['delete /api/v1/namespaces/default/configmaps/app']);
});

test.run();
