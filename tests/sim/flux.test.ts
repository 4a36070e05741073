// The simulated Flux controllers as kubectl sees them: Ready conditions, suspend/resume, requestedAt, dependsOn, faults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';
import { getCondition, type Condition } from './flux-status.ts';
import type { KubeObject } from './kube.ts';
import { gitRepository } from './git-fixture.ts';

let sim: SimCluster;
const k = (...args: string[]) => runKubectl(sim, args);
const apply = (yaml: string) => runKubectl(sim, ['apply', '-f', '-'], { input: yaml });
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const ks = (name: string) => sim.get(KS, 'Kustomization', 'flux-system', name);
// The Ready condition, which every reconciled Flux object has.
function ready(obj: KubeObject | undefined): Condition {
  const condition = getCondition(obj, 'Ready');
  if (!condition) throw new Error(`no Ready condition on ${obj?.kind}/${obj?.metadata.name}`);
  return condition;
}
const REV = /^main@sha1:[0-9a-f]{40}$/;

const GIT = gitRepository('ssh://git@github.com/acme/fleet');
const kustomization = (name: string, dependsOn?: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
${dependsOn ? `  dependsOn:\n  - name: ${dependsOn}\n` : ''}  interval: 10m0s
  path: ./${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 30 });
});
test.after(async () => {
  await sim.stop();
});

test('kubectl wait returns when the Kustomization becomes Ready', async () => {
  await apply(`${GIT}---\n${kustomization('infra')}`);
  assert.equal(await k('wait', '--for=condition=Ready', 'kustomization/infra', '-n', 'flux-system', '--timeout=10s'),
    { stdout: 'kustomization.kustomize.toolkit.fluxcd.io/infra condition met\n', stderr: '', exitCode: 0 });
  const status = ks('infra').status;
  assert.equal([ready(ks('infra')).reason, ready(ks('infra')).observedGeneration, status.observedGeneration], ['ReconciliationSucceeded', 1, 1]);
  assert.match(status.lastAppliedRevision, REV);
  assert.is(ready(ks('infra')).message, `Applied revision: ${status.lastAppliedRevision}`);
  const git = sim.get('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'flux-system');
  assert.is(ready(git).message, `stored artifact for revision '${status.lastAppliedRevision}'`);
  assert.is(git.status.artifact.revision, status.lastAppliedRevision);
});

test('kubectl get ks shows the Flux printer columns', async () => {
  const r = await k('get', 'ks', 'infra', '-n', 'flux-system');
  assert.match(r.stdout, /^NAME    AGE\s+READY   STATUS\ninfra   \d+s\s+True    Applied revision: main@sha1:[0-9a-f]{40}\n$/);
});

test('dependsOn keeps a Kustomization not Ready until its dependency is Ready', async () => {
  sim.faults.failObject('Kustomization/flux-system/infra', 'HealthCheckFailed', "timeout waiting for: [Deployment/apps/web status: 'InProgress']");
  assert.is((await k('wait', '--for=condition=Ready=false', 'kustomization/infra', '-n', 'flux-system', '--timeout=10s')).exitCode, 0);
  await apply(kustomization('apps', 'infra'));
  await k('wait', '--for=jsonpath={.status.conditions[0].reason}=DependencyNotReady', 'kustomization/apps', '-n', 'flux-system', '--timeout=10s');
  assert.equal(ready(ks('apps')), { ...ready(ks('apps')), status: 'False', reason: 'DependencyNotReady', message: "dependency 'flux-system/infra' is not ready" });
  assert.equal([ready(ks('infra')).status, ready(ks('infra')).reason], ['False', 'HealthCheckFailed']);
  sim.faults.clear('Kustomization/flux-system/infra');
  assert.is((await k('wait', '--for=condition=Ready', 'kustomization/apps', '-n', 'flux-system', '--timeout=10s')).exitCode, 0);
});

test('a suspended Kustomization is not reconciled, and resuming reconciles it', async () => {
  await k('patch', 'kustomization', 'infra', '-n', 'flux-system', '--type', 'merge', '-p', '{"spec":{"suspend":true}}');
  await apply(kustomization('infra').replace('./infra', './infra-v2').replace('spec:\n', 'spec:\n  suspend: true\n'));
  await k('annotate', '--overwrite', 'kustomization/infra', '-n', 'flux-system', 'reconcile.fluxcd.io/requestedAt=2025-06-02T11:15:20.482913+02:00');
  await k('wait', '--for=jsonpath={.status.lastHandledReconcileAt}=2025-06-02T11:15:20.482913+02:00', 'kustomization/infra', '-n', 'flux-system', '--timeout=10s');
  const suspended = ks('infra');
  assert.equal([suspended.metadata.generation, ready(suspended).observedGeneration, suspended.status.observedGeneration], [3, 1, 3]);
  const timedOut = await k('wait', '--for=condition=Ready', 'kustomization/infra', '-n', 'flux-system', '--timeout=1s');
  assert.equal(timedOut, { stdout: '', stderr: 'error: timed out waiting for the condition on kustomizations/infra\n', exitCode: 1 });
  await k('patch', 'kustomization', 'infra', '-n', 'flux-system', '--type', 'merge', '-p', '{"spec":{"suspend":null}}');
  assert.is((await k('wait', '--for=condition=Ready', 'kustomization/infra', '-n', 'flux-system', '--timeout=10s')).exitCode, 0);
  assert.is(ready(ks('infra')).observedGeneration, 4);
});

test('reconcile.fluxcd.io/requestedAt is copied to lastHandledReconcileAt', async () => {
  const r = await k('annotate', '--overwrite', '--field-manager=flux-client-side-apply', 'kustomization/apps', '-n', 'flux-system', 'reconcile.fluxcd.io/requestedAt=1717320000');
  assert.is(r.stdout, 'kustomization.kustomize.toolkit.fluxcd.io/apps annotated\n');
  await k('wait', '--for=jsonpath={.status.lastHandledReconcileAt}=1717320000', 'kustomization/apps', '-n', 'flux-system', '--timeout=10s');
  assert.is(ks('apps').status.lastHandledReconcileAt, '1717320000');
});

test('an injected failure makes the object Ready=False with the reason, and clear heals it', async () => {
  sim.faults.failObject({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, 'BuildFailed', 'kustomize build failed: accumulating resources');
  await k('wait', '--for=condition=Ready=false', 'kustomization/apps', '-n', 'flux-system', '--timeout=10s');
  const conditions = ks('apps').status.conditions.map((c: Condition) => `${c.type}=${c.status}/${c.reason}`);
  assert.equal(conditions, ['Reconciling=True/ProgressingWithRetry', 'Ready=False/BuildFailed']);
  assert.is(ready(ks('apps')).message, 'kustomize build failed: accumulating resources');
  sim.faults.clear('Kustomization/flux-system/apps');
  assert.is((await k('wait', '--for=condition=Ready', 'kustomization/apps', '-n', 'flux-system', '--timeout=10s')).exitCode, 0);
  assert.equal(ks('apps').status.conditions.map((c: Condition) => c.type), ['Ready']);
});

test('a HelmRelease is installed, then upgraded on a spec change', async () => {
  const hr = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: grafana
  namespace: logging
spec:
  interval: 30m
  chart:
    spec:
      chart: grafana
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: grafana
        namespace: flux-system
`;
  await apply(hr('8.10.0'));
  await k('wait', '--for=condition=Ready', 'hr/grafana', '-n', 'logging', '--timeout=10s');
  const installed = sim.get('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'logging', 'grafana');
  assert.equal([ready(installed).reason, ready(installed).message], ['InstallSucceeded', 'Helm install succeeded for release logging/grafana.v1 with chart grafana@8.10.0']);
  await apply(hr('8.11.0'));
  await k('wait', '--for=jsonpath={.status.history[0].chartVersion}=8.11.0', 'hr/grafana', '-n', 'logging', '--timeout=10s');
  const upgraded = sim.get('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'logging', 'grafana');
  assert.equal([ready(upgraded).reason, ready(upgraded).message], ['UpgradeSucceeded', 'Helm upgrade succeeded for release logging/grafana.v2 with chart grafana@8.11.0']);
  assert.equal(upgraded.status.history.map((h: { version: number; status: string }) => `${h.version}:${h.status}`), ['2:deployed', '1:superseded']);
});

test.run();
