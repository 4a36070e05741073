// The HelmRelease states helm-controller does not leave by itself, read from the conditions it
// writes, each with the step that gets it going again.
import { liveCondition, type LiveFluxObject } from './snapshot.ts';

export type StuckState = 'operation-in-progress' | 'retries-exhausted' | 'remediation-failed';

export type StuckRelease = { state: StuckState; reason: string; message: string; next: string };

export const STUCK_TITLES: Record<StuckState, string> = {
  'operation-in-progress': 'another operation in progress',
  'retries-exhausted': 'retries exhausted',
  'remediation-failed': 'remediation failed',
};

const IN_PROGRESS = /another operation \(install\/upgrade\/rollback\) is in progress/;
const REMEDIATION_FAILED = /^(RollbackFailed|UninstallFailed)$/;

// The stuck state of a HelmRelease, or undefined when it is not in one (Ready, progressing, or a
// failure helm-controller still retries).
export function stuckRelease(release: LiveFluxObject): StuckRelease | undefined {
  const name = release.metadata.name;
  const ns = release.metadata.namespace ?? 'flux-system';
  const ready = liveCondition(release, 'Ready');
  const stalled = liveCondition(release, 'Stalled');
  const remediated = liveCondition(release, 'Remediated');
  const reconcile = `flux reconcile helmrelease ${name} -n ${ns}`;
  const target = release.status?.storageNamespace ?? release.spec?.storageNamespace ?? release.spec?.targetNamespace ?? ns;
  const helmName = release.spec?.releaseName ?? (release.spec?.targetNamespace ? `${release.spec.targetNamespace}-${name}` : name);
  if (ready?.status === 'True') return undefined;
  if (ready && IN_PROGRESS.test(ready.message ?? '')) {
    return {
      state: 'operation-in-progress', reason: ready.reason ?? '', message: ready.message ?? '',
      next: `helm-controller (v0.37+) unlocks a pending release on its next run: ${reconcile}; if it stays locked, \`helm history ${helmName} -n ${target}\` shows the pending-* revision to roll back`,
    };
  }
  const failedRemediation = [ready, remediated, stalled].find((c) => c && c.status !== 'True' && REMEDIATION_FAILED.test(c.reason ?? ''))
    ?? (stalled?.status === 'True' && stalled.reason === 'MissingRollbackTarget' ? stalled : undefined);
  if (failedRemediation) {
    return {
      state: 'remediation-failed', reason: failedRemediation.reason ?? '', message: failedRemediation.message ?? '',
      next: `read \`helm history ${helmName} -n ${target}\`, fix the release in Git, then force one upgrade: ${reconcile} --force`,
    };
  }
  if (stalled?.status === 'True' && stalled.reason === 'RetriesExceeded') {
    return {
      state: 'retries-exhausted', reason: stalled.reason, message: `${stalled.message ?? ''}${ready?.message && ready.message !== stalled.message ? `: ${ready.message}` : ''}`,
      next: `fix the cause in Git, then reset the failure count: ${reconcile} --reset`,
    };
  }
  return undefined;
}
