// The wrong-cluster guard, the one module bootstrap and disaster-recovery act through: the kube
// context comes from --context or the cluster's settings (never the current one), the cluster is
// recognised by the path its flux-system Kustomization syncs, and a production cluster needs its
// name typed before a destructive step.
import { TaskError } from '../core/errors.ts';
import type { Runner } from '../exec/runner.ts';
import { createKubectl, KubectlError, resolveKubeContext, type Kubectl } from '../adapters/kubectl.ts';
import { fluxResource } from '../adapters/flux-kinds.ts';
import type { Asker } from '../ui/prompt.ts';
import type { TaskContext } from '../task/context.ts';
import { readClusterSettings, type ClusterSettings } from './settings.ts';

export const FLUX_NAMESPACE = 'flux-system';
export const ROOT_KUSTOMIZATION = 'flux-system';

// The flag that answers the typed confirmation of a production cluster (--yes does not).
export const CONFIRM_FLAG = '--confirm-cluster';

// Who a kube context's cluster is: the folder of clusters/ its flux-system Kustomization syncs.
export type ClusterIdentity = {
  context: string;
  // Whether a flux-system Kustomization exists (Flux is installed and bootstrapped).
  flux: boolean;
  // Its spec.path as written (`./clusters/staging`).
  path?: string;
  // The cluster that path names, or undefined when it is not `./clusters/<name>`.
  cluster?: string;
};

type RootKustomization = { spec?: { path?: string } };

// The kube context for a cluster's run: --context when given, else the settings' context; either
// must exist in the kubeconfig. The current context is never used.
export async function clusterContext(runner: Runner, settings: ClusterSettings, requested?: string): Promise<string> {
  const name = requested ?? settings.context;
  try {
    return (await resolveKubeContext(runner, name))!;
  } catch (error) {
    if (error instanceof TaskError && requested === undefined) {
      error.message = `kube context "${settings.context}" of cluster ${settings.name} (${settings.file}) does not exist`;
    }
    throw error;
  }
}

// The identity of a root Kustomization read elsewhere (status reads it with the other Flux objects).
export function identityOf(context: string, root: RootKustomization | undefined): ClusterIdentity {
  if (!root) return { context, flux: false };
  const path = root.spec?.path ?? '';
  const match = /^(?:\.\/)?clusters\/([^/]+)\/?$/.exec(path);
  return { context, flux: true, path, cluster: match?.[1] };
}

// Reads the identity of the cluster `kubectl` is pinned to (a read; nothing changes).
export async function identifyCluster(kubectl: Kubectl): Promise<ClusterIdentity> {
  const context = kubectl.context ?? '(current)';
  try {
    const root = await kubectl.getJson<RootKustomization>(fluxResource('kustomization'), ROOT_KUSTOMIZATION, FLUX_NAMESPACE, { purpose: 'which cluster is this (flux-system Kustomization path)' });
    return identityOf(context, root);
  } catch (error) {
    // No Flux CRDs: Flux is not installed, so nothing says which cluster this is.
    if (error instanceof KubectlError && error.kubectlKind === 'UnknownKind') return { context, flux: false };
    throw error;
  }
}

// "context sim is cluster staging", as tasks report it.
export function describeIdentity(identity: ClusterIdentity): string {
  if (!identity.flux) return `context ${identity.context} has no Flux installed (no ${FLUX_NAMESPACE}/${ROOT_KUSTOMIZATION} Kustomization)`;
  if (!identity.cluster) return `context ${identity.context} syncs ${identity.path || '(no path)'}, not a folder of clusters/`;
  return `context ${identity.context} is cluster ${identity.cluster}`;
}

// Refuses a context whose Flux syncs another cluster's folder; a cluster without Flux passes
// (bootstrap installs it). Throws a TaskError; nothing has been changed at this point.
export function checkIdentity(identity: ClusterIdentity, expected: string): void {
  if (!identity.flux || identity.cluster === expected) return;
  const is = identity.cluster ? `is cluster ${identity.cluster}` : `syncs ${identity.path || '(no path)'}`;
  throw new TaskError(`context ${identity.context} ${is}, not ${expected}: nothing was changed`, {
    details: `its ${FLUX_NAMESPACE} Kustomization syncs ${identity.path || '(no path)'}; cluster ${expected} syncs ./clusters/${expected}`,
    hint: `pass the context of cluster ${expected} with --context, or fix context: in clusters/${expected}/settings.yaml`,
  });
}

// Identifies the cluster and refuses it unless it is `settings.name`; returns the identity found.
export async function guardCluster(kubectl: Kubectl, settings: ClusterSettings): Promise<ClusterIdentity> {
  const identity = await identifyCluster(kubectl);
  checkIdentity(identity, settings.name);
  return identity;
}

// Before a destructive step on a production cluster: the cluster's name typed at the terminal, or
// given with --confirm-cluster <name>. --yes does not answer it. Staging clusters pass.
export async function confirmDestructive(ask: Asker, settings: ClusterSettings, action: string, given: string | undefined): Promise<void> {
  if (settings.tier !== 'production') return;
  await ask.typed(`${action} on production cluster ${settings.name}.`, settings.name, CONFIRM_FLAG, given);
}

// A cluster a task may change: its settings, the context it is reached with, kubectl pinned to
// that context, and the identity found.
export type ClusterTarget = { settings: ClusterSettings; kubeContext: string; kubectl: Kubectl; identity: ClusterIdentity };

// The start of every task that changes a cluster: reads clusters/<cluster>/settings.yaml, takes
// --context or the settings' context, and refuses a context that is another cluster before
// anything is written. The identity found is reported ("context sim is cluster staging").
export async function openCluster(context: TaskContext, cluster: string, requested?: string): Promise<ClusterTarget> {
  const settings = readClusterSettings(context.cwd, cluster);
  const kubeContext = await clusterContext(context.runner, settings, requested);
  const kubectl = createKubectl(context.runner, { context: kubeContext });
  const identity = await guardCluster(kubectl, settings);
  context.ui.info(describeIdentity(identity));
  return { settings, kubeContext, kubectl, identity };
}
