// The wrong-cluster guard with the real kubectl against the simulated cluster: the identity read
// from the flux-system Kustomization, a context that is another cluster refused with nothing
// written, the context taken from --context or the settings (never the current one), and the
// typed confirmation of production clusters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { createKubectl } from '../../../scripts/adapters/kubectl.ts';
import { checkIdentity, clusterContext, confirmDestructive, describeIdentity, guardCluster, openCluster } from '../../../scripts/cluster/guard.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';
import type { ClusterSettings } from '../../../scripts/cluster/settings.ts';
import { TaskError, UsageError } from '../../../scripts/core/errors.ts';

const settings = (name: string, tier: 'staging' | 'production' = 'staging', context = 'sim'): ClusterSettings => ({
  name, file: `clusters/${name}/settings.yaml`, context, tier, github: { owner: 'acme', repository: 'fleet', branch: 'main', personal: false },
});

const rootKustomization = (path: string) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
  metadata: { name: 'flux-system', namespace: 'flux-system' },
  spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
});

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster({ reconcileDelayMs: 10 });
});
test.after(async () => {
  await sim.stop();
});

test('a cluster without a flux-system Kustomization has no Flux, and the guard lets it pass', async () => {
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner, { context: 'sim' });
  const identity = await guardCluster(kubectl, settings('staging'));
  assert.equal(identity, { context: 'sim', flux: false });
  assert.is(describeIdentity(identity), 'context sim has no Flux installed (no flux-system/flux-system Kustomization)');
});

test('the identity is the folder the flux-system Kustomization syncs; another cluster is refused with nothing written', async () => {
  sim.put(rootKustomization('./clusters/production'));
  const { context } = simContext(sim);
  const kubectl = createKubectl(context.runner, { context: 'sim' });
  assert.is(describeIdentity(await guardCluster(kubectl, settings('production'))), 'context sim is cluster production');
  sim.clearRequests();
  try {
    await guardCluster(kubectl, settings('staging'));
    assert.unreachable('the guard let another cluster pass');
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is((error as TaskError).message, 'context sim is cluster production, not staging: nothing was changed');
    assert.is((error as TaskError).hint, 'pass the context of cluster staging with --context, or fix context: in clusters/staging/settings.yaml');
  }
  assert.equal(sim.writes(), []);
  assert.equal(sim.requests.filter((r) => r.path.includes('/namespaces/')).map((r) => `${r.method} ${r.path}`), ['GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/flux-system']);
});

test('a path outside clusters/ names no cluster and is refused', () => {
  const identity = { context: 'ctx', flux: true, path: './apps' };
  assert.is(describeIdentity(identity), 'context ctx syncs ./apps, not a folder of clusters/');
  assert.throws(() => checkIdentity(identity, 'staging'), (e: Error) => e.message === 'context ctx syncs ./apps, not staging: nothing was changed');
});

test("the context is --context, else the settings' one, never the current one; an unknown one names the settings file", async () => {
  const { context } = simContext(sim);
  assert.is(await clusterContext(context.runner, settings('staging')), 'sim');
  assert.is(await clusterContext(context.runner, settings('staging', 'staging', 'elsewhere'), 'sim'), 'sim');
  try {
    await clusterContext(context.runner, settings('staging', 'staging', 'kind-staging'));
    assert.unreachable();
  } catch (error) {
    assert.is((error as TaskError).message, 'kube context "kind-staging" of cluster staging (clusters/staging/settings.yaml) does not exist');
    assert.is((error as TaskError).details, 'contexts that exist: sim');
  }
});

test('production needs its name: --confirm-cluster answers it, --yes does not, a wrong name is refused; staging passes', async () => {
  const { context } = simContext(sim, { yes: true });
  await confirmDestructive(context.ask, settings('staging'), 'Deleting Flux', undefined);
  await confirmDestructive(context.ask, settings('production', 'production'), 'Deleting Flux', 'production');
  try {
    await confirmDestructive(context.ask, settings('production', 'production'), 'Deleting Flux', undefined);
    assert.unreachable('--yes answered the typed confirmation');
  } catch (error) {
    assert.instance(error, UsageError);
    assert.is((error as Error).message, '"Deleting Flux on production cluster production." needs an answer, and there is no terminal to ask on: pass --confirm-cluster production (--yes does not answer this)');
  }
  try {
    await confirmDestructive(context.ask, settings('production', 'production'), 'Deleting Flux', 'staging');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UsageError);
    assert.is((error as Error).message, '--confirm-cluster staging does not name this cluster (production): nothing was changed');
  }
});

test('openCluster reads the settings, takes their context, reports the identity and refuses another cluster', async () => {
  const root = testdir({
    'clusters/production/settings.yaml': 'context: sim\ntier: production\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: false\n',
    'clusters/staging/settings.yaml': 'context: sim\ntier: staging\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: false\n',
  });
  try {
    const { io, context } = simContext(sim, {}, root);
    const target = await openCluster(context, 'production');
    assert.equal([target.settings.tier, target.kubeContext, target.kubectl.context, target.identity.cluster], ['production', 'sim', 'sim', 'production']);
    assert.match(io.err(), 'context sim is cluster production\n');
    sim.clearRequests();
    await openCluster(context, 'staging').then(() => assert.unreachable(), (error: Error) => assert.is(error.message, 'context sim is cluster production, not staging: nothing was changed'));
    assert.equal(sim.writes(), []);
  } finally {
    removeDir(root);
  }
});

test.run();
