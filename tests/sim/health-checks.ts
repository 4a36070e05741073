// kustomize-controller's health checks in the simulator: what a Kustomization waits for
// (`healthChecks`, or every Deployment and HelmRelease it applied with `wait: true`), the state of
// each (kstatus-like: current, in progress, failed), and the timeout it reports.
import type { Cluster } from './cluster.ts';
import { getCondition, isReady } from './flux-status.ts';
import { APPS_GROUP, type KubeObject } from './kube.ts';

export type Target = { kind: string; namespace: string; name: string };
export type TargetState = 'current' | 'in-progress' | 'failed';

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
export function timeoutOf(kustomization: KubeObject): string {
  const timeout = seconds(kustomization.spec?.timeout) ?? Math.max(30, (seconds(kustomization.spec?.interval) ?? 600) - 30);
  return goDuration(timeout);
}

// What the health check waits for: spec.healthChecks, or with wait: true every Deployment and HelmRelease applied.
export function healthTargets(kustomization: KubeObject, applied: Target[]): Target[] {
  const listed = (kustomization.spec?.healthChecks ?? []) as { kind: string; name: string; namespace?: string }[];
  if (listed.length) return listed.map((h) => ({ kind: h.kind, name: h.name, namespace: h.namespace ?? kustomization.metadata.namespace ?? '' }));
  return kustomization.spec?.wait ? applied : [];
}

// 'current', 'in-progress' (missing or still rolling out) or 'failed' (rolled out, pods not available; a HelmRelease not Ready).
export function targetState(cluster: Cluster, target: Target): TargetState {
  const rt = cluster.registry.types.find((t) => t.kind === target.kind && (target.kind !== 'Deployment' || t.group === APPS_GROUP));
  const live = rt && cluster.store.peek(rt, target.namespace || undefined, target.name);
  if (!live) return 'in-progress';
  if (target.kind !== 'Deployment') return isReady(live) ? 'current' : getCondition(live, 'Ready')?.status === 'False' ? 'failed' : 'in-progress';
  const s = live.status ?? {};
  const replicas = live.spec?.replicas ?? 1;
  if (s.observedGeneration !== live.metadata.generation || (s.updatedReplicas ?? 0) < replicas) return 'in-progress';
  return (s.availableReplicas ?? 0) >= replicas ? 'current' : 'failed';
}
