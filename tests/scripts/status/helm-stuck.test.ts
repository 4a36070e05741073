// The stuck HelmRelease states, from conditions as helm-controller writes them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stuckRelease } from '../../../scripts/status/helm-stuck.ts';
import type { LiveCondition, LiveFluxObject } from '../../../scripts/status/snapshot.ts';

const release = (conditions: LiveCondition[], spec: LiveFluxObject['spec'] = {}): LiveFluxObject => ({
  kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'flux-system' }, spec: { targetNamespace: 'apps', ...spec }, status: { conditions },
});

test('retries exhausted: Stalled RetriesExceeded, with the upgrade error from Ready; next is a reset', () => {
  assert.equal(stuckRelease(release([
    { type: 'Stalled', status: 'True', reason: 'RetriesExceeded', message: 'Failed to upgrade after 1 attempt(s)' },
    { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed for release apps/apps-podinfo with chart podinfo@6.7.2: timed out' },
  ])), {
    state: 'retries-exhausted', reason: 'RetriesExceeded',
    message: 'Failed to upgrade after 1 attempt(s): Helm upgrade failed for release apps/apps-podinfo with chart podinfo@6.7.2: timed out',
    next: 'fix the cause in Git, then reset the failure count: flux reconcile helmrelease podinfo -n flux-system --reset',
  });
});

test('another operation in progress names the Helm release and its namespace for helm history', () => {
  const stuck = stuckRelease(release([{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed for release apps/apps-podinfo with chart podinfo@6.7.2: another operation (install/upgrade/rollback) is in progress' }], { releaseName: 'podinfo-main' }));
  assert.is(stuck?.state, 'operation-in-progress');
  assert.is(stuck?.next, 'helm-controller (v0.37+) unlocks a pending release on its next run: flux reconcile helmrelease podinfo -n flux-system; if it stays locked, `helm history podinfo-main -n apps` shows the pending-* revision to roll back');
});

test('a failed rollback, a failed uninstall and a missing rollback target are failed remediations', () => {
  for (const conditions of [
    [{ type: 'Ready', status: 'False', reason: 'RollbackFailed', message: 'Helm rollback to previous release apps/apps-podinfo.v1 failed: x' }],
    [{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'y' }, { type: 'Remediated', status: 'False', reason: 'UninstallFailed', message: 'Helm uninstall failed: z' }],
    [{ type: 'Stalled', status: 'True', reason: 'MissingRollbackTarget', message: 'no previous release' }, { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'y' }],
  ] as LiveCondition[][]) {
    const stuck = stuckRelease(release(conditions));
    assert.is(stuck?.state, 'remediation-failed');
    assert.is(stuck?.next, 'read `helm history apps-podinfo -n apps`, fix the release in Git, then force one upgrade: flux reconcile helmrelease podinfo -n flux-system --force');
  }
});

test('Ready, progressing and a failure still being retried are not stuck', () => {
  assert.is(stuckRelease(release([{ type: 'Ready', status: 'True', reason: 'UpgradeSucceeded', message: 'ok' }])), undefined);
  assert.is(stuckRelease(release([{ type: 'Ready', status: 'Unknown', reason: 'Progressing', message: "Running 'upgrade' action with timeout of 5m0s" }])), undefined);
  assert.is(stuckRelease(release([{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed: timed out' }])), undefined);
});

test.run();
