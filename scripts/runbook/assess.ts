// The status view of the cluster under recovery (the status task's assessment), as text and as a
// Mermaid graph, for the journal and the report.
import type { Kubectl } from '../adapters/kubectl.ts';
import { identityOf, FLUX_NAMESPACE, ROOT_KUSTOMIZATION } from '../cluster/guard.ts';
import type { TaskContext } from '../task/context.ts';
import { formatClusterStatus } from '../status/format.ts';
import { mermaidGraph } from '../status/graph.ts';
import { assessCluster, type ClusterStatus } from '../status/health.ts';
import { compareWithOrigin } from '../status/origin.ts';
import { readSnapshot } from '../status/snapshot.ts';

export type Assessment = { status: ClusterStatus; text: string; graph: string };

// Reads and assesses the cluster `kubectl` is pinned to.
export async function assess(context: TaskContext, kubectl: Kubectl, cluster: string, branch: string): Promise<Assessment> {
  const snapshot = await readSnapshot(kubectl);
  const root = snapshot.fluxObjects.find((o) => o.kind === 'Kustomization' && o.metadata.name === ROOT_KUSTOMIZATION && o.metadata.namespace === FLUX_NAMESPACE);
  const source = snapshot.fluxObjects.find((o) => o.kind === 'GitRepository' && o.metadata.name === ROOT_KUSTOMIZATION && o.metadata.namespace === FLUX_NAMESPACE);
  const applied = root?.status?.lastAppliedRevision ?? source?.status?.artifact?.revision;
  const revision = await compareWithOrigin(context.runner, context.cwd, applied, branch);
  const status = assessCluster({ cluster, snapshot, identity: identityOf(kubectl.context ?? '(current)', root), revision, now: new Date() });
  return { status, text: formatClusterStatus(status), graph: mermaidGraph(status) };
}

// Whether the workloads and Flux objects are well, suspensions aside (they are expected mid-recovery).
export function recovered(status: ClusterStatus): boolean {
  return status.notReady.length === 0 && status.pods.length === 0 && status.stuckReleases.length === 0;
}
