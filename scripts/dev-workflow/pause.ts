// Pausing and resuming Flux for a session, the way flux suspend/resume do it (merge patches of
// spec.suspend through kubectl, field manager flux-client-side-apply), with our annotations saying
// who paused each object, why, when and in which session. Every change is saved in the session
// before the next one, so an interruption leaves a state that says exactly what is paused.
import { TaskError } from '../core/errors.ts';
import { SESSION, SUSPENDED_AT, SUSPENDED_BY, SUSPENDED_REASON } from '../cluster/annotations.ts';
import type { createFlux } from '../adapters/flux.ts';
import type { FluxKind } from '../adapters/flux-kinds.ts';
import type { Step } from '../ui/steps.ts';
import { objectRef, stillSuspended, type Session, type SessionStore, type Suspension } from './session.ts';

// Runs a list of steps with progress (the task context's listr2 step list).
export type StepRunner = (steps: readonly Step[]) => Promise<void>;

type Flux = ReturnType<typeof createFlux>;

export const PAUSE_ANNOTATIONS = [SUSPENDED_BY, SUSPENDED_REASON, SUSPENDED_AT, SESSION];

export type Target = { kind: Suspension['kind']; namespace: string; name: string };

const fluxKind = (kind: Suspension['kind']): FluxKind => (kind === 'Kustomization' ? 'kustomization' : 'helmrelease');

// Suspends each target not suspended yet (recording those that were, which the session never
// resumes), saving the session around every patch.
export async function suspendTargets(targets: readonly Target[], session: Session, store: SessionStore, flux: Flux, who: string, steps: StepRunner): Promise<void> {
  await steps(targets.map((target) => ({
    title: `suspend ${objectRef(target)}`,
    run: async () => {
      const known = session.suspended.find((s) => s.kind === target.kind && s.namespace === target.namespace && s.name === target.name);
      if (known && known.state !== 'pending') return `${objectRef(target)}: ${known.state}`;
      const live = await flux.get(fluxKind(target.kind), target.name, target.namespace);
      const entry: Suspension = known ?? { ...target, state: 'pending' };
      if (!known) session.suspended.push(entry);
      if (live.spec?.suspend && !known) {
        entry.state = 'already';
        store.save(session, `${objectRef(target)} was already suspended: left as it is`);
        return `${objectRef(target)} was already suspended: left as it is`;
      }
      store.save(session, `suspending ${objectRef(target)}`);
      await flux.suspend(fluxKind(target.kind), target.name, target.namespace, {
        [SUSPENDED_BY]: who,
        [SUSPENDED_REASON]: session.description,
        [SUSPENDED_AT]: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        [SESSION]: session.id,
      });
      entry.state = 'suspended';
      store.save(session, `suspended ${objectRef(target)}`);
      return `suspended ${objectRef(target)}`;
    },
  })));
}

// Resumes what the session suspended, in `order` (dependencies first), each waited for until Ready
// at its new generation; the session records each one done. A failure leaves the rest suspended
// and the session as it is, so running the same command again continues.
export async function resumeSession(session: Session, store: SessionStore, flux: Flux, order: readonly string[], wait: boolean, steps: StepRunner): Promise<void> {
  const rank = (s: Suspension) => {
    const i = order.indexOf(`${s.namespace}/${s.name}`);
    return (s.kind === 'Kustomization' ? 0 : 1_000_000) + (i === -1 ? order.length : i);
  };
  const pending = [...stillSuspended(session)].sort((a, b) => rank(a) - rank(b));
  await steps(pending.map((entry) => ({
    title: `resume ${objectRef(entry)}${wait ? ' and wait until it is Ready' : ''}`,
    run: async () => {
      let revision: string | undefined;
      try {
        revision = await flux.resume(fluxKind(entry.kind), entry.name, entry.namespace, wait, PAUSE_ANNOTATIONS);
      } catch (error) {
        if (!(error instanceof TaskError)) throw error;
        throw new TaskError(`resuming ${objectRef(entry)} failed: ${error.message}`, {
          command: error.command,
          details: error.details,
          hint: `${error.hint ? `${error.hint}; then ` : ''}run the same dev-workflow command again: it continues with what is still suspended`,
          cause: error,
        });
      }
      entry.state = 'resumed';
      store.save(session, `resumed ${objectRef(entry)}`);
      return `resumed ${objectRef(entry)}${revision ? `: applied ${revision}` : ''}`;
    },
  })));
}

// The line a person needs while the session has Flux paused.
export function pausedLine(session: Session): string | undefined {
  const paused = stillSuspended(session);
  if (!paused.length) return undefined;
  const names = paused.slice(0, 4).map(objectRef).join(', ') + (paused.length > 4 ? `, and ${paused.length - 4} more` : '');
  return `Flux is paused by dev-workflow session "${session.description}" (context ${session.kubeContext}): ${names} still suspended — resume with \`npx zx tasks/dev-workflow.ts resume\` (or finish/abort the session)`;
}
