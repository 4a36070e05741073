// The Flux adapter against the simulated Flux controllers, with the real kubectl: the requests
// must be the ones the flux CLI sends, and the waits must end as flux's do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { createKubectl } from '../../../scripts/adapters/kubectl.ts';
import { createFlux } from '../../../scripts/adapters/flux.ts';
import { TaskError } from '../../../scripts/core/errors.ts';

let sim: SimCluster;
test.before(async () => {
  sim = await startSimCluster();
  sim.put({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { interval: '1m', url: 'ssh://git@github.com/example/gitops', ref: { branch: 'main' } },
  });
  for (const name of ['apps', 'infra', 'broken']) {
    sim.put({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '10m', path: `./${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
});
test.after(async () => {
  await sim.stop();
});

function flux(flags: { dryRun?: boolean } = {}) {
  const { io, context } = simContext(sim, flags);
  return { io, flux: createFlux(createKubectl(context.runner), { pollMs: 100, timeoutMs: 20_000 }) };
}

const ksPath = (name: string) => `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${name}`;

test('suspend sends the merge patch flux sends, echoed with its flux equivalent', async () => {
  const { io, flux: f } = flux();
  sim.clearRequests();
  await f.suspend('kustomization', 'apps', 'flux-system');
  const [patch] = sim.writes();
  assert.is(patch.path, ksPath('apps'));
  assert.is(patch.contentType, 'application/merge-patch+json');
  assert.equal(patch.body, { spec: { suspend: true } });
  assert.is(patch.query.fieldManager, 'flux-client-side-apply');
  assert.is(sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps').spec.suspend, true);
  assert.is(
    io.err(),
    `$ kubectl patch kustomizations.kustomize.toolkit.fluxcd.io apps -n flux-system --type=merge -p '{"spec":{"suspend":true}}' --field-manager=flux-client-side-apply   # flux suspend kustomization apps -n flux-system\n`,
  );
});

test('a suspended object is not reconciled, as flux refuses it', async () => {
  const { flux: f } = flux();
  try {
    await f.reconcile('kustomization', 'apps', 'flux-system');
    assert.unreachable();
  } catch (error) {
    assert.is((error as TaskError).message, 'Kustomization apps is suspended: it cannot be reconciled');
    assert.is((error as TaskError).hint, 'resume it first: flux resume kustomization apps -n flux-system');
  }
});

test('resume removes spec.suspend and waits until the new generation is ready', async () => {
  const { flux: f } = flux();
  sim.clearRequests();
  const revision = await f.resume('kustomization', 'apps', 'flux-system');
  assert.equal(sim.writes()[0].body, { spec: { suspend: null } });
  const live = sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps');
  assert.is(live.spec.suspend, undefined);
  assert.is(revision, live.status.lastAppliedRevision);
  assert.match(revision ?? '', /^main@sha1:[0-9a-f]{40}$/);
});

test('reconcile sets requestedAt and returns once the controller handled it', async () => {
  const { flux: f } = flux();
  sim.clearRequests();
  const revision = await f.reconcile('kustomization', 'infra', 'flux-system');
  const [patch] = sim.writes();
  const requestedAt = patch.body.metadata.annotations['reconcile.fluxcd.io/requestedAt'];
  assert.match(requestedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  const live = sim.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'infra');
  assert.is(live.status.lastHandledReconcileAt, requestedAt);
  assert.match(revision ?? '', /^main@sha1:/);
});

test('a failed reconcile fails at once with the controller reason and message', async () => {
  sim.faults.failObject('Kustomization/flux-system/broken', 'BuildFailed', 'kustomize build failed: accumulating resources');
  const { flux: f } = flux();
  try {
    await f.reconcile('kustomization', 'broken', 'flux-system');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is((error as TaskError).message, 'Kustomization broken reconciliation failed: BuildFailed: kustomize build failed: accumulating resources');
  }
  sim.faults.clear('Kustomization/flux-system/broken');
});

test('under --dry-run suspend and resume are only shown', async () => {
  const { io, flux: f } = flux({ dryRun: true });
  sim.clearRequests();
  await f.suspend('kustomization', 'infra', 'flux-system');
  assert.is(await f.resume('kustomization', 'infra', 'flux-system'), undefined);
  assert.equal(sim.writes(), []);
  assert.match(io.out(), /^would run: kubectl patch kustomizations.kustomize.toolkit.fluxcd.io infra -n flux-system --type=merge -p '\{"spec":\{"suspend":true\}\}' --field-manager=flux-client-side-apply   # flux suspend kustomization infra -n flux-system\n/);
});

test('lists objects as flux get rows', async () => {
  const { flux: f } = flux();
  const rows = await f.list('kustomization', 'flux-system');
  const apps = rows.find((r) => r.name === 'apps');
  assert.is(apps?.ready, 'True');
  assert.is(apps?.suspended, 'False');
  assert.match(apps?.revision ?? '', /^main@sha1:[0-9a-f]{8}$/);
});

test('a missing object is named with the command that lists them', async () => {
  const { flux: f } = flux();
  try {
    await f.resume('kustomization', 'nope', 'flux-system');
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /kustomization nope failed|not found/);
  }
});

test.run();
