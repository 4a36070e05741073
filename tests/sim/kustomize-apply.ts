// How the simulated kustomize-controller applies a build: server-side as `kustomize-controller`
// (forced), CRDs and Namespaces first, an unknown kind refused before the rest, nothing written for
// an object that would not change, an inventory of what was applied, and prune of what a new
// build no longer has. A Deployment whose image reference contains `crashloop` crash-loops.
import type { Cluster } from './cluster.ts';
import { serverSideApply } from './apply-ssa.ts';
import { readManagedFields, writeManagedFields } from './managed-fields.ts';
import { applyDefaults } from './defaults.ts';
import type { Target } from './health-checks.ts';
import type { ResourceType } from './resources.ts';
import { seedObject } from './seed.ts';
import { clone } from './store.ts';
import { KUSTOMIZE_CONTROLLER, KUSTOMIZE_GROUP, type KubeObject } from './kube.ts';

// An image reference containing this word crash-loops in the simulator.
export { CRASHLOOP_IMAGE } from './workloads.ts';

export type InventoryEntry = { id: string; v: string };
export type Applied = { entries: InventoryEntry[]; targets: Target[] } | { error: string };

// `<ns>_<name>_<group>_<kind>`, ns and group empty for cluster-scoped and core kinds.
export function inventoryId(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.namespaced ? namespace ?? '' : ''}_${name}_${rt.group}_${rt.kind}`;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// kustomize-controller's cleanup before each apply (fluxcd/pkg ssa): fields owned by a manager
// whose name starts with `kubectl`, by `before-first-apply` or by its own Update entries become its
// own Apply fields, and kubectl's last-applied annotation goes. So what a person set with kubectl
// that Git does not have is removed by the apply; other managers' fields survive.
// `kustomize.toolkit.fluxcd.io/ssa: Merge` on the object turns this off.
export function takeOverKubectlFields(live: KubeObject): KubeObject {
  if (live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/ssa'] === 'Merge') return live;
  const entries = readManagedFields(live);
  const taken = entries.filter((e) => !e.subresource && (e.manager.startsWith('kubectl') || e.manager === 'before-first-apply' || (e.manager === KUSTOMIZE_CONTROLLER && e.operation === 'Update')));
  const annotated = live.metadata.annotations?.[LAST_APPLIED] !== undefined;
  if (!taken.length && !annotated) return live;
  const result = clone(live);
  const kept = entries.filter((e) => !taken.includes(e));
  let mine = kept.find((e) => e.manager === KUSTOMIZE_CONTROLLER && e.operation === 'Apply' && !e.subresource);
  if (!mine) kept.push((mine = { manager: KUSTOMIZE_CONTROLLER, operation: 'Apply', apiVersion: live.apiVersion, fields: new Map() }));
  for (const entry of taken) for (const [key, path] of entry.fields) mine.fields.set(key, path);
  if (annotated) {
    delete result.metadata.annotations![LAST_APPLIED];
    if (Object.keys(result.metadata.annotations!).length === 0) delete result.metadata.annotations;
    for (const entry of kept) for (const [key, path] of [...entry.fields]) if (path[1] === 'f:annotations' && path[2] === `f:${LAST_APPLIED}`) entry.fields.delete(key);
  }
  writeManagedFields(result, kept);
  return result;
}

const withoutManagedFields = (o: KubeObject | undefined) => (o ? JSON.stringify({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } }) : '');

export class KustomizeApplier {
  private cluster: Cluster;

  constructor(cluster: Cluster) {
    this.cluster = cluster;
  }

  private type(group: string, kind: string): ResourceType | undefined {
    return this.cluster.registry.types.find((t) => t.group === group && t.kind === kind);
  }

  // Applies the build of Kustomization `o`: CRDs and Namespaces first, then the rest once every kind is known.
  apply(o: KubeObject, objects: KubeObject[]): Applied {
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
    const merged: KubeObject = serverSideApply(live && takeOverKubectlFields(live), config, KUSTOMIZE_CONTROLLER, true, rt.builtin);
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

  // Deletes what a commit removed, unless marked `kustomize.toolkit.fluxcd.io/prune: disabled`.
  prune(entries: InventoryEntry[]): void {
    for (const entry of entries) {
      const [ns, name, group, kind] = entry.id.split('_');
      const rt = this.type(group, kind);
      const live = rt && this.cluster.store.peek(rt, ns || undefined, name);
      if (!rt || !live) continue;
      const marked = live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] ?? live.metadata.labels?.['kustomize.toolkit.fluxcd.io/prune'];
      if (marked === 'disabled') continue;
      this.cluster.store.remove(rt, ns || undefined, name);
    }
  }
}
