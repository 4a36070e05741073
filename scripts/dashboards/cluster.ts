// dashboard-cm against the cluster: validate with a server dry run, apply, restart Grafana when
// the dashboard changed, then read back the ConfigMap and the dashboard sidecar's last lines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { createKubectl, KubectlError } from '../adapters/kubectl.ts';
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
  const kubectl = createKubectl(context.runner, { context: context.kubeContext });
  const kubeContext = await kubectl.currentContext();
  if (!kubeContext) return { applied: false, reason: 'no kube context is configured (pass --context <name>, or --offline to skip the cluster)' };
  const name = configMapName(options.name);
  const key = dataKey(options.name);
  const newData = prepared.configMap.manifest.data[key];
  const serverSide = options.serverSide || prepared.configMap.serverSide;
  // NOTE: --force-conflicts because Flux's kustomize-controller owns these fields once it has
  // applied the file; the repository is the source of truth for both.
  const apply = { serverSide, forceConflicts: serverSide, namespace: NAMESPACE };
  // Under --dry-run the file is not written, so the server dry run validates a scratch copy.
  const scratch = context.dryRun ? mkdtempSync(join(tmpdir(), 'dashboard-cm-')) : undefined;
  // Relative to the repository root, where kubectl runs: the echoed command is the one to copy.
  const file = scratch ? join(scratch, basename(prepared.target)) : prepared.target;
  if (scratch) writeFileSync(file, prepared.configMap.yaml);
  const getLive = (echo: boolean) => kubectl.getJson<LiveConfigMap>('configmap', name, NAMESPACE, { echo });
  let live: LiveConfigMap | undefined;
  let operation: Operation = 'unchanged';
  let restarted = false;
  let status = '';
  let sidecarLog = '';
  const dashboardChanged = () => live !== undefined && live.data?.[key] !== newData;
  try {
    await context.steps([
      {
        title: `validate with the API server (${serverSide ? 'server-side apply, ' : ''}server dry run)`,
        run: async () => {
          live = await getLive(true);
          try {
            await kubectl.apply({ file, dryRun: 'server', ...apply }, { purpose: `server-side validation of ${prepared.target}` });
          } catch (error) {
            if (error instanceof KubectlError && error.kubectlKind !== 'Unreachable') {
              throw new TaskError(`the API server refused ${prepared.target}`, {
                command: error.command,
                details: error.details,
                hint: `the file is kept at ${prepared.target}: fix the dashboard (or the file) and run the task again`,
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
          const result = await kubectl.apply({ file, ...apply }, { purpose: `kubectl apply of ${prepared.target}` });
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
            hint: `the dashboard is applied; check Grafana's pods: kubectl get pods -n ${NAMESPACE} and kubectl describe deployment/${GRAFANA_DEPLOYMENT} -n ${NAMESPACE}`,
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
  } catch (error) {
    if (error instanceof KubectlError && error.kubectlKind === 'Unreachable') {
      throw new TaskError(`cannot reach the cluster of kube context "${kubeContext}"`, {
        command: error.command,
        details: error.details,
        hint: `the ConfigMap is written at ${prepared.target}; check your connection (kubectl cluster-info), then run the task again, or use --offline`,
      });
    }
    throw error;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return { applied: true, kubeContext, operation, dashboardChanged: live === undefined || dashboardChanged(), serverSide, restarted, status, sidecarLog: sidecarLog.trimEnd() };
}

// Why Grafana is not restarted, or false when it must be: only a changed dashboard needs it.
export function restartSkipReason(operation: Operation, dashboardChanged: boolean, restart: boolean): string | false {
  if (operation === 'created') return 'new dashboard: the sidecar loads it, no restart needed';
  if (operation === 'unchanged') return 'unchanged: no restart';
  if (!dashboardChanged) return 'only metadata changed: no restart';
  if (!restart) return '--no-restart: Grafana not restarted';
  return false;
}
