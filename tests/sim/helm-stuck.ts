// HelmRelease states helm-controller does not leave by itself, with the conditions and counters
// it writes (docs/spec/v2 and internal/reconcile): a release locked by another operation, retries
// exhausted, a failed remediation. `put` the result: its spec (and generation) is unchanged, so the
// simulated helm-controller leaves the status as written.
import type { KubeObject } from './kube.ts';
import { setCondition } from './flux-status.ts';

export type StuckHelmState = 'operation-in-progress' | 'retries-exhausted' | 'remediation-failed';

// A copy of `release` (as stored) with the status helm-controller writes in `state`.
export function stuckHelmRelease(release: KubeObject, state: StuckHelmState, error = 'context deadline exceeded'): KubeObject {
  const o: KubeObject = structuredClone(release);
  const status = (o.status ??= {});
  const chart = o.spec?.chart?.spec ?? {};
  const target = o.spec?.targetNamespace ?? o.metadata.namespace;
  const name = o.spec?.releaseName ?? (o.spec?.targetNamespace ? `${o.spec.targetNamespace}-${o.metadata.name}` : o.metadata.name);
  const current = status.history?.[0]?.version ?? 1;
  const upgradeFailed = (why: string) => `Helm upgrade failed for release ${target}/${name} with chart ${chart.chart}@${chart.version}: ${why}`;
  status.conditions = (status.conditions ?? []).filter((c: { type: string }) => !['Stalled', 'Reconciling'].includes(c.type));
  status.failures = (status.failures ?? 0) + 1;
  status.upgradeFailures = (status.upgradeFailures ?? 0) + 1;
  status.lastAttemptedReleaseAction = 'upgrade';
  if (state === 'operation-in-progress') {
    const message = upgradeFailed('another operation (install/upgrade/rollback) is in progress');
    setCondition(o, { type: 'Released', status: 'False', reason: 'UpgradeFailed', message });
    setCondition(o, { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message });
  } else if (state === 'retries-exhausted') {
    setCondition(o, { type: 'Released', status: 'False', reason: 'UpgradeFailed', message: upgradeFailed(error) });
    setCondition(o, { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: upgradeFailed(error) });
    setCondition(o, { type: 'Stalled', status: 'True', reason: 'RetriesExceeded', message: `Failed to upgrade after ${status.upgradeFailures} attempt(s)` });
  } else {
    const message = `Helm rollback to previous release ${target}/${name}.v${current} with chart ${chart.chart}@${chart.version} failed: ${error}`;
    setCondition(o, { type: 'Released', status: 'False', reason: 'UpgradeFailed', message: upgradeFailed(error) });
    setCondition(o, { type: 'Remediated', status: 'False', reason: 'RollbackFailed', message });
    setCondition(o, { type: 'Ready', status: 'False', reason: 'RollbackFailed', message });
  }
  return o;
}
