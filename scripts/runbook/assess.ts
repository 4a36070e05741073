// The status view of the cluster under recovery (the status task's assessment), as text and as a
// Mermaid graph, for the journal and the report.
import type { Kubectl } from '../adapters/kubectl.ts';
import type { TaskContext } from '../task/context.ts';
import { formatClusterStatus } from '../status/format.ts';
import { mermaidGraph } from '../status/graph.ts';
import type { ClusterStatus } from '../status/health.ts';
import { readClusterStatus } from '../status/read.ts';

export type Assessment = { status: ClusterStatus; text: string; graph: string };

// Reads and assesses the cluster `kubectl` is pinned to.
export async function assess(context: TaskContext, kubectl: Kubectl, cluster: string, branch: string): Promise<Assessment> {
  const status = await readClusterStatus(context, kubectl, cluster, branch);
  return { status, text: formatClusterStatus(status), graph: mermaidGraph(status) };
}

// Whether the workloads and Flux objects are well, suspensions aside (they are expected mid-recovery).
export function recovered(status: ClusterStatus): boolean {
  return status.notReady.length === 0 && status.pods.length === 0 && status.stuckReleases.length === 0;
}
