// One cluster's status: read through kubectl (pinned to its context), its identity, the applied
// revision against origin, and the health assessed. The status task's view, and the runbooks'.
import type { Kubectl } from '../adapters/kubectl.ts';
import { identityOf, FLUX_NAMESPACE, ROOT_KUSTOMIZATION } from '../cluster/guard.ts';
import type { TaskContext } from '../task/context.ts';
import { assessCluster, type ClusterStatus } from './health.ts';
import { compareWithOrigin } from './origin.ts';
import { readSnapshot } from './snapshot.ts';

// Reads and assesses `cluster` through `kubectl`; `branch` is used when the live GitRepository names none.
export async function readClusterStatus(context: Pick<TaskContext, 'runner' | 'cwd'>, kubectl: Kubectl, cluster: string, branch: string, now: Date = new Date()): Promise<ClusterStatus> {
  const snapshot = await readSnapshot(kubectl);
  const own = (kind: string) => snapshot.fluxObjects.find((o) => o.kind === kind && o.metadata.name === ROOT_KUSTOMIZATION && o.metadata.namespace === FLUX_NAMESPACE);
  const root = own('Kustomization');
  const source = own('GitRepository');
  const applied = root?.status?.lastAppliedRevision ?? source?.status?.artifact?.revision;
  const revision = await compareWithOrigin(context.runner, context.cwd, applied, source?.spec?.ref?.branch ?? branch);
  return assessCluster({ cluster, snapshot, identity: identityOf(kubectl.context ?? '(current)', root), revision, now });
}
