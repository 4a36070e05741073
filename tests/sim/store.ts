// In-memory object store: one global resourceVersion counter, change events for watches and controllers.
import { randomUUID } from 'node:crypto';
import type { ResourceType } from './resources.ts';
import type { KubeObject } from './kube.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type StoreEvent = { type: WatchEventType; rt: ResourceType; object: KubeObject; old?: KubeObject; rv: number };
export type Listener = (event: StoreEvent) => void;

const LOG_LIMIT = 20000;

// Deep copy of JSON data.
export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

// RFC 3339 UTC timestamp with seconds precision, as metav1.Time serialises.
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function keyOf(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.group}/${rt.plural}/${rt.namespaced ? namespace ?? '' : ''}/${name}`;
}

export class Store {
  private objects = new Map<string, KubeObject>();
  private listeners = new Set<Listener>();
  // Recent events, oldest first, for watches that start from a resourceVersion.
  log: StoreEvent[] = [];
  rv = 1;

  // The stored object (not a copy: callers must not mutate it).
  peek(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(keyOf(rt, namespace, name));
  }

  // A copy of the stored object.
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return clone(this.peek(rt, namespace, name));
  }

  // Copies of all objects of a type (in one namespace when given), sorted by namespace then name.
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    const prefix = `${rt.group}/${rt.plural}/${rt.namespaced && namespace !== undefined ? `${namespace}/` : ''}`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, o]) => clone(o))
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  // Stores a new or changed object: stamps uid, creationTimestamp and a fresh resourceVersion, then notifies.
  save(rt: ResourceType, object: KubeObject): KubeObject {
    const meta = object.metadata;
    const key = keyOf(rt, meta.namespace, meta.name);
    const old = this.objects.get(key);
    if (!old) {
      meta.uid ??= randomUUID();
      meta.creationTimestamp ??= nowTime();
    }
    const rv = ++this.rv;
    meta.resourceVersion = String(rv);
    const stored = clone(object);
    this.objects.set(key, stored);
    this.emit({ type: old ? 'MODIFIED' : 'ADDED', rt, object: clone(stored), old: clone(old), rv });
    return clone(stored);
  }

  // Deletes an object and notifies; returns the deleted object (with a new resourceVersion) or undefined.
  remove(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = keyOf(rt, namespace, name);
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.objects.delete(key);
    const rv = ++this.rv;
    const gone = clone(old);
    gone.metadata.resourceVersion = String(rv);
    this.emit({ type: 'DELETED', rt, object: clone(gone), rv });
    return gone;
  }

  // Subscribes to changes; returns the unsubscribe function.
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    this.log.push(event);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    for (const listener of [...this.listeners]) listener(event);
  }
}
