// What every dev-workflow command starts with: the session (if any), the adapters pinned to its
// kube context, the warning while Flux is paused, and the recovery line every failure ends with.
import { TaskError } from '../core/errors.ts';
import { createFlux } from '../adapters/flux.ts';
import { createGit, type Git } from '../adapters/git.ts';
import { createKubectl, type Kubectl } from '../adapters/kubectl.ts';
import type { TaskContext } from '../task/context.ts';
import { pausedLine } from './pause.ts';
import { sessionStore, type Session, type SessionStore } from './session.ts';

export type Workflow = {
  context: TaskContext;
  store: SessionStore;
  session: Session | undefined;
  git: Git;
  kubectl: Kubectl;
  flux: ReturnType<typeof createFlux>;
  // The kube context: the session's (a session never drifts to another cluster), else the run's.
  kubeContext: string | undefined;
};

export type OpenOptions = { session: 'required' | 'optional'; timeoutSeconds?: number };

// Opens the workflow for a command; `session: 'required'` fails without one.
export function openWorkflow(context: TaskContext, options: OpenOptions): Workflow {
  const store = sessionStore(context.cwd, context.dryRun);
  const session = store.read();
  if (!session && options.session === 'required') {
    throw new TaskError('no dev-workflow session is active', { hint: 'start one: npx zx tasks/dev-workflow.ts start "<what you are working on>" --kustomization <namespace/name>' });
  }
  if (session && context.kubeContext && context.kubeContext !== session.kubeContext) {
    context.ui.warn(`the session works on kube context ${session.kubeContext}, not ${context.kubeContext}: using ${session.kubeContext}`);
  }
  const kubeContext = session?.kubeContext ?? context.kubeContext;
  const kubectl = createKubectl(context.runner, { context: kubeContext });
  const flux = createFlux(kubectl, { timeoutMs: (options.timeoutSeconds ?? 300) * 1000 });
  if (session) {
    // Never paused silently: every run says so until the session resumes or ends.
    const line = pausedLine(session);
    if (line) {
      context.ui.warn(line);
      context.recover(line);
    }
  }
  return { context, store, session, git: createGit(context.runner, context.cwd), kubectl, flux, kubeContext };
}

// The kube context a command that talks to the cluster needs, or a clear failure.
export function requireContext(workflow: Workflow): string {
  if (workflow.kubeContext) return workflow.kubeContext;
  throw new TaskError('no kube context: dev-workflow pauses Flux on a cluster', { hint: 'pass --context <name> (kubectl config get-contexts lists them)' });
}

// Who is working: git's user.name, else $USER.
export async function whoAmI(workflow: Workflow): Promise<string> {
  try {
    const result = await workflow.context.runner.run({ program: 'git', args: ['config', 'user.name'], kind: 'read', cwd: workflow.context.cwd, okExitCodes: [1] });
    if (result.stdout.trim()) return result.stdout.trim();
  } catch {
    // no git identity: fall back to the login name
  }
  return workflow.context.env.USER ?? workflow.context.env.LOGNAME ?? 'unknown';
}

// "3m", "2h 5m", "4d 1h": how long since `iso`.
export function age(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
