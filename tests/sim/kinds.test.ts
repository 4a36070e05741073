// Every kind the simulator serves goes through kubectl apply, get and delete; create --dry-run=server
// validates without storing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeDir, testdir } from '../helpers/testdir.ts';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';

let sim: SimCluster;
let dir: string;
const k = (...args: string[]) => runKubectl(sim, args, { cwd: dir });

const MANIFESTS: [string, string, string][] = [
  ['secret/db', 'v1', 'kind: Secret\nmetadata:\n  name: db\n  namespace: default\ntype: Opaque\nstringData:\n  password: hunter2\n'],
  ['service/web', 'v1', 'kind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n'],
  ['serviceaccount/robot', 'v1', 'kind: ServiceAccount\nmetadata:\n  name: robot\n  namespace: default\n'],
  ['gitrepository.source.toolkit.fluxcd.io/apps', 'source.toolkit.fluxcd.io/v1', 'kind: GitRepository\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/apps.git\n  ref:\n    branch: main\n'],
  ['helmrepository.source.toolkit.fluxcd.io/charts', 'source.toolkit.fluxcd.io/v1', 'kind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://charts.example.com\n'],
  ['ocirepository.source.toolkit.fluxcd.io/manifests', 'source.toolkit.fluxcd.io/v1', 'kind: OCIRepository\nmetadata:\n  name: manifests\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/example/manifests\n  ref:\n    tag: latest\n'],
];

test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 20 });
  dir = testdir(Object.fromEntries(MANIFESTS.map(([name, apiVersion, body], i) => [`m${i}.yaml`, `apiVersion: ${apiVersion}\n${body}`])));
});
test.after(async () => {
  await sim.stop();
  removeDir(dir);
});

MANIFESTS.forEach(([name], i) => {
  test(`kubectl apply, get and delete a ${name.split('/')[0]}`, async () => {
    assert.equal(await k('apply', '-f', `m${i}.yaml`), { stdout: `${name} created\n`, stderr: '', exitCode: 0 });
    const namespace = name.includes('fluxcd') ? 'flux-system' : 'default';
    assert.equal(await k('get', name, '-n', namespace, '-o', 'name'), { stdout: `${name}\n`, stderr: '', exitCode: 0 });
    const [resource, object] = name.split('/');
    assert.equal(await k('delete', name, '-n', namespace), { stdout: `${resource} "${object}" deleted\n`, stderr: '', exitCode: 0 });
    const gone = await k('get', name, '-n', namespace);
    assert.is(gone.exitCode, 1);
    assert.match(gone.stderr, /^Error from server \(NotFound\): /);
  });
});

test('a Secret created from stringData is stored as base64 data', async () => {
  await k('apply', '-f', 'm0.yaml');
  assert.equal(sim.get('v1', 'Secret', 'default', 'db').data, { password: Buffer.from('hunter2').toString('base64') });
});

test('the CRDs of the Flux kinds are listed', async () => {
  const result = await k('get', 'crd', '-o', 'name');
  for (const crd of ['gitrepositories.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io', 'helmreleases.helm.toolkit.fluxcd.io']) {
    assert.match(result.stdout, new RegExp(`^customresourcedefinition.apiextensions.k8s.io/${crd.replace(/\./g, '\\.')}$`, 'm'));
  }
});

test('kubectl create --dry-run=server validates and stores nothing', async () => {
  assert.equal(await k('create', '--dry-run=server', '-f', 'm2.yaml'), { stdout: 'serviceaccount/robot created (server dry run)\n', stderr: '', exitCode: 0 });
  assert.is(sim.get('v1', 'ServiceAccount', 'default', 'robot'), undefined);
  const invalid = await k('create', '--dry-run=server', 'configmap', 'Bad_Name');
  assert.is(invalid.exitCode, 1);
  assert.match(invalid.stderr, /^error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
});

test('events are listed', async () => {
  await k('rollout', 'restart', 'deployment/grafana', '-n', 'logging');
  await k('rollout', 'status', 'deployment/grafana', '-n', 'logging', '--timeout=30s');
  const events = await k('get', 'events', '-n', 'logging', '-o', 'name');
  assert.is(events.exitCode, 0);
  assert.ok(events.stdout.trim().split('\n').length >= 1 && /^event\//.test(events.stdout));
});

test.run();
