// The simulated cluster's state: registry, store, pod logs, fault settings; shared by handlers and controllers.
import { Registry, type ResourceType } from './resources.ts';
import { Store, clone } from './store.ts';
import { notFound } from './errors.ts';
import type { KubeObject } from './kube.ts';

export type ObjectRef = { apiVersion?: string; kind: string; namespace?: string; name: string };
export type FailureFault = { reason: string; message: string; stalled?: boolean };
export type WriteRejection = { resource: string; remaining: number; code: number; message?: string };

export class Cluster {
  registry = new Registry();
  store = new Store();
  reconcileDelayMs: number;
  // Pod logs: `<ns>/<pod>/<container>` → lines (without trailing newline).
  logs = new Map<string, string[]>();
  failures = new Map<string, FailureFault>();
  crashLoops = new Set<string>(); // `<ns>/<pod or deployment name>`
  rejections: WriteRejection[] = [];
  private timers = new Set<NodeJS.Timeout>();

  constructor(reconcileDelayMs: number) {
    this.reconcileDelayMs = reconcileDelayMs;
  }

  // The type for an object's apiVersion and kind; throws when the kind is not served.
  typeOf(apiVersion: string, kind: string): ResourceType {
    const rt = this.registry.byKind(apiVersion, kind);
    if (!rt) throw new Error(`no resource type for ${apiVersion} ${kind}`);
    return rt;
  }

  // Resolves a kind by Kind, plural, singular or short name (case-insensitive), for refs given by tests.
  typeByName(kindOrName: string, apiVersion?: string): ResourceType {
    const n = kindOrName.toLowerCase();
    const rt = this.registry.types.find((t) => (!apiVersion || apiVersion === (t.group ? `${t.group}/${t.version}` : t.version)) &&
      (t.kind.toLowerCase() === n || t.plural === n || t.singular === n || t.shortNames.includes(n)));
    if (!rt) throw new Error(`unknown kind ${kindOrName}`);
    return rt;
  }

  // Writes an object as a controller would (status included, no validation); returns the stored copy.
  saveInternal(object: KubeObject): KubeObject {
    const rt = this.typeOf(object.apiVersion, object.kind);
    return this.store.save(rt, clone(object));
  }

  // Replaces an object's status (status subresource write); no-op when unchanged.
  writeStatus(rt: ResourceType, namespace: string | undefined, name: string, mutate: (obj: KubeObject) => void): KubeObject | undefined {
    const current = this.store.get(rt, namespace, name);
    if (!current) return undefined;
    const before = JSON.stringify(current);
    mutate(current);
    if (JSON.stringify(current) === before) return current;
    return this.store.save(rt, current);
  }

  // Runs `fn` after `ms`, unless the cluster is stopped first.
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  // Cancels every pending timer (on stop).
  stopTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // The stored object for a ref or a 404 SimError.
  mustGet(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(rt, namespace, name);
    if (!obj) throw notFound(rt, name);
    return obj;
  }
}

// `Kind/namespace/name` key used by fault maps.
export function refKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind.toLowerCase()}/${namespace ?? ''}/${name}`;
}
