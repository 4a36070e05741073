// The deployment controller: rollouts replace pods step by step and write status and Events; the grafana
// sidecar logs the dashboard ConfigMaps it writes.
import { randomBytes } from 'node:crypto';
import type { Cluster } from './cluster.ts';
import { appendLog, createPod, crashPod, healPod, isSidecar, sidecarLine, templateHash } from './pods.ts';
import { labelSelector, selectorString } from './selectors.ts';
import type { StoreEvent } from './store.ts';
import { nowTime } from './store.ts';
import { APPS_GROUP, POD_TEMPLATE_HASH, type ContainerStatus, type DeploymentCondition, type KubeObject } from './kube.ts';

// Records an Event about an object, as controllers do.
export function recordEvent(cluster: Cluster, involved: KubeObject, reason: string, message: string, component: string, type = 'Normal'): void {
  const now = nowTime();
  cluster.saveInternal({
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${involved.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: involved.metadata.namespace },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: involved.metadata.namespace, uid: involved.metadata.uid, resourceVersion: involved.metadata.resourceVersion },
    reason, message, source: { component }, firstTimestamp: now, lastTimestamp: now, count: 1, type, eventTime: null,
    reportingComponent: component, reportingInstance: '',
  });
}

function condition(type: string, statusValue: string, reason: string, message: string, now: string): DeploymentCondition {
  return { type, status: statusValue, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

// An image reference containing this word crash-loops in the simulator (a commit can break a workload).
export const CRASHLOOP_IMAGE = /crashloop/i;

export class DeploymentController {
  private cluster: Cluster;
  private rolling = new Map<string, number>(); // `<ns>/<name>` → generation being rolled out
  // Deployments crash-looping because of their image (whoever wrote it: Flux, kubectl), `<ns>/<name>`.
  private crashingByImage = new Set<string>();

  constructor(cluster: Cluster) {
    this.cluster = cluster;
    cluster.store.subscribe((e) => this.onEvent(e));
  }

  private get types() {
    const r = this.cluster.registry;
    return { deploy: r.byPlural(APPS_GROUP, 'v1', 'deployments')!, pod: r.byPlural('', 'v1', 'pods')! };
  }

  // Pods selected by a Deployment.
  podsOf(deployment: KubeObject): KubeObject[] {
    const match = labelSelector(selectorString(deployment.spec?.selector));
    return this.cluster.store.list(this.types.pod, deployment.metadata.namespace).filter(match);
  }

  private onEvent(e: StoreEvent): void {
    if (e.rt.kind === 'Deployment' && e.rt.group === APPS_GROUP) {
      if (e.type === 'DELETED') {
        const gone = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
        if (this.crashingByImage.delete(gone)) this.cluster.crashLoops.delete(gone);
        for (const p of this.podsOf(e.object)) this.cluster.store.remove(this.types.pod, p.metadata.namespace, p.metadata.name);
        return;
      }
      const d = e.object;
      const key = `${d.metadata.namespace}/${d.metadata.name}`;
      this.followImage(key, d);
      const observed = d.status?.observedGeneration;
      const generation = d.metadata.generation ?? 0;
      if (observed !== generation && this.rolling.get(key) !== generation) {
        this.rolling.set(key, generation);
        this.cluster.later(this.cluster.reconcileDelayMs, () => this.observe(d.metadata.namespace ?? '', d.metadata.name, generation));
      }
    }
    if (e.rt.kind === 'ConfigMap' && e.rt.group === '') this.notifySidecars(e);
  }

  // A Deployment whose image says `crashloop` crash-loops; one changed back recovers.
  private followImage(key: string, deployment: KubeObject): void {
    const containers: { image?: unknown }[] = deployment.spec?.template?.spec?.containers ?? [];
    if (containers.some((c) => CRASHLOOP_IMAGE.test(String(c.image ?? '')))) {
      this.crashingByImage.add(key);
      this.cluster.crashLoops.add(key);
    } else if (this.crashingByImage.delete(key)) {
      this.cluster.crashLoops.delete(key);
    }
  }

  // Step 1: the new generation is observed and a new ReplicaSet is scaled up.
  private observe(ns: string, name: string, generation: number): void {
    const { deploy } = this.types;
    const d = this.cluster.store.get(deploy, ns, name);
    if (!d || d.metadata.generation !== generation || d.status?.observedGeneration === generation) return;
    const hash = templateHash(d.spec.template);
    const old = this.podsOf(d).filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] !== hash);
    const now = nowTime();
    // NOTE: `d` was just read, so the status write finds the Deployment.
    const saved = this.cluster.writeStatus(deploy, ns, name, (o) => {
      const s = (o.status ??= {});
      s.observedGeneration = generation;
      s.replicas = old.length + o.spec.replicas;
      s.updatedReplicas = 0;
      s.readyReplicas = old.length;
      s.availableReplicas = old.length;
      s.unavailableReplicas = o.spec.replicas;
      const available = s.conditions?.find((c: DeploymentCondition) => c.type === 'Available') ?? condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now);
      s.conditions = [available, condition('Progressing', 'True', old.length ? 'ReplicaSetUpdated' : 'NewReplicaSetCreated',
        old.length ? `ReplicaSet "${name}-${hash}" is progressing.` : `Created new replica set "${name}-${hash}"`, now)];
    });
    recordEvent(this.cluster, saved!, 'ScalingReplicaSet', `Scaled up replica set ${name}-${hash} from 0 to ${d.spec.replicas}`, 'deployment-controller');
    this.cluster.later(this.cluster.reconcileDelayMs, () => this.complete(ns, name, generation));
  }

  // Step 2: new pods run, old pods are gone; status reports the rollout done (or pods crash-looping).
  private complete(ns: string, name: string, generation: number): void {
    const { deploy, pod } = this.types;
    const d = this.cluster.store.get(deploy, ns, name);
    this.rolling.delete(`${ns}/${name}`);
    if (!d || d.metadata.generation !== generation) return;
    const hash = templateHash(d.spec.template);
    const pods = this.podsOf(d);
    const old = pods.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] !== hash);
    const current = pods.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    for (let i = current.length; i < d.spec.replicas; i++) current.push(createPod(this.cluster, d, hash));
    for (const p of current.slice(d.spec.replicas)) this.cluster.store.remove(pod, ns, p.metadata.name);
    for (const p of old) this.cluster.store.remove(pod, ns, p.metadata.name);
    this.refreshStatus(ns, name);
    if (old.length) {
      const oldHash = old[0].metadata.labels?.[POD_TEMPLATE_HASH];
      recordEvent(this.cluster, d, 'ScalingReplicaSet', `Scaled down replica set ${name}-${oldHash} from ${old.length} to 0`, 'deployment-controller');
    }
  }

  // Finishes a Deployment's rollout at once (used when seeding).
  rolloutNow(ns: string, name: string): void {
    const d = this.cluster.store.get(this.types.deploy, ns, name);
    if (d) this.complete(ns, name, d.metadata.generation ?? 0);
  }

  // Recomputes a Deployment's status from its pods (after a rollout or a crash loop).
  refreshStatus(ns: string, name: string): void {
    const { deploy } = this.types;
    const d = this.cluster.store.get(deploy, ns, name);
    if (!d) return;
    const hash = templateHash(d.spec.template);
    const pods = this.podsOf(d).filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    const ready = pods.filter((p) => (p.status?.containerStatuses ?? []).every((c: ContainerStatus) => c.ready)).length;
    const now = nowTime();
    this.cluster.writeStatus(deploy, ns, name, (o) => {
      const s = (o.status ??= {});
      s.observedGeneration = o.metadata.generation;
      s.replicas = pods.length;
      s.updatedReplicas = pods.length;
      s.readyReplicas = ready;
      s.availableReplicas = ready;
      if (pods.length - ready > 0) s.unavailableReplicas = pods.length - ready; else delete s.unavailableReplicas;
      if (ready === 0) delete s.readyReplicas;
      if (ready === 0) delete s.availableReplicas;
      const available = ready >= Math.max(1, o.spec.replicas) || o.spec.replicas === 0
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
        : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now);
      const progressing = condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${name}-${hash}" has successfully progressed.`, now);
      const keep = (c: DeploymentCondition | undefined, n: DeploymentCondition) => (c && c.status === n.status && c.reason === n.reason ? c : n);
      s.conditions = [keep(s.conditions?.find((c: DeploymentCondition) => c.type === 'Available'), available), keep(s.conditions?.find((c: DeploymentCondition) => c.type === 'Progressing'), progressing)];
    });
  }

  // Makes the pods of a Deployment (or one pod) crash-loop from now on.
  crashLoop(ns: string, name: string): void {
    const { deploy, pod } = this.types;
    this.cluster.crashLoops.add(`${ns}/${name}`);
    const d = this.cluster.store.get(deploy, ns, name);
    if (d) {
      for (const p of this.podsOf(d)) crashPod(this.cluster, ns, p.metadata.name);
      this.refreshStatus(ns, name);
      return;
    }
    if (this.cluster.store.peek(pod, ns, name)) crashPod(this.cluster, ns, name);
  }

  // Ends a crash loop: the pods of the Deployment (or the one pod) run and become ready again.
  heal(ns: string, name: string): void {
    const { deploy, pod } = this.types;
    const d = this.cluster.store.get(deploy, ns, name);
    if (d) {
      for (const p of this.podsOf(d)) healPod(this.cluster, ns, p.metadata.name);
      this.refreshStatus(ns, name);
      return;
    }
    if (this.cluster.store.peek(pod, ns, name)) healPod(this.cluster, ns, name);
  }

  private notifySidecars(e: StoreEvent): void {
    const cm = e.object;
    const wasDashboard = e.old?.metadata?.labels?.grafana_dashboard !== undefined;
    const isDashboard = cm.metadata.labels?.grafana_dashboard !== undefined;
    if (!wasDashboard && !isDashboard) return;
    const lines: string[] = [];
    const keys = (o: KubeObject | undefined) => Object.keys({ ...(o?.data ?? {}), ...(o?.binaryData ?? {}) });
    if (e.type === 'DELETED' || !isDashboard) for (const k of keys(e.type === 'DELETED' ? cm : e.old)) lines.push(sidecarLine(`Removing /tmp/dashboards/${k}`));
    else {
      for (const k of keys(cm)) {
        const before = e.old?.data?.[k] ?? e.old?.binaryData?.[k];
        const after = cm.data?.[k] ?? cm.binaryData?.[k];
        if (!wasDashboard || before !== after) lines.push(sidecarLine(`Writing /tmp/dashboards/${k} (ascii)`));
      }
      for (const k of keys(e.old)) if (wasDashboard && !keys(cm).includes(k)) lines.push(sidecarLine(`Removing /tmp/dashboards/${k}`));
    }
    if (lines.length === 0) return;
    for (const p of this.cluster.store.list(this.types.pod, cm.metadata.namespace)) {
      for (const c of p.spec?.containers ?? []) if (isSidecar(c)) appendLog(this.cluster, p.metadata.namespace ?? '', p.metadata.name, c.name, lines);
    }
  }
}
