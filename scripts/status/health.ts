// A cluster's health from what was read: Flux objects not Ready, suspensions (with our
// annotations), stuck HelmReleases, pods not running, the last warning events, and the revision
// compared with origin. Pure: the clock is passed in.
import { describeIdentity, type ClusterIdentity } from '../cluster/guard.ts';
import { isOurSuspension, suspensionOf, type Suspension } from '../cluster/annotations.ts';
import { stuckRelease, type StuckState } from './helm-stuck.ts';
import type { RevisionCheck } from './origin.ts';
import { liveCondition, type ClusterSnapshot, type LiveEvent, type LiveFluxObject, type LivePod } from './snapshot.ts';

export const LAST_WARNINGS = 5;

export type ObjectRef = { kind: string; namespace: string; name: string };
export type NotReady = ObjectRef & { status: string; reason: string; message: string; since?: string; seconds?: number };
export type Suspended = ObjectRef & Suspension & { ours: boolean; seconds?: number };
export type Stuck = ObjectRef & { state: StuckState; reason: string; message: string; next: string; since?: string; seconds?: number };
export type PodProblem = { namespace: string; name: string; state: string; restarts: number; ready: string; since?: string; seconds?: number };
export type Warning = { namespace: string; object: string; reason: string; message: string; count: number; at?: string; seconds?: number };
export type GraphNode = { id: string; name: string; namespace: string; state: 'ready' | 'failed' | 'progressing' | 'suspended'; dependsOn: string[] };

export type ClusterStatus = {
  cluster: string;
  context: string;
  identity: ClusterIdentity;
  // "context sim is cluster staging".
  identityText: string;
  // False when the context is another cluster: nothing else was assessed.
  isCluster: boolean;
  healthy: boolean;
  counts: { kustomizations: number; helmReleases: number; sources: number; pods: number };
  notReady: NotReady[];
  suspended: Suspended[];
  stuckReleases: Stuck[];
  pods: PodProblem[];
  warnings: Warning[];
  revision: RevisionCheck;
  kustomizations: GraphNode[];
};

const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository'];

const secondsSince = (time: string | undefined | null, now: Date): number | undefined => {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : Math.max(0, Math.round((now.getTime() - ms) / 1000));
};

const refOf = (o: LiveFluxObject): ObjectRef => ({ kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name });
const byRef = (a: ObjectRef, b: ObjectRef) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

// The health of `cluster` from its snapshot; `isCluster` false skips everything but the identity.
export function assessCluster(input: { cluster: string; snapshot: ClusterSnapshot; identity: ClusterIdentity; revision: RevisionCheck; now: Date }): ClusterStatus {
  const { cluster, snapshot, identity, revision, now } = input;
  const isCluster = identity.flux && identity.cluster === cluster;
  const objects = [...snapshot.fluxObjects].sort((a, b) => byRef(refOf(a), refOf(b)));
  const notReady: NotReady[] = [];
  const suspended: Suspended[] = [];
  const stuckReleases: Stuck[] = [];
  for (const object of objects) {
    const ready = liveCondition(object, 'Ready');
    if (object.spec?.suspend) {
      const suspension = suspensionOf(object.metadata.annotations);
      suspended.push({ ...refOf(object), ...suspension, ours: isOurSuspension(suspension), seconds: secondsSince(suspension.at, now) });
      continue;
    }
    const stuck = object.kind === 'HelmRelease' ? stuckRelease(object) : undefined;
    if (stuck) {
      stuckReleases.push({ ...refOf(object), ...stuck, since: ready?.lastTransitionTime, seconds: secondsSince(ready?.lastTransitionTime, now) });
      continue;
    }
    if (ready?.status === 'True') continue;
    notReady.push({
      ...refOf(object),
      status: ready?.status ?? 'Unknown',
      reason: ready?.reason ?? '',
      message: ready ? ready.message ?? '' : 'waiting to be reconciled',
      since: ready?.lastTransitionTime ?? object.metadata.creationTimestamp,
      seconds: secondsSince(ready?.lastTransitionTime ?? object.metadata.creationTimestamp, now),
    });
  }
  const pods = snapshot.pods.flatMap((pod) => podProblem(pod, now)).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const warnings = lastWarnings(snapshot.warnings, now);
  const count = (kinds: string[]) => objects.filter((o) => kinds.includes(o.kind)).length;
  const kustomizations = graphNodes(objects.filter((o) => o.kind === 'Kustomization'));
  const problems = notReady.length + suspended.length + stuckReleases.length + pods.length;
  return {
    cluster,
    context: snapshot.context,
    identity,
    identityText: describeIdentity(identity),
    isCluster,
    healthy: isCluster && problems === 0,
    counts: { kustomizations: count(['Kustomization']), helmReleases: count(['HelmRelease']), sources: count(SOURCE_KINDS), pods: snapshot.pods.length },
    notReady: isCluster ? notReady : [],
    suspended: isCluster ? suspended : [],
    stuckReleases: isCluster ? stuckReleases : [],
    pods: isCluster ? pods : [],
    warnings: isCluster ? warnings : [],
    revision,
    kustomizations: isCluster ? kustomizations : [],
  };
}

// A pod that is not running as it should: a waiting container (CrashLoopBackOff, ImagePullBackOff),
// a phase other than Running or Succeeded, or a running container that is not ready.
export function podProblem(pod: LivePod, now: Date): PodProblem[] {
  const phase = pod.status?.phase ?? 'Unknown';
  if (phase === 'Succeeded') return [];
  const containers = pod.status?.containerStatuses ?? [];
  const ready = containers.filter((c) => c.ready).length;
  const total = containers.length || (pod.spec?.containers?.length ?? 0);
  const waiting = containers.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  const terminated = containers.find((c) => c.state?.terminated?.reason)?.state?.terminated?.reason;
  if (phase === 'Running' && !waiting && !terminated && ready === total && !pod.metadata.deletionTimestamp) return [];
  const state = pod.metadata.deletionTimestamp ? 'Terminating' : waiting ?? terminated ?? (phase === 'Running' ? 'NotReady' : pod.status?.reason ?? phase);
  const restarts = containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  return [{ namespace: pod.metadata.namespace, name: pod.metadata.name, state, restarts, ready: `${ready}/${total}`, since: pod.metadata.creationTimestamp, seconds: secondsSince(pod.metadata.creationTimestamp, now) }];
}

// The newest warning events, oldest of them first (as kubectl get events lists them).
export function lastWarnings(events: readonly LiveEvent[], now: Date, limit = LAST_WARNINGS): Warning[] {
  const timeOf = (e: LiveEvent) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
  return [...events]
    .filter((e) => e.type === 'Warning')
    .sort((a, b) => timeOf(a).localeCompare(timeOf(b)) || a.metadata.name.localeCompare(b.metadata.name))
    .slice(-limit)
    .map((e) => ({
      namespace: e.metadata.namespace ?? '',
      object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
      reason: e.reason ?? '',
      message: (e.message ?? '').trim(),
      count: e.count ?? 1,
      at: timeOf(e) || undefined,
      seconds: secondsSince(timeOf(e), now),
    }));
}

// The Kustomizations as graph nodes with their live state and dependsOn ids.
export function graphNodes(kustomizations: readonly LiveFluxObject[]): GraphNode[] {
  return kustomizations.map((k) => {
    const namespace = k.metadata.namespace ?? 'flux-system';
    const ready = liveCondition(k, 'Ready');
    const state = k.spec?.suspend ? 'suspended' : ready?.status === 'True' ? 'ready' : ready?.status === 'False' ? 'failed' : 'progressing';
    return { id: `${namespace}/${k.metadata.name}`, name: k.metadata.name, namespace, state, dependsOn: (k.spec?.dependsOn ?? []).map((d) => `${d.namespace ?? namespace}/${d.name}`) };
  });
}
