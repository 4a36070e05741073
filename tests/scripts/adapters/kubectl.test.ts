import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { removeDir, testdir, removeTestdirs } from '../../helpers/testdir.ts';
import { createKubectl, KubectlError, parseApplyOperation, parseDuration, resolveKubeContext } from '../../../scripts/adapters/kubectl.ts';
import { TaskError } from '../../../scripts/core/errors.ts';
import { classifyKubectlError } from '../../../scripts/adapters/kubectl-errors.ts';


// Temporary directories go after each test, failed or not.
test.after.each(removeTestdirs);
let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster();
});
test.after(async () => {
  await sim.stop();
});

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  namespace: logging
data:
  key: ${value}
`;

test('apply reports created, then unchanged, then configured', async () => {
  const { io, context } = simContext(sim);
  const kubectl = createKubectl(context.runner);
  const file = join(context.cwd, 'cm.yaml');
  writeFileSync(file, configMap('one'));
  assert.is((await kubectl.apply({ file })).operation, 'created');
  assert.is((await kubectl.apply({ file })).operation, 'unchanged');
  writeFileSync(file, configMap('two'));
  assert.is((await kubectl.apply({ file })).operation, 'configured');
  assert.is(sim.get('v1', 'ConfigMap', 'logging', 'demo').data.key, 'two');
  assert.match(io.err(), new RegExp(`^\\$ kubectl apply -f ${file}\\n`));
});

test('getJson returns the object, or undefined when it does not exist', async () => {
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner);
  assert.is((await kubectl.getJson('deployment', 'grafana', 'logging')).metadata.name, 'grafana');
  assert.is(await kubectl.getJson('configmap', 'nope', 'logging'), undefined);
});

test('under --dry-run apply sends no write, but a server dry run still validates', async () => {
  const { io, context } = simContext(sim, { dryRun: true });
  const kubectl = createKubectl(context.runner);
  const file = join(context.cwd, 'cm.yaml');
  writeFileSync(file, configMap('three').replace('name: demo', 'name: planned'));
  sim.clearRequests();
  const validated = await kubectl.apply({ file, dryRun: 'server' });
  assert.is(validated.operation, 'created');
  await kubectl.apply({ file });
  assert.equal(sim.writes().map((r) => r.query.dryRun), ['All']);
  assert.is(sim.get('v1', 'ConfigMap', 'logging', 'planned'), undefined);
  assert.is(io.out(), `would run: kubectl apply -f ${file}\n`);
});

test('a refused object becomes a KubectlError with the API reason and the exact command', async () => {
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner);
  const file = join(context.cwd, 'bad.yaml');
  writeFileSync(file, configMap('x').replace('name: demo', 'name: Bad_Name'));
  try {
    await kubectl.apply({ file }, { purpose: 'apply the dashboard' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, KubectlError);
    const e = error as KubectlError;
    assert.is(e.kubectlKind, 'Invalid');
    assert.is(e.message, 'apply the dashboard failed (exit 1)');
    assert.is(e.command, `kubectl apply -f ${file}`);
    assert.match(e.details ?? '', /The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  }
});

test('a failed command is reported quoted, ready to copy', async () => {
  const { context } = simContext(sim);
  try {
    await createKubectl(context.runner).run('write', ['patch', 'configmap', 'nope', '-n', 'logging', '--type=merge', '-p', '{"data":{"a":"b"}}']);
    assert.unreachable();
  } catch (error) {
    assert.is((error as KubectlError).command, `kubectl patch configmap nope -n logging --type=merge -p '{"data":{"a":"b"}}'`);
    assert.is((error as KubectlError).kubectlKind, 'NotFound');
  }
});

test('pins every call to --context when one is given', async () => {
  const { io, context } = simContext(sim);
  const kubectl = createKubectl(context.runner, { context: 'sim' });
  await kubectl.getJson('namespace', 'logging');
  assert.is(io.err(), '$ kubectl --context sim get namespace logging -o json\n');
});

test('resolves the kube context once: the flag when it exists, else the current one', async () => {
  const dir = testdir();
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    const server = sim.url;
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: sim',
      'clusters: [{name: sim, cluster: {server: "' + server + '"}}, {name: other, cluster: {server: "' + server + '"}}]',
      'users: [{name: u, user: {}}]',
      'contexts: [{name: sim, context: {cluster: sim, user: u}}, {name: prod-eu, context: {cluster: other, user: u}}]',
      '',
    ].join('\n'));
    const { context } = simContext(sim);
    context.env.KUBECONFIG = kubeconfig;
    assert.is(await resolveKubeContext(context.runner), 'sim');
    assert.is(await resolveKubeContext(context.runner, 'prod-eu'), 'prod-eu');
    try {
      await resolveKubeContext(context.runner, 'prod');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, TaskError);
      assert.is((error as TaskError).message, 'kube context "prod" does not exist');
      assert.is((error as TaskError).details, 'contexts that exist: prod-eu, sim');
      assert.is((error as TaskError).hint, 'pass --context with one of them: --context prod-eu');
    }
    writeFileSync(join(dir, 'empty'), '');
    context.env.KUBECONFIG = join(dir, 'empty');
    assert.is(await resolveKubeContext(context.runner), undefined);
  } finally {
    removeDir(dir);
  }
});

test('restarts a deployment and waits for the rollout', async () => {
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner);
  const restarted = await kubectl.rolloutRestart('grafana', 'logging');
  assert.is(restarted.stdout, 'deployment.apps/grafana restarted\n');
  const status = await kubectl.rolloutStatus('grafana', 'logging', '30s');
  assert.match(status.stdout, /deployment "grafana" successfully rolled out\n$/);
});

test('reads the dashboard sidecar logs', async () => {
  const { context } = simContext(sim);
  const logs = await createKubectl(context.runner).logs('deployment/grafana', 'logging', { container: 'grafana-sc-dashboard', tail: 3 });
  assert.is(logs.trimEnd().split('\n').length, 3);
});

test('an unreachable cluster is reported as such, with the next step', async () => {
  const { context } = simContext(sim);
  await sim.faults.unreachable();
  try {
    await createKubectl(context.runner).getJson('namespace', 'logging');
    assert.unreachable();
  } catch (error) {
    assert.is((error as KubectlError).kubectlKind, 'Unreachable');
    assert.is((error as KubectlError).message, 'cannot reach the cluster of kube context (the current one)');
    assert.match((error as KubectlError).hint ?? '', /^check the connection: kubectl cluster-info /);
  } finally {
    await sim.faults.reachable();
  }
});

test('a failed call is logged as failed, and each kind of failure has its own next step', async () => {
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner, { context: 'sim' });
  const failure = async (code: number, message: string): Promise<KubectlError> => {
    sim.faults.rejectWrites('configmaps', 1, code, message);
    try {
      await kubectl.run('write', ['create', 'configmap', `hint-${code}`, '-n', 'logging'], { hint: 'fix the file' });
    } catch (error) {
      return error as KubectlError;
    }
    throw new Error('expected a failure');
  };
  const server = await failure(500, 'etcdserver: request timed out');
  assert.is(server.kubectlKind, 'ServerError');
  assert.match(server.hint ?? '', /^the API server failed to answer \(a 5xx, or too many requests\): wait a moment and run the task again/);
  const forbidden = await failure(403, 'configmaps is forbidden: User "dev" cannot create resource "configmaps" in API group "" in the namespace "logging"');
  assert.is(forbidden.kubectlKind, 'Forbidden');
  assert.is(forbidden.hint, 'your credentials lack this permission: check it with `kubectl --context sim auth can-i create configmaps -n logging` and ask for the RBAC role that grants it, or use a context that has it');
  const conflict = await failure(409, 'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again');
  assert.is(conflict.kubectlKind, 'Conflict');
  assert.is(conflict.hint, 'the object changed on the cluster while this run worked on it: run the task again (it reads the object afresh)');
  const invalid = await failure(422, 'ConfigMap "x" is invalid: data: Invalid value');
  assert.is(invalid.hint, 'fix the file', "the caller's hint is kept for a refusal of the object itself");
  const log = readFileSync(join(context.cwd, context.log.path), 'utf8');
  assert.is((log.match(/ failed exit=1 \S+ kubectl --context sim create configmap hint-\d+ -n logging\n/g) ?? []).length, 4);
  assert.not.match(log, / ok exit=1 /);
});

test('reads apply output and durations', () => {
  assert.is(parseApplyOperation('configmap/x created\n'), 'created');
  assert.is(parseApplyOperation('configmap/x serverside-applied (server dry run)\n'), 'serverside-applied');
  assert.is(parseApplyOperation('configmap/x unchanged (server dry run)\n'), 'unchanged');
  assert.throws(() => parseApplyOperation('nothing'), /could not read the result of kubectl apply/);
  assert.is(parseDuration('1m30s'), 90_000);
});

test('classifies kubectl errors by kind', () => {
  assert.is(classifyKubectlError('Error from server (NotFound): configmaps "x" not found'), 'NotFound');
  assert.is(classifyKubectlError('Error from server (AlreadyExists): configmaps "x" already exists'), 'AlreadyExists');
  assert.is(classifyKubectlError('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?'), 'Unreachable');
  assert.is(classifyKubectlError('error: current-context is not set'), 'NoContext');
  assert.is(classifyKubectlError('error: the server doesn\'t have a resource type "foos"'), 'UnknownKind');
  assert.is(classifyKubectlError('Error from server (InternalError): etcdserver: request timed out'), 'ServerError');
  assert.is(classifyKubectlError('Error from server (ServiceUnavailable): the server is currently unable to handle the request'), 'ServerError');
  assert.is(classifyKubectlError('Error from server: etcdserver: leader changed'), 'ServerError');
});

test.run();
