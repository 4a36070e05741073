// The incident journal of a disaster-recovery run: which steps are done (with their results), what
// the run suspended, the commit chosen and what the restore did. Written atomically after every
// step under tmp/incidents/<id>/journal.json, so a run interrupted anywhere (a crash, Ctrl-C, a
// lost connection) is continued by the same command from the last completed step.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/write-atomic.ts';

export const STEPS = ['assess', 'suspend', 'choose', 'restore', 'verify', 'resume', 'report'] as const;
export type StepName = (typeof STEPS)[number];

export type Strategy = 'revert' | 'apply';

export type FluxRef = { kind: 'Kustomization' | 'HelmRelease'; namespace: string; name: string };

export type TimelineEntry = { at: string; step: StepName; text: string; durationMs?: number; ok: boolean };

export type Journal = {
  version: 1;
  id: string;
  cluster: string;
  kubeContext: string;
  strategy: Strategy;
  startedAt: string;
  // Steps completed, in order.
  done: StepName[];
  // The step that started and did not complete (an interruption): continued with care.
  started?: StepName;
  statusBefore?: string;
  statusAfter?: string;
  graph?: string;
  // What this run suspended (objects suspended before it are left as they were).
  suspended: FluxRef[];
  alreadySuspended: FluxRef[];
  knownGood?: { sha: string; subject: string };
  // revert: the revert commits pushed; apply: the Kustomizations applied.
  restored?: string[];
  timeline: TimelineEntry[];
  // The run logs (tmp/logs/…) of the runs that worked on this incident.
  logs: string[];
  finishedAt?: string;
  report?: string;
};

export function incidentsDir(root: string): string {
  return join(root, 'tmp', 'incidents');
}

// The journal's path for incident `id`.
export function journalPath(root: string, id: string): string {
  return join(incidentsDir(root), id, 'journal.json');
}

export function saveJournal(root: string, journal: Journal): void {
  mkdirSync(join(incidentsDir(root), journal.id), { recursive: true });
  writeFileAtomic(journalPath(root, journal.id), JSON.stringify(journal, null, 2) + '\n');
}

// The unfinished incident of `cluster`, if a run was interrupted.
export function openIncident(root: string, cluster: string): Journal | undefined {
  const dir = incidentsDir(root);
  if (!existsSync(dir)) return undefined;
  for (const id of readdirSync(dir).sort().reverse()) {
    const path = journalPath(root, id);
    if (!existsSync(path)) continue;
    const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
    if (journal.cluster === cluster && !journal.finishedAt) return journal;
  }
  return undefined;
}

// The order of the steps: revert needs Flux running again to apply the reverts before verifying.
export function stepOrder(strategy: Strategy): StepName[] {
  return strategy === 'revert'
    ? ['assess', 'suspend', 'choose', 'restore', 'resume', 'verify', 'report']
    : ['assess', 'suspend', 'choose', 'restore', 'verify', 'resume', 'report'];
}

// The next step to run: the first of the strategy's order not done.
export function nextStep(journal: Journal): StepName | undefined {
  return stepOrder(journal.strategy).find((step) => !journal.done.includes(step));
}
