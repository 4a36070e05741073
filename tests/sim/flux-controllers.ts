// Simulated source-, kustomize- and helm-controller: they write status the way the real controllers do,
// honour suspend, reconcile.fluxcd.io/requestedAt, dependsOn, source readiness and injected failures.
import { refKey, type Cluster } from './cluster.ts';
import { qualifiedResource } from './errors.ts';
import { artifactFor, getCondition, hexOf, isReady, removeCondition, setCondition, markApplied, sourceRevision, type ObjectReference } from './flux-status.ts';
import type { ResourceType } from './resources.ts';
import type { StoreEvent } from './store.ts';
import { nowTime } from './store.ts';
import { FLUX_GROUPS, SOURCE_GROUP, type KubeObject } from './kube.ts';
import { GitSync } from './git-sync.ts';

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

// One entry of a HelmRelease's status.history, newest first.
type ReleaseSnapshot = {
  appVersion: string; chartName: string; chartVersion: string; configDigest: string; digest: string;
  firstDeployed: string; lastDeployed: string; name: string; namespace: string; status: string; version: number;
};

// True for the Flux kinds this module reconciles.
export function isFlux(rt: ResourceType): boolean {
  return FLUX_GROUPS.includes(rt.group);
}

export class FluxControllers {
  private cluster: Cluster;
  private handledGeneration = new Map<string, number>();
  private scheduled = new Set<string>();

  // GitRepositories with a file:// URL follow their branch; Kustomizations on them build and apply it.
  private git: GitSync;

  constructor(cluster: Cluster) {
    this.cluster = cluster;
    this.git = new GitSync(cluster, (rt, ns, name) => this.schedule(rt, ns, name));
    cluster.store.subscribe((e) => this.onEvent(e));
  }

  private keyOf(rt: ResourceType, ns: string, name: string): string {
    return `${rt.group}/${rt.plural}/${ns}/${name}`;
  }

  private onEvent(e: StoreEvent): void {
    if (!isFlux(e.rt)) return;
    const o = e.object;
    const key = this.keyOf(e.rt, o.metadata.namespace ?? '', o.metadata.name);
    if (e.type === 'DELETED') { this.handledGeneration.delete(key); this.wakeDependents(o); return; }
    const requested = o.metadata.annotations?.[REQUESTED_AT];
    const generationChanged = this.handledGeneration.get(key) !== o.metadata.generation;
    const requestPending = requested !== undefined && requested !== o.status?.lastHandledReconcileAt;
    if (generationChanged || requestPending) this.schedule(e.rt, o.metadata.namespace ?? '', o.metadata.name);
    const wasReady = e.old ? isReady(e.old) : false;
    if (e.type === 'ADDED' || wasReady !== isReady(o)) this.wakeDependents(o);
  }

  // Reconciles an object after the configured delay (once, however many triggers arrive meanwhile).
  schedule(rt: ResourceType, ns: string, name: string): void {
    const key = this.keyOf(rt, ns, name);
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    this.cluster.later(this.cluster.reconcileDelayMs, () => {
      this.scheduled.delete(key);
      this.reconcile(rt, ns, name);
    });
  }

  // Reconciles every Flux object at once (used after seeding and loading `--from`).
  reconcileAllNow(): void {
    for (let pass = 0; pass < 3; pass++) {
      for (const rt of this.cluster.registry.types.filter(isFlux)) for (const o of this.cluster.store.list(rt)) this.reconcile(rt, o.metadata.namespace ?? '', o.metadata.name);
    }
  }

  private wakeDependents(changed: KubeObject): void {
    for (const rt of this.cluster.registry.types.filter(isFlux)) {
      for (const o of this.cluster.store.list(rt)) {
        if (isReady(o) || o.spec?.suspend) continue;
        const ns = o.metadata.namespace ?? '';
        const src = o.spec?.sourceRef ?? o.spec?.chart?.spec?.sourceRef ?? o.spec?.chartRef;
        const refsSource = src && src.kind === changed.kind && src.name === changed.metadata.name && (src.namespace ?? ns) === changed.metadata.namespace;
        const refsDep = o.kind === changed.kind && (o.spec?.dependsOn ?? []).some((d: ObjectReference) => d.name === changed.metadata.name && (d.namespace ?? ns) === changed.metadata.namespace);
        if (refsSource || refsDep) this.schedule(rt, ns, o.metadata.name);
      }
    }
  }

  // One reconciliation of one object, ending with a status write.
  reconcile(rt: ResourceType, ns: string, name: string): void {
    const live = this.cluster.store.get(rt, ns, name);
    if (!live) return;
    const key = this.keyOf(rt, ns, name);
    this.handledGeneration.set(key, live.metadata.generation ?? 0);
    this.cluster.writeStatus(rt, ns, name, (o) => {
      const status = (o.status ??= {});
      const requested = o.metadata.annotations?.[REQUESTED_AT];
      if (requested !== undefined) status.lastHandledReconcileAt = requested;
      if (o.spec?.suspend === true) {
        if (o.kind === 'HelmRelease' || getCondition(o, 'Ready')?.status === 'True') status.observedGeneration = o.metadata.generation;
        return;
      }
      const fault = this.cluster.failures.get(refKey(o.kind, ns, name));
      if (fault) return this.fail(o, fault.reason, fault.message, fault.stalled);
      if (o.kind === 'Kustomization' || o.kind === 'HelmRelease') {
        const blocked = this.dependencyProblem(rt, o);
        if (blocked) return this.fail(o, 'DependencyNotReady', blocked, false);
      }
      if (o.kind === 'Kustomization') return this.reconcileKustomization(o);
      if (o.kind === 'HelmRelease') return this.reconcileHelmRelease(o);
      return this.reconcileSource(o);
    });
  }

  private dependencyProblem(rt: ResourceType, o: KubeObject): string | undefined {
    for (const d of o.spec?.dependsOn ?? []) {
      const ns = d.namespace ?? o.metadata.namespace;
      const dep = this.cluster.store.peek(rt, ns, d.name);
      if (!dep) return `dependency '${ns}/${d.name}' not found: ${qualifiedResource(rt)} "${d.name}" not found`;
      if (!isReady(dep)) return `dependency '${ns}/${d.name}' is not ready`;
    }
    return undefined;
  }

  private fail(o: KubeObject, reason: string, message: string, stalled: boolean | undefined): void {
    const status = o.status;
    if (stalled) setCondition(o, { type: 'Stalled', status: 'True', reason, message });
    else removeCondition(o, 'Stalled');
    if (o.kind === 'Kustomization' && reason !== 'DependencyNotReady') {
      const previous = getCondition(o, 'Reconciling')?.message ?? `Reconciliation in progress`;
      setCondition(o, { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: previous });
    } else removeCondition(o, 'Reconciling');
    setCondition(o, { type: 'Ready', status: 'False', reason, message });
    if (o.kind === 'HelmRelease') {
      if (/^(Install|Upgrade)Failed$/.test(reason)) setCondition(o, { type: 'Released', status: 'False', reason, message });
      status.observedGeneration = o.metadata.generation;
    }
    if (o.kind === 'GitRepository' && reason === 'GitOperationFailed') setCondition(o, { type: 'FetchFailed', status: 'True', reason, message });
  }

  private reconcileSource(o: KubeObject): void {
    const status = o.status;
    const fetched = this.git.fetch(o);
    if (fetched && 'error' in fetched) return this.fail(o, 'GitOperationFailed', fetched.error, false);
    const revision = fetched?.revision ?? sourceRevision(o);
    const message = o.kind === 'GitRepository' ? `stored artifact for revision '${revision}'`
      : o.kind === 'OCIRepository' ? `stored artifact for digest '${revision}'` : `stored artifact: revision '${revision}'`;
    if (o.kind === 'HelmRepository' && o.spec?.type === 'oci') {
      delete status.artifact;
      setCondition(o, { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Helm repository is Ready' });
    } else {
      if (status.artifact?.revision !== revision) status.artifact = artifactFor(o, revision);
      removeCondition(o, 'FetchFailed');
      setCondition(o, { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded', message });
      setCondition(o, { type: 'Ready', status: 'True', reason: 'Succeeded', message });
    }
    removeCondition(o, 'Reconciling');
    removeCondition(o, 'Stalled');
    status.observedGeneration = o.metadata.generation;
    if (o.kind === 'GitRepository' && status.artifact) status.artifact.revision = revision;
  }

  private reconcileKustomization(o: KubeObject): void {
    const status = o.status;
    const ref = o.spec?.sourceRef ?? {};
    const srcNs = ref.namespace ?? o.metadata.namespace;
    const srcType = this.cluster.registry.types.find((t) => t.group === SOURCE_GROUP && t.kind === ref.kind);
    const source = srcType ? this.cluster.store.peek(srcType, srcNs, ref.name) : undefined;
    if (!source) {
      const refText = ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
      return this.fail(o, 'ArtifactFailed', `Source '${refText}' not found`, false);
    }
    const revision = source.status?.artifact?.revision;
    if (!revision || !isReady(source)) return this.fail(o, 'ArtifactFailed', 'Source artifact not found, retrying in 30s', false);
    if (this.git.follows(source)) return this.git.reconcileKustomization(o, source, revision, (reason, message) => this.fail(o, reason, message, false));
    markApplied(o, revision);
    status.inventory ??= { entries: [] };
    status.observedGeneration = o.metadata.generation;
  }

  private reconcileHelmRelease(o: KubeObject): void {
    const status = o.status;
    const chart = o.spec?.chart?.spec ?? {};
    const chartName = chart.chart ?? o.spec?.chartRef?.name ?? o.metadata.name;
    const version = /^\d+\.\d+\.\d+/.test(chart.version ?? '') ? chart.version : '1.0.0';
    const target = o.spec?.targetNamespace ?? o.metadata.namespace;
    const releaseName = o.spec?.releaseName ?? (o.spec?.targetNamespace ? `${o.spec.targetNamespace}-${o.metadata.name}` : o.metadata.name);
    const history: ReleaseSnapshot[] = status.history ?? [];
    const configDigest = `sha256:${hexOf(JSON.stringify(o.spec?.values ?? {}), 'sha256')}`;
    const latest = history[0];
    const upToDate = latest && latest.chartVersion === version && latest.configDigest === configDigest && status.lastAttemptedGeneration === o.metadata.generation;
    if (!upToDate || getCondition(o, 'Ready')?.status !== 'True') {
      const action = latest ? 'upgrade' : 'install';
      const number = (latest?.version ?? 0) + 1;
      const now = nowTime();
      const message = `Helm ${action} succeeded for release ${target}/${releaseName}.v${number} with chart ${chartName}@${version}`;
      const reason = action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded';
      for (const h of history) h.status = 'superseded';
      status.history = [{
        appVersion: version, chartName, chartVersion: version, configDigest, digest: `sha256:${hexOf(`${releaseName}${number}`, 'sha256')}`,
        firstDeployed: latest?.firstDeployed ?? now, lastDeployed: now, name: releaseName, namespace: target, status: 'deployed', version: number,
      }, ...history].slice(0, 5);
      setCondition(o, { type: 'Released', status: 'True', reason, message });
      setCondition(o, { type: 'Ready', status: 'True', reason, message });
      status.lastAttemptedReleaseAction = action;
    }
    removeCondition(o, 'Reconciling');
    removeCondition(o, 'Stalled');
    const src = chart.sourceRef;
    if (src) status.helmChart = `${src.namespace ?? o.metadata.namespace}/${o.metadata.namespace}-${o.metadata.name}`;
    status.lastAttemptedConfigDigest = configDigest;
    status.lastAttemptedGeneration = o.metadata.generation;
    status.lastAttemptedRevision = version;
    status.observedGeneration = o.metadata.generation;
    status.storageNamespace = target;
  }
}
