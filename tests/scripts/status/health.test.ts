// Health from a snapshot, with a fixed clock: what is not Ready and for how long, suspensions with
// our annotations, pods not running, the last warnings, the verdict and the graph nodes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assessCluster, lastWarnings, podProblem } from '../../../scripts/status/health.ts';
import { humanDuration } from '../../../scripts/status/format.ts';
import { mermaidGraph } from '../../../scripts/status/graph.ts';
import type { ClusterSnapshot, LiveEvent, LiveFluxObject, LivePod } from '../../../scripts/status/snapshot.ts';

const NOW = new Date('2026-06-02T12:00:00Z');
const ks = (name: string, ready: 'True' | 'False', extra: Partial<LiveFluxObject> = {}): LiveFluxObject => ({
  kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { path: `./${name}`, ...extra.spec },
  status: { conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'ReconciliationSucceeded' : 'HealthCheckFailed', message: ready === 'True' ? 'Applied revision: main@sha1:1' : 'timeout waiting for: [Deployment/apps/podinfo status: \'InProgress\']', lastTransitionTime: '2026-06-02T11:57:30Z' }] },
  ...(extra.metadata ? { metadata: extra.metadata } : {}),
});
const runningPod = (name: string): LivePod => ({ metadata: { name, namespace: 'apps', creationTimestamp: '2026-06-02T11:00:00Z' }, status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] } });
const snapshot = (fluxObjects: LiveFluxObject[], pods: LivePod[] = [runningPod('ok')], warnings: LiveEvent[] = []): ClusterSnapshot => ({ context: 'sim', flux: true, fluxObjects, pods, warnings });
const identity = { context: 'sim', flux: true, path: './clusters/staging', cluster: 'staging' };
const revision = { branch: 'main', state: 'nothing-applied' as const };

test('a cluster with everything Ready and running is healthy', () => {
  const status = assessCluster({ cluster: 'staging', snapshot: snapshot([ks('flux-system', 'True'), ks('apps', 'True')]), identity, revision, now: NOW });
  assert.is(status.healthy, true);
  assert.equal(status.counts, { kustomizations: 2, helmReleases: 0, sources: 0, pods: 1 });
});

test('not Ready objects carry reason, message and how long; suspended ones say who and why from our annotations', () => {
  const ours = { 'gitops-tasks/suspended-by': 'alice', 'gitops-tasks/suspended-reason': 'dashboard work', 'gitops-tasks/suspended-at': '2026-06-02T10:00:00Z', 'gitops-tasks/session': 's1' };
  const status = assessCluster({
    cluster: 'staging', identity, revision, now: NOW,
    snapshot: snapshot([ks('apps', 'False'), ks('logging', 'True', { spec: { suspend: true }, metadata: { name: 'logging', namespace: 'flux-system', annotations: ours } }), ks('infra', 'False', { spec: { suspend: true } })]),
  });
  assert.is(status.healthy, false);
  assert.equal(status.notReady, [{
    kind: 'Kustomization', namespace: 'flux-system', name: 'apps', status: 'False', reason: 'HealthCheckFailed',
    message: "timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']", since: '2026-06-02T11:57:30Z', seconds: 150,
  }]);
  assert.equal(status.suspended, [
    { kind: 'Kustomization', namespace: 'flux-system', name: 'infra', by: undefined, reason: undefined, at: undefined, session: undefined, ours: false, seconds: undefined },
    { kind: 'Kustomization', namespace: 'flux-system', name: 'logging', by: 'alice', reason: 'dashboard work', at: '2026-06-02T10:00:00Z', session: 's1', ours: true, seconds: 7200 },
  ]);
  assert.equal(status.kustomizations.map((n) => `${n.name}:${n.state}`), ['apps:failed', 'infra:suspended', 'logging:suspended']);
});

test('another cluster: nothing but the identity is assessed', () => {
  const status = assessCluster({ cluster: 'production', snapshot: snapshot([ks('apps', 'False')]), identity, revision, now: NOW });
  assert.equal([status.isCluster, status.healthy, status.notReady, status.identityText], [false, false, [], 'context sim is cluster staging']);
});

test('pods: crash-looping, pending, not ready and terminating are problems; running and completed are not', () => {
  const pod = (name: string, status: LivePod['status'], deleting = false): LivePod => ({ metadata: { name, namespace: 'apps', creationTimestamp: '2026-06-02T11:59:00Z', ...(deleting ? { deletionTimestamp: 'x' } : {}) }, status });
  const problems = [
    pod('crash', { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
    pod('pending', { phase: 'Pending', reason: 'Unschedulable' }),
    pod('unready', { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, state: { running: {} } }, { name: 'b', ready: true, state: { running: {} } }] }),
    pod('leaving', { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] }, true),
    pod('done', { phase: 'Succeeded' }),
    runningPod('fine'),
  ].flatMap((p) => podProblem(p, NOW));
  assert.equal(problems.map((p) => [p.name, p.state, p.restarts, p.ready, p.seconds]), [
    ['crash', 'CrashLoopBackOff', 5, '0/1', 60], ['pending', 'Unschedulable', 0, '0/0', 60], ['unready', 'NotReady', 0, '1/2', 60], ['leaving', 'Terminating', 0, '1/1', 60],
  ]);
});

test('the last five warnings, newest last; normal events left out', () => {
  const event = (i: number, type = 'Warning'): LiveEvent => ({ metadata: { name: `e${i}`, namespace: 'apps' }, involvedObject: { kind: 'Pod', name: `p${i}` }, reason: 'BackOff', message: `m${i}\n`, type, lastTimestamp: `2026-06-02T11:5${i}:00Z` });
  const warnings = lastWarnings([event(7), event(1), event(2), event(3, 'Normal'), event(4), event(5), event(6)], NOW);
  assert.equal(warnings.map((w) => [w.object, w.message, w.seconds]), [['Pod/p2', 'm2', 480], ['Pod/p4', 'm4', 360], ['Pod/p5', 'm5', 300], ['Pod/p6', 'm6', 240], ['Pod/p7', 'm7', 180]]);
});

test('durations are written as kubectl writes ages', () => {
  assert.equal([59, 119, 150, 600, 3599, 3 * 3600 + 60, 9 * 3600, 50 * 3600, 9 * 86400, undefined].map(humanDuration),
    ['59s', '119s', '2m30s', '10m', '59m', '3h1m', '9h', '2d2h', '9d', '-']);
});

test('the graph names a dependsOn target that is not in the cluster', () => {
  const graph = mermaidGraph({ cluster: 'staging', context: 'sim', kustomizations: [{ id: 'flux-system/apps', name: 'apps', namespace: 'flux-system', state: 'progressing', dependsOn: ['infra/base'] }] });
  assert.equal(graph.split('\n').slice(3, 6), [
    '  flux_system_apps["apps<br/>progressing"]:::progressing',
    '  infra_base["infra/base<br/>not in the cluster"]:::missing',
    '  infra_base --> flux_system_apps',
  ]);
});

test.run();
