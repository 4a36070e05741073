import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fluxRow, isObjectReady, kstatus, type FluxObject } from '../../../scripts/adapters/flux-status.ts';
import { formatRfc3339Nano } from '../../../scripts/adapters/flux.ts';
import { fluxEquivalent, fluxResource } from '../../../scripts/adapters/flux-kinds.ts';

const rev = 'main@sha1:4a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b';
const ready = (generation: number, observed: number): FluxObject => ({
  kind: 'Kustomization',
  metadata: { name: 'apps', namespace: 'flux-system', generation },
  spec: {},
  status: {
    observedGeneration: observed,
    lastAppliedRevision: rev,
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${rev}`, observedGeneration: observed }],
  },
});

test('kstatus follows the cli-utils order', () => {
  assert.equal(kstatus(ready(2, 2)), { status: 'Current', message: `Applied revision: ${rev}` });
  assert.equal(kstatus(ready(3, 2)), { status: 'InProgress', message: 'Kustomization generation is 3, but latest observed generation is 2' });
  const stalled = ready(2, 2);
  stalled.status!.conditions!.unshift({ type: 'Stalled', status: 'True', reason: 'RetriesExceeded', message: 'Failed to upgrade after 1 attempt(s)' });
  assert.equal(kstatus(stalled), { status: 'Failed', message: 'Failed to upgrade after 1 attempt(s)' });
  assert.equal(kstatus({ metadata: { name: 'x' } }), { status: 'Current', message: '' });
});

test('is ready only when Ready was observed for the current generation', () => {
  assert.is(isObjectReady(ready(2, 2)), true);
  assert.is(isObjectReady(ready(3, 2)), false);
  assert.is(isObjectReady({ metadata: { name: 'x', generation: 1 } }), false);
});

test('rows shorten Kustomization hashes to 8 characters and mark unreconciled objects', () => {
  assert.equal(fluxRow(ready(1, 1)), {
    namespace: 'flux-system', name: 'apps', revision: 'main@sha1:4a8b1c2d', suspended: 'False', ready: 'True', message: 'Applied revision: main@sha1:4a8b1c2d',
  });
  assert.equal(fluxRow({ kind: 'HelmRelease', metadata: { name: 'grafana', namespace: 'logging' }, spec: { suspend: true } }), {
    namespace: 'logging', name: 'grafana', revision: '', suspended: 'True', ready: 'False', message: 'waiting to be reconciled',
  });
});

test('formats timestamps like Go RFC3339Nano in local time', () => {
  const previous = process.env.TZ;
  const date = new Date(Date.UTC(2025, 5, 2, 9, 15, 20, 480));
  assert.match(formatRfc3339Nano(date), /^2025-06-02T\d\d:\d\d:20\.48(Z|[+-]\d\d:\d\d)$/);
  assert.match(formatRfc3339Nano(new Date(Date.UTC(2025, 5, 2, 9, 15, 20, 0))), /:20(Z|[+-]\d\d:\d\d)$/);
  process.env.TZ = previous;
});

test('names Flux kinds for kubectl and for the flux CLI', () => {
  assert.is(fluxResource('kustomization'), 'kustomizations.kustomize.toolkit.fluxcd.io');
  assert.is(fluxEquivalent('suspend', 'gitrepository', 'flux-system', 'flux-system'), 'flux suspend source git flux-system -n flux-system');
});

test.run();
