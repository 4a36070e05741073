// What the next commit needs: the dashboard's files and kustomizations that git sees as changed or
// untracked, from git's view before the writes plus what this run changed (git runs while the
// dashboard is prepared, not after the writes, so --offline runs do not wait for it).
import { execFile } from 'node:child_process';
import type { FileResult } from '../exec/files.ts';

export type Uncommitted = { path: string; untracked: boolean };
// Porcelain status (two letters, e.g. "??", " M", "A ") by repo-relative path.
export type GitStatus = Map<string, string>;

// git status for `pathspecs` under `root`, or undefined when git cannot tell (no git, not a repository).
// NOTE: a plain spawn, not the runner: the runner loads zx, which --offline runs never need.
export function readGitStatus(root: string, pathspecs: string[]): Promise<GitStatus | undefined> {
  return new Promise((resolve) => {
    const args = ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...pathspecs];
    execFile('git', args, { cwd: root, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : parseStatus(stdout)));
  });
}

// Entries of `git status --porcelain=v1 -z`.
export function parseStatus(output: string): GitStatus {
  const status: GitStatus = new Map();
  const entries = output.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.length < 4) continue;
    status.set(entry.slice(3), entry.slice(0, 2));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the original path follows
  }
  return status;
}

// The paths of `relevant` (in that order) that the next commit needs after this run's `files`
// changes, given git's status from before them.
export function uncommittedAfter(before: GitStatus, files: FileResult[], relevant: string[]): Uncommitted[] {
  const isNew = (status: string | undefined) => status === '??' || status?.[0] === 'A';
  const found: Uncommitted[] = [];
  for (const path of new Set(relevant)) {
    const was = before.get(path);
    const change = files.find((file) => file.path === path)?.change ?? 'unchanged';
    if (change === 'unchanged' && was !== undefined) found.push({ path, untracked: isNew(was) });
    else if (change === 'created') found.push({ path, untracked: was === undefined || isNew(was) });
    else if (change === 'updated') found.push({ path, untracked: isNew(was) });
    // A removed file git never knew leaves nothing to commit (and `git add` would refuse its path).
    else if (change === 'removed' && was !== '??') found.push({ path, untracked: false });
  }
  return found;
}
