// Fault injection: failing Flux objects, crash-looping pods, rejected writes, slow and unreachable server.
import { refKey, type Cluster, type ObjectRef } from './cluster.ts';
import { SimError, status } from './errors.ts';
import type { FluxControllers } from './flux-controllers.ts';
import type { DeploymentController } from './workloads.ts';
import { FLUX_GROUPS } from './kube.ts';

export type RefInput = ObjectRef | string; // `Kind/namespace/name`, `Kind/name` (cluster-scoped) or an object ref

export type Faults = {
  failObject(ref: RefInput, reason: string, message: string, options?: { stalled?: boolean }): void;
  clear(ref: RefInput): void;
  crashLoop(namespace: string, podOrDeploymentName: string): void;
  rejectWrites(resource: string, count: number, code: number, message?: string): void;
  delay(ms: number): void;
  unreachable(): Promise<void>;
  reachable(): Promise<void>;
};

// Parses `Kind/namespace/name` (or `Kind/name`) into a ref.
export function parseRef(input: RefInput): ObjectRef {
  if (typeof input !== 'string') return input;
  const parts = input.split('/');
  if (parts.length === 3) return { kind: parts[0], namespace: parts[1], name: parts[2] };
  if (parts.length === 2) return { kind: parts[0], name: parts[1] };
  throw new Error(`object ref must be Kind/namespace/name, got "${input}"`);
}

// The write rejection for a mutating request to `resource`, if one is armed (consumes one count).
export function takeRejection(cluster: Cluster, resource: string): SimError | undefined {
  const r = cluster.rejections.find((x) => x.resource === resource && x.remaining > 0);
  if (!r) return undefined;
  r.remaining--;
  const message = r.message ?? `simulated failure (${r.code}) writing ${resource}`;
  return new SimError(status(r.code, message, undefined, r.code === 429 || r.code >= 500 ? undefined : { kind: resource }));
}

// Builds the fault API over the cluster, its controllers and the server's reachability switch.
export function createFaults(cluster: Cluster, flux: FluxControllers, deployments: DeploymentController,
  server: { setDelay(ms: number): void; close(): Promise<void>; reopen(): Promise<void> }): Faults {
  const kindOf = (ref: ObjectRef) => cluster.typeByName(ref.kind, ref.apiVersion);
  const wake = (ref: ObjectRef) => {
    const rt = kindOf(ref);
    if (FLUX_GROUPS.includes(rt.group)) flux.schedule(rt, ref.namespace ?? '', ref.name);
  };
  return {
    failObject(input, reason, message, options = {}) {
      const ref = parseRef(input);
      cluster.failures.set(refKey(kindOf(ref).kind, ref.namespace, ref.name), { reason, message, stalled: options.stalled });
      wake(ref);
    },
    clear(input) {
      const ref = parseRef(input);
      const rt = kindOf(ref);
      cluster.failures.delete(refKey(rt.kind, ref.namespace, ref.name));
      cluster.crashLoops.delete(`${ref.namespace}/${ref.name}`);
      if (rt.kind === 'Deployment' || rt.kind === 'Pod') deployments.heal(ref.namespace ?? '', ref.name);
      else wake(ref);
    },
    crashLoop(namespace, name) {
      deployments.crashLoop(namespace, name);
    },
    rejectWrites(resource, count, code, message) {
      cluster.rejections.push({ resource, remaining: count, code, message });
    },
    delay(ms) {
      server.setDelay(ms);
    },
    unreachable: () => server.close(),
    reachable: () => server.reopen(),
  };
}
