// Suspending (and resuming) every Kustomization and HelmRelease in every namespace, as flux suspend
// does (the merge patch of spec.suspend, field manager flux-client-side-apply), with few kubectl
// processes: one list for all, then one patch per namespace and kind naming every object of it,
// a few at a time. Objects suspended before are recorded and left as they are.
import { fluxEquivalent, fluxResource, type FluxKind } from '../adapters/flux-kinds.ts';
import type { FluxObject } from '../adapters/flux-status.ts';
import type { Kubectl } from '../adapters/kubectl.ts';
import type { FluxRef } from './journal.ts';

// How many kubectl patch processes run side by side.
export const PARALLEL_PATCHES = 4;

const kindOf = (kind: FluxRef['kind']): FluxKind => (kind === 'Kustomization' ? 'kustomization' : 'helmrelease');

// Every Kustomization and HelmRelease of the cluster, split into suspended and not.
export async function listFluxObjects(kubectl: Kubectl): Promise<{ active: FluxRef[]; suspended: FluxRef[] }> {
  const items = await kubectl.list<FluxObject & { kind: string }>(`${fluxResource('kustomization')},${fluxResource('helmrelease')}`, { allNamespaces: true }, {
    purpose: 'list every Kustomization and HelmRelease',
    equivalent: 'flux get kustomizations -A; flux get helmreleases -A',
  });
  const refs = items.map((item) => ({ ref: { kind: item.kind as FluxRef['kind'], namespace: item.metadata.namespace ?? 'flux-system', name: item.metadata.name }, suspended: item.spec?.suspend === true }));
  return { active: refs.filter((r) => !r.suspended).map((r) => r.ref), suspended: refs.filter((r) => r.suspended).map((r) => r.ref) };
}

// Groups of objects one kubectl patch can take: the same kind in the same namespace.
export function patchGroups(refs: readonly FluxRef[]): FluxRef[][] {
  const groups = new Map<string, FluxRef[]>();
  for (const ref of refs) {
    const key = `${ref.kind}/${ref.namespace}`;
    groups.set(key, [...(groups.get(key) ?? []), ref]);
  }
  return [...groups.values()];
}

// Runs `work` on each item, `limit` at a time.
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

// Patches spec.suspend of every object in `refs` (true, or null to resume); `done` is told about
// each group once its patch succeeded.
export async function setSuspended(kubectl: Kubectl, refs: readonly FluxRef[], suspend: boolean, done: (group: FluxRef[]) => void): Promise<void> {
  const action = suspend ? 'suspend' : 'resume';
  await inParallel(patchGroups(refs), PARALLEL_PATCHES, async (group) => {
    const { kind, namespace } = group[0];
    const names = group.map((r) => r.name);
    await kubectl.run('write', ['patch', fluxResource(kindOf(kind)), ...names, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { suspend: suspend ? true : null } }), '--field-manager=flux-client-side-apply'], {
      equivalent: names.length === 1 ? fluxEquivalent(action, kindOf(kind), names[0], namespace) : `flux ${action} ${kindOf(kind)} ${names.join(' ')} -n ${namespace}`,
      purpose: `${action} ${names.length} ${kind}${names.length === 1 ? '' : 's'} in ${namespace}`,
    });
    done(group);
  });
}
