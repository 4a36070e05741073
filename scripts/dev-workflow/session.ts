// The dev-workflow session: what a person started, exactly what it suspended and created, and how
// far finish got. Kept in tmp/dev-workflow/session.json, written atomically after every change and
// journaled (one JSON line per change in journal.log), so a crash at any point leaves a state that
// says what is done and what is not, and the next run continues from it.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TaskError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';

export type FluxObjectKind = 'Kustomization' | 'HelmRelease';

// One Flux object the session paused. `pending`: the suspend patch may or may not have reached
// the cluster (a crash in between); `already`: it was suspended before the session, which never
// resumes it; `suspended`; `resumed`.
export type Suspension = {
  kind: FluxObjectKind;
  namespace: string;
  name: string;
  state: 'pending' | 'already' | 'suspended' | 'resumed';
};

// An object `test` applied that did not exist before (Flux will never prune it: no inventory has it).
export type CreatedObject = { apiVersion: string; kind: string; namespace?: string; name: string };

export type Session = {
  version: 1;
  id: string;
  description: string;
  branch: string;
  // The branch it started from, and its commit then: finish squashes onto it, abort returns to it.
  base: string;
  baseSha: string;
  kubeContext: string;
  startedAt: string;
  // A stash made by start for a dirty work tree (its message), to say where the changes went.
  stash?: string;
  suspended: Suspension[];
  created: CreatedObject[];
  // Paths given to `test` (repo-relative), built again by finish to see what the tree still has.
  tested: string[];
  checkpoints: number;
  // finish, once started: the message, the backup ref of the unsquashed branch, the squashed commit.
  finish?: { message: string; backupRef?: string; squashed?: string; pushed?: boolean };
};

export type SessionStore = {
  path: string;
  read(): Session | undefined;
  // Writes the session (atomically) and journals what changed.
  save(session: Session, change: string): void;
  // Ends the session: the state file goes, the journal says so.
  clear(change: string): void;
};

// The store under `<root>/tmp/dev-workflow`; under --dry-run nothing is written.
export function sessionStore(root: string, dryRun = false): SessionStore {
  const path = join(root, 'tmp', 'dev-workflow', 'session.json');
  const journal = join(dirname(path), 'journal.log');
  const note = (change: string, id: string) => {
    mkdirSync(dirname(journal), { recursive: true });
    appendFileSync(journal, JSON.stringify({ at: new Date().toISOString(), session: id, change }) + '\n');
  };
  return {
    path,
    read() {
      if (!existsSync(path)) return undefined;
      try {
        const session = JSON.parse(readFileSync(path, 'utf8')) as Session;
        if (session.version !== 1) throw new Error(`unknown version ${String(session.version)}`);
        return session;
      } catch (error) {
        throw new TaskError(`the session file tmp/dev-workflow/session.json cannot be read: ${(error as Error).message}`, {
          hint: 'look at it and at tmp/dev-workflow/journal.log (what each step did); fix or move the file, then run the command again',
        });
      }
    },
    save(session, change) {
      if (dryRun) return;
      note(change, session.id);
      writeFileAtomic(path, JSON.stringify(session, null, 2) + '\n');
    },
    clear(change) {
      if (dryRun) return;
      const session = this.read();
      note(change, session?.id ?? '-');
      rmSync(path, { force: true });
    },
  };
}

// `dev/<slug>` of a description: lowercase words joined by "-", at most 50 characters.
export function branchName(description: string): string {
  const slug = description
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `dev/${slug || 'session'}`;
}

// `kind/namespace/name`, as the session and its messages name an object.
export function objectRef(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind.toLowerCase()}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

// The objects this session suspended and has not resumed (the ones it must resume).
export function stillSuspended(session: Session): Suspension[] {
  return session.suspended.filter((s) => s.state === 'suspended' || s.state === 'pending');
}

// A few lines on the active session (for the prompt that asks which command), or undefined.
export async function describeSession(root: string): Promise<string | undefined> {
  const session = sessionStore(root).read();
  if (!session) return 'No dev-workflow session is active: start one.';
  const paused = stillSuspended(session);
  return [
    `Session "${session.description}" on ${session.branch} (context ${session.kubeContext}), started ${session.startedAt}`,
    `  paused: ${paused.map(objectRef).join(', ') || 'nothing'}; checkpoints: ${session.checkpoints}; created by test: ${session.created.length}`,
  ].join('\n');
}
