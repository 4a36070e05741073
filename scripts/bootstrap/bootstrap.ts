// bootstrap: flux bootstrap github for one cluster of clusters/, behind a preflight (settings,
// kubectl, the wrong-cluster guard, flux check --pre, GITHUB_TOKEN) and followed by a wait for the
// four controllers and the flux-system Kustomization. A healthy cluster already bootstrapped from
// this repository and path is only checked; one bootstrapped from elsewhere is refused.
import { TaskError } from '../core/errors.ts';
import { createFlux } from '../adapters/flux.ts';
import { fluxResource } from '../adapters/flux-kinds.ts';
import { KubectlError, type Kubectl } from '../adapters/kubectl.ts';
import { describeIdentity, FLUX_NAMESPACE, openCluster, ROOT_KUSTOMIZATION, type ClusterTarget } from '../cluster/guard.ts';
import type { ClusterSettings } from '../cluster/settings.ts';
import type { TaskContext } from '../task/context.ts';
import { githubRepository, sameRepository } from './repository.ts';

export const CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];

export type BootstrapOptions = { cluster: string; context?: string; timeout: number };

// The arguments of `flux bootstrap github` for a cluster's settings; the token goes by environment.
export function bootstrapArgs(settings: ClusterSettings): string[] {
  const { owner, repository, branch, personal } = settings.github;
  return [
    'bootstrap', 'github',
    `--owner=${owner}`, `--repository=${repository}`, `--branch=${branch}`,
    `--path=./clusters/${settings.name}`,
    ...(personal ? ['--personal'] : []),
    '--token-auth',
  ];
}

// Runs the bootstrap of `options.cluster`.
export async function bootstrap(options: BootstrapOptions, context: TaskContext): Promise<void> {
  const token = context.env.GITHUB_TOKEN;
  context.runner.masker.add(token);
  let target: ClusterTarget | undefined;
  await context.steps([
    {
      title: `preflight: settings, kube context and which cluster it is`,
      run: async () => {
        target = await openCluster(context, options.cluster, options.context);
        return `preflight: ${describeIdentity(target.identity)}`;
      },
    },
    {
      title: 'preflight: flux check --pre',
      run: async () => {
        await context.runner.run({ program: 'flux', args: ['check', '--pre', `--context=${target!.kubeContext}`], kind: 'read', touches: 'cluster', purpose: 'flux check --pre', hint: 'flux requires Kubernetes 1.33 or newer; upgrade the cluster (or use an older flux CLI that supports it)' });
        return 'preflight: flux check --pre passed';
      },
    },
  ]);
  const { settings, kubectl, identity, kubeContext } = target!;
  if (identity.flux) {
    await refuseOtherRepository(kubectl, settings);
    context.ui.info(`cluster ${settings.name} is already bootstrapped from ${settings.github.owner}/${settings.github.repository} at ./clusters/${settings.name}: checking its health`);
    await waitHealthy(context, kubectl, options.timeout);
    context.ui.result(`Cluster ${settings.name} (context ${kubeContext}) is bootstrapped and healthy; nothing to do.`);
    return;
  }
  if (!token) {
    throw new TaskError('GITHUB_TOKEN is not set: flux bootstrap github needs a GitHub token with repo rights', {
      hint: 'export GITHUB_TOKEN=<a personal access token> (it is passed to flux through the environment and never printed), then run bootstrap again',
    });
  }
  await context.steps([
    {
      title: `flux bootstrap github (${settings.github.owner}/${settings.github.repository}, ./clusters/${settings.name})`,
      run: async () => {
        await context.runner.run({
          program: 'flux',
          args: [...bootstrapArgs(settings), `--context=${kubeContext}`],
          kind: 'write',
          touches: 'cluster',
          env: { GITHUB_TOKEN: token },
          timeoutMs: 15 * 60_000,
          purpose: 'flux bootstrap github',
          hint: `re-running bootstrap is safe (flux bootstrap is idempotent): npx zx tasks/bootstrap.ts ${settings.name}`,
        });
      },
    },
  ]);
  if (context.dryRun) {
    context.ui.result(`Would bootstrap ${settings.name} and wait for ${CONTROLLERS.join(', ')} and the flux-system Kustomization.`);
    return;
  }
  await waitHealthy(context, kubectl, options.timeout);
  context.ui.result(`Cluster ${settings.name} bootstrapped from ${settings.github.owner}/${settings.github.repository} (context ${kubeContext}); Flux is healthy.`);
}

// Refuses a cluster whose flux-system GitRepository points at another repository.
async function refuseOtherRepository(kubectl: Kubectl, settings: ClusterSettings): Promise<void> {
  const source = await kubectl.getJson<{ spec?: { url?: string } }>(fluxResource('gitrepository'), ROOT_KUSTOMIZATION, FLUX_NAMESPACE);
  const url = source?.spec?.url ?? '';
  if (sameRepository(url, settings.github)) return;
  const found = githubRepository(url);
  throw new TaskError(`cluster ${settings.name} is already bootstrapped from another repository: ${found ? `${found.owner}/${found.repository}` : url || '(no URL)'}`, {
    details: `settings ${settings.file} say ${settings.github.owner}/${settings.github.repository}; the flux-system GitRepository syncs ${url || '(no URL)'}`,
    hint: 'nothing was changed; fix github: in the settings, or uninstall Flux from that cluster (flux uninstall) before bootstrapping it from here',
  });
}

// Waits for the four controllers' rollouts and the flux-system Kustomization to be Ready; on a
// timeout shows the controllers' last log lines.
async function waitHealthy(context: TaskContext, kubectl: Kubectl, timeoutSeconds: number): Promise<void> {
  const flux = createFlux(kubectl, { timeoutMs: timeoutSeconds * 1000 });
  try {
    await context.steps([
      ...CONTROLLERS.map((controller) => ({
        title: `wait for ${controller}`,
        run: async () => {
          await kubectl.rolloutStatus(controller, FLUX_NAMESPACE, `${timeoutSeconds}s`);
          return `${controller} is ready`;
        },
      })),
      {
        title: 'wait for the flux-system Kustomization to be Ready',
        run: async () => {
          const revision = await flux.waitReady('kustomization', ROOT_KUSTOMIZATION, FLUX_NAMESPACE);
          return `flux-system applied ${revision}`;
        },
      },
    ]);
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    const logs = await controllerLogs(kubectl);
    throw new TaskError(error.message, { command: error.command, details: [error.details, logs].filter(Boolean).join('\n'), hint: error.hint ?? 'read the controllers\' log lines above', cause: error });
  }
}

// The last lines of each controller's log, for a failed wait.
async function controllerLogs(kubectl: Kubectl): Promise<string> {
  const parts: string[] = [];
  for (const controller of CONTROLLERS) {
    try {
      const text = (await kubectl.logs(`deployment/${controller}`, FLUX_NAMESPACE, { tail: 5 })).trimEnd();
      if (text) parts.push(`${controller}:`, ...text.split('\n').map((line) => `  ${line}`));
    } catch (error) {
      if (!(error instanceof KubectlError)) throw error;
      parts.push(`${controller}: no log (${error.kubectlKind})`);
    }
  }
  return parts.join('\n');
}
