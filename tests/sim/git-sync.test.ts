// The simulated Flux follows Git: a GitRepository on a local bare repository gets its branch head,
// each Kustomization builds its path at that revision with kubectl kustomize and applies it
// server-side as kustomize-controller (inventory, prune, kubectl edits reverted), honouring suspend and dependsOn; a
// commit with a crash-looping image fails the health check, and reverting it recovers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runKubectl, startSimCluster, type SimCluster } from './index.ts';
import { clusterTree, configMap, CRASHING_IMAGE, deployment, gitOpsRepo, GOOD_IMAGE, waitFor, type GitOpsRepo } from './git-fixture.ts';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
let repo: GitOpsRepo;
let sim: SimCluster;

test.before(async () => {
  repo = gitOpsRepo((url) => clusterTree(url));
  sim = await startSimCluster({ from: join(repo.work, 'clusters/dev/flux-system'), reconcileDelayMs: 20 });
});
test.after(async () => {
  await sim?.stop();
  repo?.remove();
});

const ks = (name: string) => sim.get(KS, 'Kustomization', 'flux-system', name);
const appliedAt = (name: string, sha: string) => () => ks(name)?.status?.lastAppliedRevision === `main@sha1:${sha}` && ks(name).status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
const ready = (name: string) => ks(name)?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');

test('the branch head is fetched, built and applied by kustomize-controller with an inventory', async () => {
  const sha = repo.head();
  await waitFor('apps to apply the first commit', appliedAt('apps', sha));
  assert.is(sim.get('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'flux-system').status.artifact.revision, `main@sha1:${sha}`);
  assert.equal(ready('apps'), { ...ready('apps'), reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${sha}` });
  assert.equal(ks('apps').status.inventory.entries, [
    { id: 'apps_podinfo_apps_Deployment', v: 'v1' },
    { id: 'apps_settings__ConfigMap', v: 'v1' },
  ]);
  assert.equal(ks('infra').status.inventory.entries, [{ id: '_apps__Namespace', v: 'v1' }]);
  const podinfo = sim.get('apps/v1', 'Deployment', 'apps', 'podinfo');
  assert.equal(podinfo.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager} ${m.operation}`), ['kustomize-controller Apply']);
  assert.is(podinfo.metadata.labels['kustomize.toolkit.fluxcd.io/name'], 'apps');
  const pods = await runKubectl(sim, ['get', 'pods', '-n', 'apps', '-o', 'jsonpath={.items[*].status.phase}']);
  assert.is(pods.stdout, 'Running');
});

test('a new commit is applied, and what it removed is pruned', async () => {
  const sha = repo.push({ 'apps/settings.yaml': null, 'apps/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - other.yaml\n', 'apps/other.yaml': configMap('other', 'apps', { size: 'large' }) }, 'replace settings with other');
  await waitFor('apps to apply the second commit', appliedAt('apps', sha));
  assert.is(sim.get('v1', 'ConfigMap', 'apps', 'settings'), undefined);
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').data, { size: 'large' });
  assert.equal(ks('apps').status.inventory.entries.map((e: { id: string }) => e.id), ['apps_other__ConfigMap', 'apps_podinfo_apps_Deployment']);
});

test("what a person set with kubectl and Git lacks is reverted on the next reconcile; another manager's fields stay", async () => {
  await runKubectl(sim, ['patch', 'configmap', 'other', '-n', 'apps', '--type=merge', '-p', '{"data":{"size":"huge","extra":"1"}}']);
  await runKubectl(sim, ['patch', 'configmap', 'other', '-n', 'apps', '--type=merge', '-p', '{"data":{"owner":"autoscaler"}}', '--field-manager=autoscaler']);
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').data, { size: 'huge', extra: '1', owner: 'autoscaler' });
  await runKubectl(sim, ['annotate', 'kustomization', 'apps', '-n', 'flux-system', '--overwrite', 'reconcile.fluxcd.io/requestedAt=2026-01-01T00:00:00Z']);
  await waitFor('the reconcile to revert the edit', () => sim.get('v1', 'ConfigMap', 'apps', 'other').data.size === 'large');
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').data, { size: 'large', owner: 'autoscaler' });
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager} ${m.operation}`), ['kustomize-controller Apply', 'autoscaler Update']);
});

test('a suspended Kustomization is not applied, and its dependents wait for its revision; resume applies both', async () => {
  const before = repo.head();
  // As flux suspend does it: a field manager that kustomize-controller does not take over (a
  // kubectl-* one would be, and the root Kustomization's next apply would resume infra).
  await runKubectl(sim, ['patch', 'kustomization', 'infra', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":true}}', '--field-manager=flux-client-side-apply']);
  const sha = repo.push({ 'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    team: blue\n', 'apps/other.yaml': configMap('other', 'apps', { size: 'small' }) }, 'label and resize');
  await waitFor('apps to wait for infra', () => ready('apps')?.reason === 'DependencyNotReady' && ready('apps'));
  assert.is(ready('apps').message, "dependency 'flux-system/infra' is not ready");
  assert.is(ks('infra').status.lastAppliedRevision, `main@sha1:${before}`);
  assert.is(ks('apps').status.lastAppliedRevision, `main@sha1:${before}`);
  assert.is(sim.get('v1', 'Namespace', undefined, 'apps').metadata.labels?.team, undefined);
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').data, { size: 'large', owner: 'autoscaler' });
  await runKubectl(sim, ['patch', 'kustomization', 'infra', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":null}}', '--field-manager=flux-client-side-apply']);
  await waitFor('apps to apply after infra', appliedAt('apps', sha));
  assert.is(sim.get('v1', 'Namespace', undefined, 'apps').metadata.labels.team, 'blue');
  assert.equal(sim.get('v1', 'ConfigMap', 'apps', 'other').data, { size: 'small', owner: 'autoscaler' });
});

test('a commit with a crash-looping image fails the health check; reverting it recovers', async () => {
  const bad = repo.push({ 'apps/deployment.yaml': deployment('podinfo', 'apps', CRASHING_IMAGE) }, 'bad image');
  await waitFor('the health check to fail', () => ready('apps')?.reason === 'HealthCheckFailed');
  assert.is(ready('apps').message, "timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']");
  assert.is(ks('apps').status.lastAttemptedRevision, `main@sha1:${bad}`);
  const waiting = await runKubectl(sim, ['get', 'pods', '-n', 'apps', '-o', 'jsonpath={.items[*].status.containerStatuses[0].state.waiting.reason}']);
  assert.is(waiting.stdout, 'CrashLoopBackOff');
  const good = repo.push({ 'apps/deployment.yaml': deployment('podinfo', 'apps', GOOD_IMAGE) }, 'revert bad image');
  await waitFor('apps to recover', appliedAt('apps', good));
  const phases = await runKubectl(sim, ['get', 'pods', '-n', 'apps', '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}']);
  assert.is(phases.stdout, 'true');
});

test('a build error and a missing path fail the Kustomization as kustomize-controller words them', async () => {
  const sha = repo.push({ 'apps/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - missing.yaml\n' }, 'broken kustomization');
  await waitFor('the build to fail', () => ks('apps')?.status?.lastAttemptedRevision === `main@sha1:${sha}` && ready('apps')?.reason === 'BuildFailed');
  assert.match(ready('apps').message, /^kustomize build failed: .*missing\.yaml/);
  const moved = repo.push({ 'clusters/dev/apps.yaml': clusterTree(repo.url)['clusters/dev/apps.yaml'].replace('path: ./apps', 'path: ./nowhere') }, 'wrong path');
  await waitFor('the path to be missing', () => ks('apps')?.status?.lastAttemptedRevision === `main@sha1:${moved}` && ready('apps')?.reason === 'ArtifactFailed');
  assert.match(ready('apps').message, /^kustomization path not found: stat .*\/nowhere: no such file or directory$/);
});

test('a branch the repository does not have fails the GitRepository as source-controller words it', async () => {
  sim.put({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'feature', namespace: 'flux-system' }, spec: { interval: '1m', url: repo.url, ref: { branch: 'nope' } } });
  const failed = await waitFor('the fetch to fail', () => sim.get('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'feature')?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready'));
  assert.equal([failed.status, failed.reason, failed.message], ['False', 'GitOperationFailed', `failed to checkout and determine revision: unable to clone '${repo.url}': couldn't find remote ref "refs/heads/nope"`]);
});

test.run();
