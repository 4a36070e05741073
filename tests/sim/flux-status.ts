// Flux status vocabulary: conditions with the runtime/conditions ordering rules, revisions and artifacts.
import { createHash } from 'node:crypto';
import { nowTime } from './store.ts';
import type { KubeObject } from './kube.ts';

export type Condition = { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; observedGeneration?: number; lastTransitionTime?: string };

export type Artifact = { digest: string; lastUpdateTime: string; path: string; revision: string; size: number; url: string };
// A reference to another object by name, in the referrer's namespace unless given (dependsOn, sourceRef).
export type ObjectReference = { kind?: string; name: string; namespace?: string };

const ORDER = ['Stalled', 'Reconciling', 'Ready'];
const MAX_MESSAGE = 32768;

function truncate(message: string): string {
  return Buffer.byteLength(message) > MAX_MESSAGE ? `${Buffer.from(message).subarray(0, MAX_MESSAGE - 3).toString()}...` : message;
}

// Sets a condition stamped with the object's generation; lastTransitionTime changes only when the status changes.
export function setCondition(obj: KubeObject, c: Condition): void {
  const status = (obj.status ??= {});
  const list: Condition[] = (status.conditions ??= []);
  const old = list.find((x) => x.type === c.type);
  const next: Condition = {
    lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : nowTime(),
    message: truncate(c.message), observedGeneration: obj.metadata.generation, reason: c.reason, status: c.status, type: c.type,
  };
  status.conditions = sortConditions([...list.filter((x) => x.type !== c.type), next]);
}

// Removes a condition (Flux drops Reconciling/Stalled when they are no longer True).
export function removeCondition(obj: KubeObject, type: string): void {
  if (obj.status?.conditions) obj.status.conditions = (obj.status.conditions as Condition[]).filter((x) => x.type !== type);
}

// The condition of a type, if present.
export function getCondition(obj: KubeObject | undefined, type: string): Condition | undefined {
  return (obj?.status?.conditions as Condition[] | undefined)?.find((x) => x.type === type);
}

// Stalled, Reconciling, Ready first, then by observedGeneration descending, then by type.
export function sortConditions(list: Condition[]): Condition[] {
  const rank = (t: string) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  return [...list].sort((a, b) => rank(a.type) - rank(b.type) || (b.observedGeneration ?? 0) - (a.observedGeneration ?? 0) || a.type.localeCompare(b.type));
}

// True when Ready=True was set for the current generation.
// The status kustomize-controller writes after applying `revision` (health checks passed when asked for).
export function markApplied(o: KubeObject, revision: string): void {
  const status = (o.status ??= {});
  status.lastAttemptedRevision = revision;
  status.lastAppliedRevision = revision;
  removeCondition(o, 'Reconciling');
  removeCondition(o, 'Stalled');
  setCondition(o, { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}` });
  if (o.spec?.wait || (o.spec?.healthChecks ?? []).length > 0) setCondition(o, { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed in 5.031s' });
}

export function isReady(obj: KubeObject): boolean {
  const ready = getCondition(obj, 'Ready');
  return ready?.status === 'True' && (ready.observedGeneration ?? obj.status?.observedGeneration) === obj.metadata.generation;
}

// Deterministic hex digest of a text.
export function hexOf(text: string, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(text).digest('hex');
}

// The artifact revision a source would produce: `<branch>@sha1:<hex>` for Git, `<tag>@sha256:<hex>` for OCI, `sha256:<hex>` for Helm indexes.
export function sourceRevision(source: KubeObject): string {
  const spec = source.spec ?? {};
  const seed = `${source.metadata.namespace}/${source.metadata.name}/${spec.url ?? ''}/${JSON.stringify(spec.ref ?? {})}`;
  if (source.kind === 'GitRepository') {
    const ref = spec.ref ?? {};
    const name = ref.name ?? ref.branch ?? (ref.tag ? ref.tag : ref.semver ? ref.semver : 'master');
    return ref.commit && !ref.branch ? `sha1:${ref.commit}` : `${name}@sha1:${hexOf(seed)}`;
  }
  if (source.kind === 'OCIRepository') return `${spec.ref?.tag ?? 'latest'}@sha256:${hexOf(seed, 'sha256')}`;
  return `sha256:${hexOf(seed, 'sha256')}`;
}

// The status.artifact of a source at a revision, as source-controller stores it.
export function artifactFor(source: KubeObject, revision: string): Artifact {
  const kind = source.kind.toLowerCase();
  const file = `${hexOf(revision)}.tar.gz`;
  const path = `${kind}/${source.metadata.namespace}/${source.metadata.name}/${file}`;
  return {
    digest: `sha256:${hexOf(path, 'sha256')}`, lastUpdateTime: nowTime(), path, revision, size: 91318,
    url: `http://source-controller.flux-system.svc.cluster.local./${path}`,
  };
}
