// What status reads from a cluster, in two kubectl calls side by side: every Flux object and pod
// (one `kubectl get a,b,c -A`), and the Warning events. Read-only.
import { KubectlError, type Kubectl } from '../adapters/kubectl.ts';
import { fluxResource, type FluxKind } from '../adapters/flux-kinds.ts';
import type { Condition, FluxObject } from '../adapters/flux-status.ts';

export type LiveCondition = Condition & { lastTransitionTime?: string };

// A Flux object as status reads it: kind, metadata with annotations and creation time, spec, status.
export type LiveFluxObject = Omit<FluxObject, 'spec' | 'status' | 'metadata'> & {
  kind: string;
  metadata: FluxObject['metadata'] & { creationTimestamp?: string };
  spec?: {
    suspend?: boolean;
    path?: string;
    dependsOn?: { name: string; namespace?: string }[];
    ref?: { branch?: string };
    url?: string;
    releaseName?: string;
    targetNamespace?: string;
    storageNamespace?: string;
  };
  status?: Omit<NonNullable<FluxObject['status']>, 'conditions'> & { conditions?: LiveCondition[]; failures?: number; storageNamespace?: string };
};

export type ContainerState = { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number }; running?: object };
export type LivePod = {
  metadata: { name: string; namespace: string; creationTimestamp?: string; deletionTimestamp?: string };
  status?: { phase?: string; reason?: string; containerStatuses?: { name: string; ready: boolean; restartCount?: number; state?: ContainerState }[] };
  spec?: { containers?: { name: string }[] };
};
export type LiveEvent = {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
};

export type ClusterSnapshot = {
  context: string;
  // Whether the Flux kinds are served (Flux's CRDs are installed).
  flux: boolean;
  fluxObjects: LiveFluxObject[];
  pods: LivePod[];
  warnings: LiveEvent[];
};

export const STATUS_KINDS: readonly FluxKind[] = ['kustomization', 'helmrelease', 'gitrepository', 'ocirepository', 'helmrepository'];

// Reads the cluster `kubectl` is pinned to.
export async function readSnapshot(kubectl: Kubectl): Promise<ClusterSnapshot> {
  const context = kubectl.context ?? '(current)';
  const events = kubectl
    .run('read', ['get', 'events', '-A', '--field-selector', 'type=Warning', '-o', 'json'], { purpose: 'warning events' })
    .then((result) => (JSON.parse(result.stdout).items ?? []) as LiveEvent[]);
  events.catch(() => undefined);
  let flux = true;
  let items: (LiveFluxObject | (LivePod & { kind: string }))[];
  try {
    items = await kubectl.list([...STATUS_KINDS.map(fluxResource), 'pods'].join(','), { allNamespaces: true }, { purpose: 'Flux objects and pods' });
  } catch (error) {
    // No Flux CRDs: the pods and events still say something.
    if (!(error instanceof KubectlError) || error.kubectlKind !== 'UnknownKind') throw error;
    flux = false;
    items = await kubectl.list('pods', { allNamespaces: true }, { purpose: 'pods' });
  }
  const pods = items.filter((item) => item.kind === 'Pod') as LivePod[];
  const fluxObjects = items.filter((item) => item.kind !== 'Pod') as LiveFluxObject[];
  return { context, flux, fluxObjects, pods, warnings: await events };
}

// The condition of `type`, with its lastTransitionTime.
export function liveCondition(object: LiveFluxObject, type: string): LiveCondition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}
