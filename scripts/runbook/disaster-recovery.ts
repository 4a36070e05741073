// disaster-recovery: the repository's incident runbook as a resumable task. Assess → suspend every
// Kustomization and HelmRelease → choose the known-good commit → restore (revert, or apply) →
// verify → resume what this run suspended, level by level → incident report. Every step is
// journaled when done; the same command continues an interrupted run from the last completed step.
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { TaskError, UsageError } from '../core/errors.ts';
import { createFlux } from '../adapters/flux.ts';
import { confirmDestructive, openCluster, type ClusterTarget } from '../cluster/guard.ts';
import { clusterModel, dependencyGraph } from '../gitops/flux.ts';
import { loadTree } from '../gitops/tree.ts';
import type { TaskContext } from '../task/context.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';
import { assess, recovered } from './assess.ts';
import { clusterPaths, commitsAfter, recentCommits } from './commits.ts';
import { incidentsDir, nextStep, openIncident, saveJournal, stepOrder, type FluxRef, type Journal, type StepName, type Strategy } from './journal.ts';
import { incidentReport } from './report.ts';
import { applyKnownGood, revertTo } from './restore.ts';
import { listFluxObjects, setSuspended } from './suspend-all.ts';

export type RecoveryOptions = { cluster: string; to?: string; strategy: Strategy; context?: string; confirmCluster?: string; timeout: number };

// Runs (or continues) the recovery of `options.cluster`; resolves to the report's path.
export async function disasterRecovery(options: RecoveryOptions, context: TaskContext): Promise<string> {
  const target = await openCluster(context, options.cluster, options.context);
  const journal = await openOrStart(options, context, target);
  const save = () => {
    if (!context.dryRun) saveJournal(context.cwd, journal);
  };
  if (!journal.logs.includes(context.log.path)) journal.logs.push(context.log.path);
  const remote = 'origin';
  const branch = target.settings.github.branch;
  const continueLine = `the recovery of ${options.cluster} is journaled in ${relative(context.cwd, join(incidentsDir(context.cwd), journal.id))}: run \`npx zx tasks/disaster-recovery.ts ${options.cluster}\` again to continue from the last completed step`;
  const pending = context.recover(continueLine);

  const runStep = async (name: StepName): Promise<string> => {
    journal.started = name;
    save();
    const started = Date.now();
    try {
      const text = await steps[name].run();
      journal.timeline.push({ at: new Date(started).toISOString(), step: name, text, durationMs: Date.now() - started, ok: true });
      journal.done.push(name);
      journal.started = undefined;
      save();
      return text;
    } catch (error) {
      journal.timeline.push({ at: new Date(started).toISOString(), step: name, text: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started, ok: false });
      save();
      throw error;
    }
  };

  const steps: Record<StepName, { title: string; destructive: boolean; run: () => Promise<string> }> = {
    assess: {
      title: 'assess: the status of the cluster, saved',
      destructive: false,
      run: async () => {
        const found = await assess(context, target.kubectl, options.cluster, branch);
        journal.statusBefore = found.text;
        journal.graph = found.graph;
        return `assessed: ${found.status.notReady.length} not Ready, ${found.status.pods.length} pod problems, ${found.status.suspended.length} suspended`;
      },
    },
    suspend: {
      title: 'suspend every Kustomization and HelmRelease in every namespace',
      destructive: true,
      run: async () => {
        // NOTE: what to suspend is saved before the first patch: a run interrupted halfway must
        // not later take its own suspensions for ones that were there before.
        if (!journal.suspended.length && !journal.alreadySuspended.length) {
          const { active, suspended } = await listFluxObjects(target.kubectl);
          journal.suspended = active;
          journal.alreadySuspended = suspended;
          save();
        }
        await setSuspended(target.kubectl, journal.suspended, true, () => undefined);
        return `suspended ${journal.suspended.length} objects (${journal.alreadySuspended.length} were suspended before and stay so)`;
      },
    },
    choose: {
      title: 'choose the known-good commit',
      destructive: false,
      run: async () => {
        await context.runner.run({ program: 'git', args: ['fetch', remote], kind: 'read', touches: 'git', cwd: context.cwd, purpose: 'git fetch' });
        journal.knownGood = await chooseCommit(options, context, `${remote}/${branch}`);
        return `known-good commit: ${journal.knownGood.sha.slice(0, 12)} ${journal.knownGood.subject}`;
      },
    },
    restore: {
      title: `restore (${options.strategy})`,
      destructive: true,
      run: async () => {
        const plan = { remote, branch, knownGood: journal.knownGood!.sha, paths: clusterPaths(context.cwd, options.cluster), worktree: join(incidentsDir(context.cwd), journal.id, 'worktree') };
        if (journal.strategy === 'revert') {
          journal.restored = await revertTo(context, plan);
          return journal.restored.length ? `pushed ${journal.restored.length} revert commit(s) to ${remote}/${branch}` : 'nothing to revert';
        }
        journal.restored = await applyKnownGood(context, target.kubectl, plan, options.cluster, async (diff) => {
          context.ui.result(diff);
          if (!(await context.ask.confirm(`Apply the known-good state above to ${options.cluster}?`))) {
            throw new TaskError('the known-good state was not applied (declined)', { hint: `run \`npx zx tasks/disaster-recovery.ts ${options.cluster}\` again to continue from here` });
          }
        });
        return `applied ${journal.restored.length} Kustomization(s) at ${journal.knownGood!.sha.slice(0, 12)}`;
      },
    },
    verify: {
      title: 'verify: workloads and Flux objects Ready',
      destructive: false,
      run: async () => {
        const deadline = Date.now() + options.timeout * 1000;
        for (;;) {
          const found = await assess(context, target.kubectl, options.cluster, branch);
          journal.statusAfter = found.text;
          if (recovered(found.status) || context.dryRun) return 'recovered: workloads and Flux objects are Ready';
          if (Date.now() > deadline) {
            save();
            throw new TaskError(`not recovered after ${options.timeout}s: ${found.status.notReady.length} Flux object(s) not Ready, ${found.status.pods.length} pod problem(s)`, {
              details: found.text,
              hint: `look at the objects above; run \`npx zx tasks/disaster-recovery.ts ${options.cluster}\` again to verify again (or choose another commit with --to)`,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      },
    },
    resume: {
      title: 'resume what this run suspended, level by level in dependsOn order, and reconcile the sources',
      destructive: true,
      run: async () => {
        if (journal.strategy === 'apply') await refuseBadHead(context, options.cluster, remote, branch, journal.knownGood!.sha);
        for (const level of resumeLevels(context.cwd, options.cluster, journal.suspended)) await setSuspended(target.kubectl, level, false, () => undefined);
        const flux = createFlux(target.kubectl, { timeoutMs: options.timeout * 1000 });
        await flux.reconcile('gitrepository', 'flux-system', 'flux-system');
        return `resumed ${journal.suspended.length} objects; sources reconciled`;
      },
    },
    report: {
      title: 'write the incident report',
      destructive: false,
      run: async () => {
        journal.finishedAt = new Date().toISOString();
        const path = join(incidentsDir(context.cwd), journal.id, 'report.md');
        journal.report = relative(context.cwd, path);
        if (!context.dryRun) writeFileAtomic(path, incidentReport(journal, context.cwd, journal.logs));
        return `report: ${journal.report}`;
      },
    },
  };

  // Each step is its own step list, so its confirmation is asked before anything is drawn.
  let typed = false;
  for (const name of stepOrder(journal.strategy)) {
    const step = steps[name];
    if (journal.done.includes(name)) {
      context.ui.info(`✔ ${step.title} (done in an earlier run)`);
      continue;
    }
    if (step.destructive) {
      if (!typed) await confirmDestructive(context.ask, target.settings, `Disaster recovery (${journal.strategy})`, options.confirmCluster);
      typed = true;
      if (!(await context.ask.confirm(`Next: ${step.title}. Go on?`))) {
        throw new TaskError(`stopped before: ${step.title}`, { hint: `run \`npx zx tasks/disaster-recovery.ts ${options.cluster}\` again to continue from here` });
      }
    }
    await context.steps([{ title: step.title, run: () => runStep(name) }]);
  }
  pending.done();
  context.ui.result(`Recovery of ${options.cluster} done (${journal.strategy}); report: ${journal.report}`);
  return journal.report!;
}

// The journal of an interrupted run of this cluster, continued after confirmation, or a new one.
async function openOrStart(options: RecoveryOptions, context: TaskContext, target: ClusterTarget): Promise<Journal> {
  const open = openIncident(context.cwd, options.cluster);
  if (open) {
    const next = nextStep(open);
    const interrupted = open.started ? ` (${open.started} was interrupted: it is run again, checking what is already done)` : '';
    if (await context.ask.confirm(`An earlier recovery of ${options.cluster} (${open.id}, ${open.strategy}) stopped after ${open.done.at(-1) ?? 'nothing'}; continue with ${next}${interrupted}?`)) {
      context.ui.info(`continuing incident ${open.id} from ${next}${interrupted}`);
      return open;
    }
    throw new TaskError(`an earlier recovery of ${options.cluster} is unfinished: ${open.id}`, {
      hint: `continue it (run again and answer yes, or pass --yes), or move tmp/incidents/${open.id} away to start over — it records what that run suspended`,
    });
  }
  const started = new Date();
  return {
    version: 1,
    id: `${started.toISOString().replace(/[:.]/g, '-').slice(0, 19)}-${options.cluster}-${randomBytes(2).toString('hex')}`,
    cluster: options.cluster,
    kubeContext: target.kubeContext,
    strategy: options.strategy,
    startedAt: started.toISOString(),
    done: [],
    suspended: [],
    alreadySuspended: [],
    timeline: [],
    logs: [],
  };
}

// NOTE: after `apply`, Flux resumed on a branch that still has the bad commits would apply them
// again: the resume waits until Git no longer has them (reverted by a person, or with revert).
async function refuseBadHead(context: TaskContext, cluster: string, remote: string, branch: string, knownGood: string): Promise<void> {
  await context.runner.run({ program: 'git', args: ['fetch', remote], kind: 'read', touches: 'git', cwd: context.cwd, purpose: 'git fetch' });
  const paths = clusterPaths(context.cwd, cluster);
  const changed = await context.runner.run({ program: 'git', args: ['diff', '--quiet', knownGood, `${remote}/${branch}`, '--', ...paths], kind: 'read', cwd: context.cwd, okExitCodes: [1] });
  if (changed.exitCode === 0) return;
  const bad = await commitsAfter(context.runner, context.cwd, knownGood, `${remote}/${branch}`, paths);
  throw new TaskError(`Flux stays suspended: ${remote}/${branch} still differs from the known-good commit on the paths of ${cluster}, and resuming would apply that again`, {
    details: bad.length ? `commits after ${knownGood.slice(0, 12)}: ${bad.map((sha) => sha.slice(0, 12)).join(', ')}` : undefined,
    hint: `revert them in Git (git revert …; git push), then run \`npx zx tasks/disaster-recovery.ts ${cluster}\` again: it continues with the resume`,
  });
}

// --to, else (at a terminal) a choice among the recent commits of the cluster's paths.
async function chooseCommit(options: RecoveryOptions, context: TaskContext, ref: string): Promise<{ sha: string; subject: string }> {
  const paths = clusterPaths(context.cwd, options.cluster);
  if (options.to) {
    const result = await context.runner.run({ program: 'git', args: ['rev-parse', '--verify', '--quiet', `${options.to}^{commit}`], kind: 'read', cwd: context.cwd, okExitCodes: [1] });
    if (result.exitCode !== 0) throw new UsageError(`--to ${options.to} names no commit`);
    const sha = result.stdout.trim();
    const subject = (await context.runner.run({ program: 'git', args: ['log', '-1', '--format=%s', sha], kind: 'read', cwd: context.cwd })).stdout.trim();
    return { sha, subject };
  }
  const commits = await recentCommits(context.runner, context.cwd, ref, paths);
  if (!commits.length) throw new TaskError(`no commit of ${ref} touches the paths of ${options.cluster}`, { hint: 'name the commit with --to <sha>' });
  const sha = await context.ask.select(
    'Which commit was the last known good one?',
    commits.map((c) => ({ title: `${c.sha.slice(0, 12)} ${c.date.slice(0, 16)} ${c.subject}`, value: c.sha, description: `${c.author}; since then: ${c.since}` })),
    '--to <commit>',
  );
  return { sha, subject: commits.find((c) => c.sha === sha)!.subject };
}

// What this run suspended, in levels: Kustomizations by dependsOn depth, HelmReleases last.
export function resumeLevels(root: string, cluster: string, suspended: readonly FluxRef[]): FluxRef[][] {
  let graph: Map<string, string[]>;
  try {
    graph = dependencyGraph(clusterModel(loadTree(root), cluster));
  } catch {
    graph = new Map();
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen = new Set<string>()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const value = Math.max(-1, ...(graph.get(id) ?? []).map((dep) => depthOf(dep, seen))) + 1;
    depth.set(id, value);
    return value;
  };
  const levels: FluxRef[][] = [];
  const releases: FluxRef[] = [];
  for (const ref of suspended) {
    if (ref.kind === 'HelmRelease') {
      releases.push(ref);
      continue;
    }
    const level = depthOf(`${ref.namespace}/${ref.name}`);
    (levels[level] ??= []).push(ref);
  }
  return [...levels.filter(Boolean), ...(releases.length ? [releases] : [])];
}
