// `status --graph`: the Kustomizations' dependsOn graph as a Mermaid flowchart, dependencies on
// the left, each node coloured by its live state (ready, failed, progressing, suspended).
import type { ClusterStatus, GraphNode } from './health.ts';

const STATE_TEXT: Record<GraphNode['state'], string> = { ready: 'Ready', failed: 'not Ready', progressing: 'progressing', suspended: 'suspended' };

const CLASSES = [
  '  classDef ready fill:#d9f2d9,stroke:#2e7d32',
  '  classDef failed fill:#f8d7da,stroke:#c62828',
  '  classDef progressing fill:#fff3cd,stroke:#b7791f',
  '  classDef suspended fill:#e2e3e5,stroke:#6c757d,stroke-dasharray: 4 2',
  '  classDef missing fill:#ffffff,stroke:#c62828,stroke-dasharray: 2 2',
];

// A Mermaid node id for a `namespace/name` id (letters, digits and _ only).
export function nodeId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '_');
}

// The flowchart of one cluster, fenced as a ```mermaid block for Markdown.
export function mermaidGraph(status: Pick<ClusterStatus, 'cluster' | 'context' | 'kustomizations'>): string {
  const nodes = [...status.kustomizations].sort((a, b) => a.id.localeCompare(b.id));
  const known = new Set(nodes.map((n) => n.id));
  const label = (node: { namespace: string; name: string }) => (node.namespace === 'flux-system' ? node.name : `${node.namespace}/${node.name}`);
  const lines = ['```mermaid', 'flowchart LR', `  %% cluster ${status.cluster}, context ${status.context}: dependsOn, dependencies first`];
  for (const node of nodes) lines.push(`  ${nodeId(node.id)}["${label(node)}<br/>${STATE_TEXT[node.state]}"]:::${node.state}`);
  const missing = [...new Set(nodes.flatMap((n) => n.dependsOn))].filter((id) => !known.has(id)).sort();
  for (const id of missing) {
    const [namespace, name] = id.split('/');
    lines.push(`  ${nodeId(id)}["${label({ namespace, name })}<br/>not in the cluster"]:::missing`);
  }
  for (const node of nodes) for (const dep of [...node.dependsOn].sort()) lines.push(`  ${nodeId(dep)} --> ${nodeId(node.id)}`);
  lines.push(...CLASSES, '```');
  return lines.join('\n');
}
