// The revision Flux applied compared with the local `origin/<branch>`: up to date, behind, ahead,
// or not comparable. Reads git only (no fetch: status never changes anything).
import type { Runner } from '../exec/runner.ts';

export type RevisionState = 'up-to-date' | 'behind' | 'ahead' | 'diverged' | 'not-local' | 'no-origin' | 'nothing-applied';

export type RevisionCheck = {
  // The applied revision as Flux writes it (`main@sha1:<hex>`), if any.
  applied?: string;
  branch: string;
  // The sha of the local origin/<branch>, if it exists.
  origin?: string;
  state: RevisionState;
  // Commits of origin/<branch> not applied, and applied commits origin/<branch> lacks.
  behind?: number;
  ahead?: number;
};

// The sha of a Flux revision (`main@sha1:<hex>` or `sha1:<hex>`), if it names one.
export function shaOf(revision: string | undefined): string | undefined {
  return /sha1:([0-9a-f]{40})\b/.exec(revision ?? '')?.[1];
}

// Compares `applied` with origin/<branch> in the repository at `cwd`.
export async function compareWithOrigin(runner: Runner, cwd: string, applied: string | undefined, branch: string): Promise<RevisionCheck> {
  const git = (args: string[]) => runner.run({ program: 'git', args, kind: 'read', cwd, purpose: `git ${args[0]}`, okExitCodes: [1, 128] });
  const originResult = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`]);
  const origin = originResult.exitCode === 0 ? originResult.stdout.trim() : undefined;
  const sha = shaOf(applied);
  if (!sha) return { applied, branch, origin, state: 'nothing-applied' };
  if (!origin) return { applied, branch, state: 'no-origin' };
  if (origin === sha) return { applied, branch, origin, state: 'up-to-date', behind: 0, ahead: 0 };
  const counted = await git(['rev-list', '--left-right', '--count', `${sha}...${origin}`]);
  if (counted.exitCode !== 0) return { applied, branch, origin, state: 'not-local' };
  const [ahead, behind] = counted.stdout.trim().split(/\s+/).map(Number);
  const state = ahead && behind ? 'diverged' : behind ? 'behind' : 'ahead';
  return { applied, branch, origin, state, ahead, behind };
}

const short = (sha: string | undefined) => (sha ?? '').slice(0, 8);
const commits = (n: number | undefined) => `${n} commit${n === 1 ? '' : 's'}`;

// One line: `applied main@sha1:4a8b1c2d = origin/main`.
export function describeRevision(check: RevisionCheck): string {
  const applied = check.applied ? `applied ${check.applied.replace(/\b([0-9a-f]{8})[0-9a-f]{32}\b/, '$1')}` : '';
  const origin = `origin/${check.branch}`;
  switch (check.state) {
    case 'nothing-applied':
      return 'nothing applied yet';
    case 'up-to-date':
      return `${applied} = ${origin}`;
    case 'behind':
      return `${applied}, ${commits(check.behind)} behind ${origin} (${short(check.origin)})`;
    case 'ahead':
      return `${applied}, ${commits(check.ahead)} ahead of the local ${origin} (${short(check.origin)}): git fetch origin`;
    case 'diverged':
      return `${applied}, not on the local ${origin} (${short(check.origin)}; ${commits(check.ahead)} not on it, ${commits(check.behind)} not applied)`;
    case 'not-local':
      return `${applied}, not in the local repository (origin/${check.branch} is ${short(check.origin)}): git fetch origin`;
    case 'no-origin':
      return `${applied}; no local ${origin} to compare with`;
  }
}
