// dashboard-cm against the cluster: validate with a server dry run, apply, restart Grafana when
// the dashboard changed, then read back the ConfigMap and the dashboard sidecar's last lines.
import { TaskError } from '../core/errors.ts';
import { createKubectl, KubectlError } from '../adapters/kubectl.ts';
import { describeIdentity, identifyCluster } from '../cluster/guard.ts';
import type { TaskContext } from '../task/context.ts';
import { configMapName, dataKey, NAMESPACE } from './configmap.ts';
import type { PreparedDashboard } from './prepare.ts';

export const GRAFANA_DEPLOYMENT = 'grafana';
export const SIDECAR_CONTAINER = 'grafana-sc-dashboard';

export type ClusterOptions = { name: string; serverSide: boolean; restart: boolean; timeoutSeconds: number };

export type Operation = 'created' | 'configured' | 'unchanged';

export type ClusterOutcome =
  | { applied: false; reason: string }
  | {
      applied: true;
      kubeContext: string;
      // Which cluster the context is ("context sim is cluster staging"), as the guard finds it.
      identity?: string;
      operation: Operation;
      dashboardChanged: boolean;
      serverSide: boolean;
      restarted: boolean;
      status: string;
      sidecarLog: string;
    };

type LiveConfigMap = { metadata: { resourceVersion: string }; data?: Record<string, string> };

// Validates and applies the prepared ConfigMap with kubectl; restarts Grafana when the dashboard changed.
export async function applyToCluster(prepared: PreparedDashboard, options: ClusterOptions, context: TaskContext): Promise<ClusterOutcome> {
  const kubeContext = context.kubeContext;
  if (!kubeContext) return { applied: false, reason: 'no kube context is configured (pass --context <name>, or --offline to skip the cluster)' };
  const kubectl = createKubectl(context.runner, { context: kubeContext });
  const name = configMapName(options.name);
  const key = dataKey(options.name);
  const newData = prepared.configMap.manifest.data[key];
  const serverSide = options.serverSide || prepared.configMap.serverSide;
  // NOTE: --force-conflicts because Flux's kustomize-controller owns these fields once it has
  // applied the file; the repository is the source of truth for both.
  const apply = { serverSide, forceConflicts: serverSide, namespace: NAMESPACE };
  // Relative to the repository root, where kubectl runs: the echoed command is the one to copy.
  // Under --dry-run the file is not written, so the server dry run reads the YAML from stdin.
  const validated = context.dryRun ? { file: '-', input: prepared.configMap.yaml } : { file: prepared.target, input: undefined };
  // Until the apply succeeds, a stop leaves a written file that the cluster does not have yet.
  const pending = context.dryRun
    ? undefined
    : context.recover(`${prepared.target} is written but not applied to context ${kubeContext}: run \`npx zx tasks/dashboard-cm.ts ${options.name} --context ${kubeContext}\` again (or --offline to leave the cluster as it is)`);
  const getLive = (echo: boolean) => kubectl.getJson<LiveConfigMap>('configmap', name, NAMESPACE, { echo });
  let live: LiveConfigMap | undefined;
  let identity: string | undefined;
  let operation: Operation = 'unchanged';
  let restarted = false;
  let status = '';
  let sidecarLog = '';
  const dashboardChanged = () => live !== undefined && live.data?.[key] !== newData;
  await context.steps([
    {
      title: `validate with the API server (${serverSide ? 'server-side apply, ' : ''}server dry run)`,
      run: async () => {
        // NOTE: one after the other: side by side, which one reports a lost cluster would be chance.
        live = await getLive(true);
        identity = describeIdentity(await identifyCluster(kubectl));
        try {
          await kubectl.apply({ file: validated.file, dryRun: 'server', ...apply }, { purpose: `server-side validation of ${prepared.target}`, input: validated.input });
        } catch (error) {
          // Only a refusal of the object itself is the dashboard's fault; other failures keep
          // the kubectl adapter's next step (reachability, RBAC, a server error, …).
          if (error instanceof KubectlError && error.kubectlKind === 'Invalid') {
            throw new TaskError(`the API server refused ${prepared.target}`, {
              command: error.command,
              details: error.details,
              hint: `${context.dryRun ? 'nothing was written' : `the file is kept at ${prepared.target}`}: fix the dashboard (or the file) and run the task again`,
            });
          }
          throw error;
        }
        return 'validated by the API server';
      },
    },
    {
      title: `apply ${name}${serverSide ? ' (server-side)' : ''}`,
      run: async () => {
        const result = await kubectl.apply({ file: prepared.target, ...apply }, { purpose: `kubectl apply of ${prepared.target}` });
        pending?.done();
        if (context.dryRun) operation = live === undefined ? 'created' : dashboardChanged() ? 'configured' : 'unchanged';
        else if (!serverSide) operation = result.operation as Operation;
        else operation = live === undefined ? 'created' : (await getLive(false))?.metadata.resourceVersion === live.metadata.resourceVersion ? 'unchanged' : 'configured';
        return context.dryRun ? `would be ${operation}` : `applied: ${operation}`;
      },
    },
    {
      title: 'restart Grafana',
      skip: () => restartSkipReason(operation, dashboardChanged(), options.restart),
      run: async () => {
        await kubectl.rolloutRestart(GRAFANA_DEPLOYMENT, NAMESPACE, {
          hint: 'the dashboard is applied; the sidecar also reloads it without a restart',
        });
        if (context.dryRun) return 'would restart Grafana';
        await kubectl.rolloutStatus(GRAFANA_DEPLOYMENT, NAMESPACE, `${options.timeoutSeconds}s`, {
          hint: `the dashboard is applied; check Grafana's pods: kubectl --context ${kubeContext} get pods -n ${NAMESPACE} and kubectl --context ${kubeContext} describe deployment/${GRAFANA_DEPLOYMENT} -n ${NAMESPACE}`,
        });
        restarted = true;
        return 'Grafana restarted';
      },
    },
    {
      title: 'read the ConfigMap and the dashboard sidecar log',
      run: async () => {
        status = (await kubectl.run('read', ['get', 'configmap', name, '-n', NAMESPACE, '--ignore-not-found'])).stdout.trimEnd();
        sidecarLog = await kubectl.logs(`deployment/${GRAFANA_DEPLOYMENT}`, NAMESPACE, { container: SIDECAR_CONTAINER, tail: 5 }).catch((error) => {
          if (!(error instanceof KubectlError) || error.kubectlKind === 'Unreachable') throw error;
          context.ui.warn(`could not read the dashboard sidecar's log: ${(error.details ?? error.message).split('\n')[0]}`);
          return '';
        });
      },
    },
  ]);
  return { applied: true, kubeContext, identity, operation, dashboardChanged: live === undefined || dashboardChanged(), serverSide, restarted, status, sidecarLog: sidecarLog.trimEnd() };
}

// Why Grafana is not restarted, or false when it must be: only a changed dashboard needs it.
export function restartSkipReason(operation: Operation, dashboardChanged: boolean, restart: boolean): string | false {
  if (operation === 'created') return 'new dashboard: the sidecar loads it, no restart needed';
  if (operation === 'unchanged') return 'unchanged: no restart';
  if (!dashboardChanged) return 'only metadata changed: no restart';
  if (!restart) return '--no-restart: Grafana not restarted';
  return false;
}
