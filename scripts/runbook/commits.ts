// The commits that matter to a cluster: those touching clusters/<cluster> or a path one of its
// Flux Kustomizations builds, newest first, each with what changed since it.
import type { Runner } from '../exec/runner.ts';
import { clusterModel } from '../gitops/flux.ts';
import { loadTree } from '../gitops/tree.ts';

export type CommitInfo = { sha: string; date: string; author: string; subject: string; since: string };

// The repo-relative paths whose changes reach `cluster`.
export function clusterPaths(root: string, cluster: string): string[] {
  const model = clusterModel(loadTree(root), cluster);
  const paths = new Set([`clusters/${cluster}`]);
  for (const k of model.kustomizations) if (k.local && k.path) paths.add(k.path);
  return [...paths].sort();
}

// Up to `count` commits of `ref` touching `paths`, newest first, with the change since each.
export async function recentCommits(runner: Runner, root: string, ref: string, paths: readonly string[], count = 15): Promise<CommitInfo[]> {
  const git = async (args: string[]) => (await runner.run({ program: 'git', args, kind: 'read', cwd: root, purpose: `git ${args[0]}` })).stdout;
  const log = await git(['log', `-n${count}`, '--format=%H%x1f%cI%x1f%an%x1f%s', ref, '--', ...paths]);
  const commits = log.split('\n').filter(Boolean).map((line) => {
    const [sha, date, author, subject] = line.split('\x1f');
    return { sha, date, author, subject, since: '' };
  });
  for (const commit of commits) {
    commit.since = (await git(['diff', '--shortstat', commit.sha, ref, '--', ...paths])).trim() || 'no change since';
  }
  return commits;
}

// The commits after `knownGood` on `ref` that touch `paths`, newest first (what revert undoes).
export async function commitsAfter(runner: Runner, root: string, knownGood: string, ref: string, paths: readonly string[]): Promise<string[]> {
  const result = await runner.run({ program: 'git', args: ['rev-list', `${knownGood}..${ref}`, '--', ...paths], kind: 'read', cwd: root, purpose: 'git rev-list' });
  return result.stdout.split('\n').filter(Boolean);
}
