// The simulated Flux controllers following Git: a GitRepository whose URL is a local repository
// (`file://…`) gets the head of its branch as its artifact (polled, so a push is noticed), and each
// Kustomization on it builds its path at that revision with `kubectl kustomize` and applies it
// (kustomize-apply.ts: server-side as kustomize-controller, inventory, prune), dependsOn waiting for
// the dependency's revision, then health checks (health-checks.ts) in a later status write.
import type { Cluster } from './cluster.ts';
import { getCondition, isReady, setCondition, markApplied, type ObjectReference } from './flux-status.ts';
import { buildPath, Checkouts, fetchRevision, isLocalGitUrl, type Fetched } from './git-source.ts';
import { healthTargets, targetState, timeoutOf, type Target } from './health-checks.ts';
import { KustomizeApplier, type InventoryEntry } from './kustomize-apply.ts';
import type { ResourceType } from './resources.ts';
import { clone } from './store.ts';
import { KUSTOMIZE_GROUP, SOURCE_GROUP, type KubeObject } from './kube.ts';

const HEALTH_ATTEMPTS = 40;

type Schedule = (rt: ResourceType, namespace: string, name: string) => void;

export class GitSync {
  private cluster: Cluster;
  private schedule: Schedule;
  private checkouts = new Checkouts();
  private applier: KustomizeApplier;
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
    this.applier = new KustomizeApplier(cluster);
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
    const applied = this.applier.apply(o, clone(built.objects));
    if ('error' in applied) return fail('ReconciliationFailed', applied.error);
    const before: InventoryEntry[] = status.inventory?.entries ?? [];
    if (o.spec?.prune) this.applier.prune(before.filter((e) => !applied.entries.some((a) => a.id === e.id)));
    status.inventory = { entries: [...applied.entries].sort((a, b) => a.id.localeCompare(b.id)) };
    const targets = healthTargets(o, applied.targets);
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

  private checkHealth(ns: string, name: string, revision: string, targets: Target[], token: number, attempt: number): void {
    if (this.healthTokens.get(`${ns}/${name}`) !== token) return;
    const rt = this.type(KUSTOMIZE_GROUP, 'Kustomization')!;
    const states = targets.map((t) => ({ t, state: targetState(this.cluster, t) }));
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
    markApplied(o, revision);
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
