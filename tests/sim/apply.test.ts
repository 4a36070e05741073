// kubectl apply (client-side, server-side, dry-run, -k) and diff against the simulator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeDir, testdir, writeTree } from '../helpers/testdir.ts';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';
import type { KubeObject, ManagedFieldsEntry } from './kube.ts';

let sim: SimCluster;
let dir: string;
const k = (...args: string[]) => runKubectl(sim, args, { cwd: dir });
const cm = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n${Object.entries(data).map(([a, b]) => `  ${a}: "${b}"\n`).join('')}`;

test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 20 });
  dir = testdir({ 'cm.yaml': cm('settings', { x: '1' }) });
});
test.after(async () => {
  await sim.stop();
  removeDir(dir);
});

test('kubectl apply prints created then unchanged, and unchanged sends no write', async () => {
  assert.equal(await k('apply', '-f', 'cm.yaml'), { stdout: 'configmap/settings created\n', stderr: '', exitCode: 0 });
  const create = sim.writes().at(-1)!;
  assert.equal([create.verb, create.path, create.query.fieldManager, create.query.fieldValidation], ['create', '/api/v1/namespaces/default/configmaps', 'kubectl-client-side-apply', 'Strict']);
  assert.is(create.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"v1","data":{"x":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"settings","namespace":"default"}}\n');
  const before = sim.writes().length;
  assert.equal(await k('apply', '-f', 'cm.yaml'), { stdout: 'configmap/settings unchanged\n', stderr: '', exitCode: 0 });
  assert.is(sim.writes().length, before);
});

test('kubectl apply of a change sends a strategic merge patch and prints configured', async () => {
  writeTree(dir, { 'cm.yaml': cm('settings', { x: '2' }) });
  assert.equal(await k('apply', '-f', 'cm.yaml'), { stdout: 'configmap/settings configured\n', stderr: '', exitCode: 0 });
  const patch = sim.writes().at(-1)!;
  assert.is(patch.contentType, 'application/strategic-merge-patch+json');
  assert.equal(patch.body.data, { x: '2' });
  assert.is(sim.get('v1', 'ConfigMap', 'default', 'settings').data.x, '2');
});

test('kubectl apply --dry-run=server validates but stores nothing', async () => {
  writeTree(dir, { 'dry.yaml': cm('dry', { a: 'b' }), 'cm3.yaml': cm('settings', { x: '3' }) });
  assert.equal(await k('apply', '--dry-run=server', '-f', 'dry.yaml'), { stdout: 'configmap/dry created (server dry run)\n', stderr: '', exitCode: 0 });
  assert.equal(await k('apply', '--dry-run=server', '-f', 'cm3.yaml'), { stdout: 'configmap/settings configured (server dry run)\n', stderr: '', exitCode: 0 });
  assert.equal(await k('create', '--dry-run=server', '-f', 'dry.yaml'), { stdout: 'configmap/dry created (server dry run)\n', stderr: '', exitCode: 0 });
  assert.is(sim.get('v1', 'ConfigMap', 'default', 'dry'), undefined);
  assert.is(sim.get('v1', 'ConfigMap', 'default', 'settings').data.x, '2');
  assert.ok(sim.writes().slice(-3).every((r) => r.dryRun && r.query.dryRun === 'All'));
});

test('kubectl diff exits 0 when equal and 1 with a unified diff when different', async () => {
  assert.equal(await k('diff', '-f', 'cm.yaml'), { stdout: '', stderr: '', exitCode: 0 });
  const r = await k('diff', '-f', 'cm3.yaml');
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /\n-  x: "2"\n\+  x: "3"\n/);
  assert.is(sim.get('v1', 'ConfigMap', 'default', 'settings').data.x, '2');
});

test('server-side apply conflicts with the client-side manager unless forced', async () => {
  const r = await k('apply', '--server-side', '-f', 'cm3.yaml');
  assert.is(r.exitCode, 1);
  assert.is(r.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.x');
  assert.match(r.stderr, /Please review the fields above--they currently have other managers/);
  assert.equal(await k('apply', '--server-side', '--force-conflicts', '-f', 'cm3.yaml'), { stdout: 'configmap/settings serverside-applied\n', stderr: '', exitCode: 0 });
  const live = sim.get('v1', 'ConfigMap', 'default', 'settings');
  assert.is(live.data.x, '3');
  const owners = live.metadata.managedFields.filter((m: ManagedFieldsEntry) => m.fieldsV1['f:data']?.['f:x']).map((m: ManagedFieldsEntry) => `${m.manager}:${m.operation}`);
  assert.equal(owners, ['kubectl:Apply']);
  const sent = sim.writes().at(-1)!;
  assert.equal([sent.contentType, sent.query.fieldManager, sent.query.force], ['application/apply-patch+yaml', 'kubectl', 'true']);
});

test('server-side apply with a field manager creates and then owns its fields', async () => {
  writeTree(dir, { 'ssa.yaml': cm('owned', { k: 'v' }) });
  assert.equal(await k('apply', '--server-side', '--field-manager', 'ops-task', '-f', 'ssa.yaml'), { stdout: 'configmap/owned serverside-applied\n', stderr: '', exitCode: 0 });
  const json = JSON.parse((await k('get', 'cm', 'owned', '-o', 'json', '--show-managed-fields')).stdout);
  assert.equal((json as KubeObject).metadata.managedFields?.map((m) => [m.manager, m.operation, m.fieldsV1]), [['ops-task', 'Apply', { 'f:data': { 'f:k': {} } }]]);
  const other = await runKubectl(sim, ['apply', '--server-side', '--field-manager', 'other', '-f', '-'], { input: cm('owned', { k: 'w' }) });
  assert.is(other.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "ops-task": .data.k');
});

test('unknown fields are rejected under fieldValidation=Strict', async () => {
  const r = await runKubectl(sim, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\n  namespace: default\ndatta:\n  a: b\n' });
  assert.equal(r, { stdout: '', stderr: 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"\n', exitCode: 1 });
});

test('kubectl apply -k builds locally and applies the result', async () => {
  writeTree(dir, {
    'kust/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: monitoring\nresources:\n- cm.yaml\n',
    'kust/cm.yaml': cm('from-kustomize', { y: '1' }).replace('  namespace: default\n', ''),
  });
  assert.equal(await k('apply', '-k', 'kust'), { stdout: 'configmap/from-kustomize created\n', stderr: '', exitCode: 0 });
  assert.equal(sim.get('v1', 'ConfigMap', 'monitoring', 'from-kustomize').data, { y: '1' });
});

test('kubectl apply of a Flux object uses a JSON merge patch', async () => {
  const ks = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
  assert.is((await runKubectl(sim, ['apply', '-f', '-'], { input: ks('./apps') })).stdout, 'kustomization.kustomize.toolkit.fluxcd.io/apps created\n');
  assert.is((await runKubectl(sim, ['apply', '-f', '-'], { input: ks('./apps2') })).stdout, 'kustomization.kustomize.toolkit.fluxcd.io/apps configured\n');
  const patch = sim.writes().at(-1)!;
  assert.is(patch.contentType, 'application/merge-patch+json');
  assert.is(sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps').metadata.generation, 2);
});

test.run();
