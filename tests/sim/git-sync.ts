// The simulated Flux controllers following Git: a GitRepository whose URL is a local repository
// (`file://…`) gets the head of its branch as its artifact (polled, so a push is noticed), and each
// Kustomization on it builds its path at that revision with `kubectl kustomize` and applies the
// objects as kustomize-controller does: server-side, manager `kustomize-controller`, forced, an
// inventory in status, prune of what a commit removed, dependsOn waiting for the dependency's
// revision, and health checks (`wait`, `healthChecks`) on Deployments and HelmReleases.
// An image whose reference contains `crashloop` makes the Deployment's pods crash-loop.
import type { Cluster } from './cluster.ts';
import { serverSideApply } from './apply-ssa.ts';
import { applyDefaults } from './defaults.ts';
import { getCondition, isReady, removeCondition, setCondition, type ObjectReference } from './flux-status.ts';
import { buildPath, Checkouts, fetchRevision, isLocalGitUrl, type Fetched } from './git-source.ts';
import type { ResourceType } from './resources.ts';
import { seedObject } from './seed.ts';
import { clone } from './store.ts';
import { APPS_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP, type Container, type KubeObject } from './kube.ts';

export const FIELD_MANAGER = 'kustomize-controller';
// An image reference containing this word crash-loops in the simulator.
export const CRASHLOOP_IMAGE = /crashloop/i;
const HEALTH_ATTEMPTS = 40;

export type InventoryEntry = { id: string; v: string };
type Schedule = (rt: ResourceType, namespace: string, name: string) => void;
type Target = { kind: string; namespace: string; name: string };

// `<ns>_<name>_<group>_<kind>`, ns and group empty for cluster-scoped and core kinds.
export function inventoryId(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.namespaced ? namespace ?? '' : ''}_${name}_${rt.group}_${rt.kind}`;
}

// A Go duration (`5m0s`, `1h0m0s`) of a number of seconds.
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

function seconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(h|m|s)/g)) total += Number(n) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  return total || undefined;
}

// spec.timeout, else the interval less 30s, at least 30s (kustomize-controller's GetTimeout).
function timeoutOf(kustomization: KubeObject): string {
  const timeout = seconds(kustomization.spec?.timeout) ?? Math.max(30, (seconds(kustomization.spec?.interval) ?? 600) - 30);
  return goDuration(timeout);
}

const withoutManagedFields = (o: KubeObject | undefined) => (o ? JSON.stringify({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } }) : '');

export class GitSync {
  private cluster: Cluster;
  private schedule: Schedule;
  private checkouts = new Checkouts();
  // Deployments this module made crash-loop (for their image), `<ns>/<name>`.
  private crashing = new Set<string>();
  // The pending health check of each Kustomization: a newer reconcile makes an older check moot.
  private healthTokens = new Map<string, number>();
  private nextToken = 1;
  // Polling starts with the first followed GitRepository: a simulator without one runs no timer.
  private polling = false;
  // Builds by repository, commit and path: the same revision builds the same objects.
  private builds = new Map<string, ReturnType<typeof buildPath>>();

  constructor(cluster: Cluster, schedule: Schedule) {
    this.cluster = cluster;
    this.schedule = schedule;
  }

  private get pollMs(): number {
    return Math.max(50, this.cluster.reconcileDelayMs);
  }

  private type(group: string, kind: string): ResourceType | undefined {
    return this.cluster.registry.types.find((t) => t.group === group && t.kind === kind);
  }

  // Whether `source` is a GitRepository this module follows.
  follows(source: KubeObject | undefined): boolean {
    return source?.kind === 'GitRepository' && isLocalGitUrl(source.spec?.url);
  }

  // source-controller: the head of the followed ref, or undefined when `source` is not followed.
  // When the revision changed, the Kustomizations built from it are scheduled.
  fetch(source: KubeObject): Fetched | undefined {
    if (!this.follows(source)) return undefined;
    if (!this.polling) {
      this.polling = true;
      this.cluster.later(this.pollMs, () => this.poll());
    }
    const fetched = fetchRevision(source.spec.url, source.spec.ref ?? {});
    if ('revision' in fetched && fetched.revision !== source.status?.artifact?.revision) this.scheduleBuiltFrom(source);
    return fetched;
  }

  // kustomize-controller for a Kustomization whose source is followed: writes `o`'s status (it is
  // called inside the status write of `o`); `fail` sets the failure conditions as the controller does.
  reconcileKustomization(o: KubeObject, source: KubeObject, revision: string, fail: (reason: string, message: string) => void): void {
    const status = o.status;
    const ns = o.metadata.namespace ?? '';
    const behind = this.dependencyBehind(o, revision);
    if (behind) return fail('DependencyNotReady', `dependency '${behind}' revision is not up to date`);
    status.lastAttemptedRevision = revision;
    const sha = /sha1:([0-9a-f]{40})/.exec(revision)?.[1];
    let tree: string;
    try {
      tree = this.checkouts.treeAt(source.spec.url, sha ?? '');
    } catch (error) {
      return fail('ArtifactFailed', `failed to extract artifact for revision ${revision}: ${(error as Error).message.split('\n')[0]}`);
    }
    const buildKey = `${source.spec.url}@${sha}:${o.spec?.path ?? '.'}`;
    const built = this.builds.get(buildKey) ?? buildPath(tree, o.spec?.path ?? '.');
    this.builds.set(buildKey, built);
    if ('error' in built) return fail(built.error.startsWith('kustomization path not found') ? 'ArtifactFailed' : 'BuildFailed', built.error);
    const applied = this.apply(o, clone(built.objects));
    if ('error' in applied) return fail('ReconciliationFailed', applied.error);
    const before: InventoryEntry[] = status.inventory?.entries ?? [];
    if (o.spec?.prune) this.prune(before.filter((e) => !applied.entries.some((a) => a.id === e.id)));
    status.inventory = { entries: [...applied.entries].sort((a, b) => a.id.localeCompare(b.id)) };
    const targets = this.healthTargets(o, applied.targets);
    if (targets.length === 0) return this.succeed(o, revision);
    // Health checks run after the workloads had time to roll out (a later status write).
    const message = `Running health checks for revision ${revision} with a timeout of ${timeoutOf(o)}`;
    setCondition(o, { type: 'Reconciling', status: 'True', reason: 'Progressing', message });
    setCondition(o, { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' });
    const token = this.nextToken++;
    const key = `${ns}/${o.metadata.name}`;
    this.healthTokens.set(key, token);
    this.cluster.later(this.cluster.reconcileDelayMs * 3, () => this.checkHealth(ns, o.metadata.name, revision, targets, token, 1));
  }

  // The dependency (same source) that has not applied `revision` yet, as `ns/name`.
  private dependencyBehind(o: KubeObject, revision: string): string | undefined {
    const rt = this.type(KUSTOMIZE_GROUP, 'Kustomization')!;
    for (const d of (o.spec?.dependsOn ?? []) as ObjectReference[]) {
      const ns = d.namespace ?? o.metadata.namespace;
      const dep = this.cluster.store.peek(rt, ns, d.name);
      const sameSource = dep && dep.spec?.sourceRef?.name === o.spec?.sourceRef?.name && (dep.spec?.sourceRef?.namespace ?? ns) === (o.spec?.sourceRef?.namespace ?? o.metadata.namespace);
      if (dep && sameSource && dep.status?.lastAppliedRevision !== revision) return `${ns}/${d.name}`;
    }
    return undefined;
  }

  // Applies the built objects: CRDs and Namespaces first, then the rest once every kind is known.
  private apply(o: KubeObject, objects: KubeObject[]): { entries: InventoryEntry[]; targets: Target[] } | { error: string } {
    const first = objects.filter((x) => x.kind === 'CustomResourceDefinition' || x.kind === 'Namespace');
    const rest = objects.filter((x) => !first.includes(x));
    const entries: InventoryEntry[] = [];
    const targets: Target[] = [];
    for (const stage of [first, rest]) {
      const typed: { rt: ResourceType; object: KubeObject }[] = [];
      for (const object of stage) {
        const rt = this.cluster.registry.byKind(object.apiVersion, object.kind);
        const ns = object.metadata?.namespace ?? o.spec?.targetNamespace;
        const ref = `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata?.name}`;
        if (!rt) return { error: `${ref} dry-run failed: no matches for kind "${object.kind}" in version "${object.apiVersion}"` };
        typed.push({ rt, object });
      }
      for (const { rt, object } of typed) {
        const problem = this.applyOne(o, rt, object);
        if (problem) return { error: problem };
        entries.push({ id: inventoryId(rt, object.metadata.namespace, object.metadata.name), v: rt.version });
        if (rt.kind === 'Deployment' || rt.kind === 'HelmRelease') targets.push({ kind: rt.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name });
      }
    }
    return { entries, targets };
  }

  // Server-side apply of one object by kustomize-controller (forced); nothing is written when it
  // would not change. Returns an error message, or undefined.
  private applyOne(o: KubeObject, rt: ResourceType, object: KubeObject): string | undefined {
    const config = clone(object);
    const nsType = this.type('', 'Namespace')!;
    if (rt.namespaced) {
      const namespace: string = o.spec?.targetNamespace ?? config.metadata.namespace ?? 'default';
      config.metadata.namespace = namespace;
      if (!this.cluster.store.peek(nsType, undefined, namespace)) return `${object.kind}/${namespace}/${config.metadata.name} namespace not specified: namespaces "${namespace}" not found`;
    } else delete config.metadata.namespace;
    config.metadata.labels = { ...config.metadata.labels, 'kustomize.toolkit.fluxcd.io/name': o.metadata.name, 'kustomize.toolkit.fluxcd.io/namespace': o.metadata.namespace ?? '' };
    object.metadata.namespace = config.metadata.namespace;
    const self = rt.kind === o.kind && rt.group === KUSTOMIZE_GROUP && config.metadata.name === o.metadata.name && config.metadata.namespace === o.metadata.namespace;
    const live = self ? o : this.cluster.store.get(rt, config.metadata.namespace, config.metadata.name);
    const merged: KubeObject = serverSideApply(live, config, FIELD_MANAGER, true, rt.builtin);
    if (rt.kind === 'Deployment' && rt.group === APPS_GROUP) this.followImage(merged);
    if (live && withoutManagedFields(live) === withoutManagedFields(merged)) return undefined;
    if (!live) {
      seedObject(this.cluster, merged);
      return undefined;
    }
    applyDefaults(rt, merged);
    if (rt.hasGeneration) merged.metadata.generation = (live.metadata.generation ?? 1) + (JSON.stringify(live.spec) === JSON.stringify(merged.spec) ? 0 : 1);
    if (self) {
      // NOTE: the Kustomization applying itself is inside its own status write: change `o`, which
      // that write saves, rather than save a copy it would overwrite.
      o.spec = merged.spec;
      o.metadata = { ...merged.metadata, resourceVersion: o.metadata.resourceVersion };
      return undefined;
    }
    merged.metadata.resourceVersion = live.metadata.resourceVersion;
    this.cluster.store.save(rt, merged);
    return undefined;
  }

  // A Deployment whose image says `crashloop` crash-loops; one changed back recovers.
  private followImage(deployment: KubeObject): void {
    const key = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
    const containers: Container[] = deployment.spec?.template?.spec?.containers ?? [];
    if (containers.some((c) => CRASHLOOP_IMAGE.test(String(c.image ?? '')))) {
      this.crashing.add(key);
      this.cluster.crashLoops.add(key);
    } else if (this.crashing.delete(key)) this.cluster.crashLoops.delete(key);
  }

  // Deletes what a commit removed, unless marked `kustomize.toolkit.fluxcd.io/prune: disabled`.
  private prune(entries: InventoryEntry[]): void {
    for (const entry of entries) {
      const [ns, name, group, kind] = entry.id.split('_');
      const rt = this.type(group, kind);
      const live = rt && this.cluster.store.peek(rt, ns || undefined, name);
      if (!rt || !live) continue;
      const marked = live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] ?? live.metadata.labels?.['kustomize.toolkit.fluxcd.io/prune'];
      if (marked === 'disabled') continue;
      this.cluster.store.remove(rt, ns || undefined, name);
      if (rt.kind === 'Deployment' && this.crashing.delete(`${ns}/${name}`)) this.cluster.crashLoops.delete(`${ns}/${name}`);
    }
  }

  // What the health check waits for: spec.healthChecks, or with wait: true every Deployment and HelmRelease applied.
  private healthTargets(o: KubeObject, applied: Target[]): Target[] {
    const listed = (o.spec?.healthChecks ?? []) as { kind: string; name: string; namespace?: string }[];
    if (listed.length) return listed.map((h) => ({ kind: h.kind, name: h.name, namespace: h.namespace ?? o.metadata.namespace ?? '' }));
    return o.spec?.wait ? applied : [];
  }

  // 'current', 'in-progress' (still rolling out) or 'failed' (rolled out, pods not available).
  private targetState(target: Target): 'current' | 'in-progress' | 'failed' {
    const rt = target.kind === 'Deployment' ? this.type(APPS_GROUP, 'Deployment') : this.cluster.registry.types.find((t) => t.kind === target.kind);
    const live = rt && this.cluster.store.peek(rt, target.namespace, target.name);
    if (!live) return 'in-progress';
    if (target.kind !== 'Deployment') return isReady(live) ? 'current' : getCondition(live, 'Ready')?.status === 'False' ? 'failed' : 'in-progress';
    const s = live.status ?? {};
    const replicas = live.spec?.replicas ?? 1;
    if (s.observedGeneration !== live.metadata.generation || (s.updatedReplicas ?? 0) < replicas) return 'in-progress';
    return (s.availableReplicas ?? 0) >= replicas ? 'current' : 'failed';
  }

  private checkHealth(ns: string, name: string, revision: string, targets: Target[], token: number, attempt: number): void {
    if (this.healthTokens.get(`${ns}/${name}`) !== token) return;
    const rt = this.type(KUSTOMIZE_GROUP, 'Kustomization')!;
    const states = targets.map((t) => ({ t, state: this.targetState(t) }));
    const waiting = states.filter((s) => s.state === 'in-progress');
    if (waiting.length && attempt < HEALTH_ATTEMPTS) {
      this.cluster.later(this.cluster.reconcileDelayMs, () => this.checkHealth(ns, name, revision, targets, token, attempt + 1));
      return;
    }
    this.healthTokens.delete(`${ns}/${name}`);
    const unhealthy = states.filter((s) => s.state !== 'current');
    this.cluster.writeStatus(rt, ns, name, (o) => {
      if (o.status?.lastAttemptedRevision !== revision) return;
      if (!unhealthy.length) return this.succeed(o, revision);
      const list = unhealthy.map(({ t }) => `${t.kind}/${t.namespace}/${t.name} status: '${t.kind === 'Deployment' ? 'InProgress' : 'Failed'}'`).join(', ');
      const message = `timeout waiting for: [${list}]`;
      const previous = getCondition(o, 'Reconciling')?.message ?? 'Reconciliation in progress';
      setCondition(o, { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: previous });
      setCondition(o, { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message });
      setCondition(o, { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message });
    });
  }

  // The status of a Kustomization that applied `revision` (and passed its health checks).
  private succeed(o: KubeObject, revision: string): void {
    const status = (o.status ??= {});
    status.lastAttemptedRevision = revision;
    status.lastAppliedRevision = revision;
    removeCondition(o, 'Reconciling');
    removeCondition(o, 'Stalled');
    setCondition(o, { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}` });
    if (o.spec?.wait || (o.spec?.healthChecks ?? []).length > 0) setCondition(o, { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed in 5.031s' });
    status.observedGeneration = o.metadata.generation;
    this.scheduleDependents(o, revision);
  }

  private scheduleDependents(o: KubeObject, revision: string): void {
    const rt = this.type(KUSTOMIZE_GROUP, 'Kustomization')!;
    for (const k of this.cluster.store.list(rt)) {
      const ns = k.metadata.namespace ?? '';
      const depends = ((k.spec?.dependsOn ?? []) as ObjectReference[]).some((d) => d.name === o.metadata.name && (d.namespace ?? ns) === o.metadata.namespace);
      if (depends && (k.status?.lastAppliedRevision !== revision || !isReady(k))) this.schedule(rt, ns, k.metadata.name);
    }
  }

  private scheduleBuiltFrom(source: KubeObject): void {
    const rt = this.type(KUSTOMIZE_GROUP, 'Kustomization')!;
    for (const k of this.cluster.store.list(rt)) {
      const ref = k.spec?.sourceRef ?? {};
      if (ref.kind === 'GitRepository' && ref.name === source.metadata.name && (ref.namespace ?? k.metadata.namespace) === source.metadata.namespace) this.schedule(rt, k.metadata.namespace ?? '', k.metadata.name);
    }
  }

  // Notices pushes: a followed GitRepository whose ref moved is reconciled.
  private poll(): void {
    const rt = this.type(SOURCE_GROUP, 'GitRepository');
    for (const source of rt ? this.cluster.store.list(rt) : []) {
      if (!this.follows(source) || source.spec?.suspend) continue;
      const fetched = fetchRevision(source.spec.url, source.spec.ref ?? {});
      const changed = 'revision' in fetched ? fetched.revision !== source.status?.artifact?.revision : isReady(source);
      if (changed) this.schedule(rt!, source.metadata.namespace ?? '', source.metadata.name);
    }
    this.cluster.later(this.pollMs, () => this.poll());
  }
}
