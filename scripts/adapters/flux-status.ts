// Flux object status as the flux CLI reads it: the Ready condition, kstatus, readiness after a
// resume, and the rows of `flux get`. Pure functions of the object JSON.

export type Condition = { type: string; status: string; reason?: string; message?: string; observedGeneration?: number };
export type FluxObject = {
  kind?: string;
  metadata: { name: string; namespace?: string; generation?: number; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec?: { suspend?: boolean };
  status?: {
    conditions?: Condition[];
    observedGeneration?: number;
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    lastHandledReconcileAt?: string;
    history?: { chartVersion?: string }[];
    artifact?: { revision?: string };
  };
};

export type KStatus = { status: 'Current' | 'InProgress' | 'Failed' | 'Terminating'; message: string };

// The condition of `type`, if present.
export function condition(object: FluxObject, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

// kstatus as fluxcd/cli-utils computes it for objects with conditions.
export function kstatus(object: FluxObject): KStatus {
  const generation = object.metadata.generation ?? 0;
  if (object.metadata.deletionTimestamp) return { status: 'Terminating', message: 'Resource scheduled for deletion' };
  const observed = object.status?.observedGeneration;
  if (observed !== undefined && observed !== generation) {
    return { status: 'InProgress', message: `${object.kind ?? 'Object'} generation is ${generation}, but latest observed generation is ${observed}` };
  }
  const reconciling = condition(object, 'Reconciling');
  if (reconciling?.status === 'True') return { status: 'InProgress', message: reconciling.message ?? '' };
  const stalled = condition(object, 'Stalled');
  if (stalled?.status === 'True') return { status: 'Failed', message: stalled.message ?? '' };
  const ready = condition(object, 'Ready');
  if (ready) return ready.status === 'True' ? { status: 'Current', message: ready.message ?? '' } : { status: 'InProgress', message: ready.message ?? '' };
  return { status: 'Current', message: '' };
}

// flux's readiness after resume: observed at least once, Ready for this generation, kstatus Current.
export function isObjectReady(object: FluxObject): boolean {
  const generation = object.metadata.generation ?? 0;
  if ((object.status?.observedGeneration ?? 0) < 1) return false;
  const ready = condition(object, 'Ready');
  if (!ready || ready.status !== 'True') return false;
  const observed = ready.observedGeneration ? ready.observedGeneration : object.status?.observedGeneration;
  return observed === generation && kstatus(object).status === 'Current';
}

// The revision flux prints: lastAppliedRevision, a HelmRelease's chart version, or a source's artifact.
export function appliedRevision(object: FluxObject): string {
  return object.status?.lastAppliedRevision ?? object.status?.history?.[0]?.chartVersion ?? object.status?.artifact?.revision ?? object.status?.lastAttemptedRevision ?? '';
}

export type FluxRow = { namespace: string; name: string; revision: string; suspended: string; ready: string; message: string };

const SHA = /\b([a-f0-9]{8})[a-f0-9]{32,120}\b/g;

// One `flux get` row; Kustomization revisions and messages have long hashes cut to 8 characters.
export function fluxRow(object: FluxObject): FluxRow {
  const ready = condition(object, 'Ready');
  const shorten = (text: string) => (object.kind === 'Kustomization' ? text.replace(SHA, '$1') : text);
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    revision: shorten(appliedRevision(object)),
    suspended: object.spec?.suspend ? 'True' : 'False',
    ready: ready ? ready.status : 'False',
    message: ready ? shorten(ready.message ?? '') : 'waiting to be reconciled',
  };
}
