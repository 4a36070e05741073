// dev-workflow status: the session (branch, age, what it paused and for how long, checkpoints,
// uncommitted changes, objects test created) and, with or without a session, every Flux object
// suspended in the cluster that no session accounts for.
import { fluxResource } from '../adapters/flux-kinds.ts';
import type { FluxObject } from '../adapters/flux-status.ts';
import { suspensionOf } from '../cluster/annotations.ts';
import { describeIdentity, identifyCluster } from '../cluster/guard.ts';
import type { TaskContext } from '../task/context.ts';
import { formatTable } from '../ui/table.ts';
import { age, openWorkflow } from './open.ts';
import { objectRef } from './session.ts';

// Prints the status; resolves to 0.
export async function status(context: TaskContext): Promise<number> {
  const workflow = openWorkflow(context, { session: 'optional' });
  const { session, git, kubectl } = workflow;
  const lines: string[] = [];
  if (session) {
    const commits = await git.countCommits(session.baseSha, 'HEAD').catch(() => session.checkpoints);
    const changes = await git.status();
    lines.push(
      `Session    "${session.description}" (${session.id})`,
      `Branch     ${session.branch} from ${session.base}, started ${age(session.startedAt)} ago`,
      `Context    ${session.kubeContext}`,
      `Commits    ${commits} checkpoint${commits === 1 ? '' : 's'} on the branch; ${changes.length} uncommitted change${changes.length === 1 ? '' : 's'}`,
      `Paused     ${session.suspended.filter((s) => s.state === 'suspended' || s.state === 'pending').map((s) => `${objectRef(s)} (${age(session.startedAt)})`).join(', ') || 'nothing (resumed)'}`,
    );
    const already = session.suspended.filter((s) => s.state === 'already');
    if (already.length) lines.push(`Kept       ${already.map(objectRef).join(', ')} (suspended before the session; it leaves them so)`);
    lines.push(`Created    ${session.created.map(objectRef).join(', ') || 'nothing'}${session.created.length ? ' (by test; finish/abort remove those the tree no longer has)' : ''}`);
  } else {
    lines.push('No dev-workflow session is active.');
  }
  if (workflow.kubeContext) {
    lines.push(`Cluster    ${describeIdentity(await identifyCluster(kubectl))}`);
    const ours = new Set(session?.suspended.filter((s) => s.state !== 'resumed').map((s) => `${s.kind}/${s.namespace}/${s.name}`) ?? []);
    const foreign: string[][] = [];
    for (const kind of ['kustomization', 'helmrelease'] as const) {
      for (const object of await kubectl.list<FluxObject>(fluxResource(kind), { allNamespaces: true })) {
        const Kind = kind === 'kustomization' ? 'Kustomization' : 'HelmRelease';
        if (!object.spec?.suspend || ours.has(`${Kind}/${object.metadata.namespace}/${object.metadata.name}`)) continue;
        const s = suspensionOf(object.metadata.annotations);
        foreign.push([`${Kind.toLowerCase()}/${object.metadata.namespace}/${object.metadata.name}`, s.by ?? '-', s.at ? `${age(s.at)} ago` : '-', s.reason ?? '-']);
      }
    }
    lines.push('', foreign.length ? `Suspended in ${workflow.kubeContext} and not by this session:\n${formatTable(['OBJECT', 'BY', 'SINCE', 'WHY'], foreign).replace(/^/gm, '  ')}` : `No other suspended Flux objects in ${workflow.kubeContext}.`);
  }
  context.ui.result(lines.join('\n'));
  return 0;
}
