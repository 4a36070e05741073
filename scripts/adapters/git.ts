// git, through the injected command runner, in one repository. Reads always run; commits and
// other changes obey --dry-run and are echoed.
import { TaskError } from '../core/errors.ts';
import type { CommandResult, Runner } from '../exec/runner.ts';

export type GitStatusEntry = { index: string; worktree: string; path: string };

export type Git = ReturnType<typeof createGit>;

// Creates the git adapter for the repository at `cwd`.
export function createGit(runner: Runner, cwd: string) {
  const git = (kind: 'read' | 'write', args: readonly string[], purpose?: string, okExitCodes?: number[]): Promise<CommandResult> =>
    runner.run({ program: 'git', args, kind, touches: kind === 'write' ? 'git' : undefined, cwd, purpose: purpose ?? `git ${args[0]}`, okExitCodes });

  return {
    // The top folder of the repository, or a TaskError when `cwd` is not in one.
    async root(): Promise<string> {
      const result = await git('read', ['rev-parse', '--show-toplevel'], undefined, [128]);
      if (result.exitCode !== 0) throw new TaskError(`${cwd} is not inside a git repository`, { hint: 'run the task from a clone of the GitOps repository' });
      return result.stdout.trim();
    },

    async currentBranch(): Promise<string> {
      return (await git('read', ['rev-parse', '--abbrev-ref', 'HEAD'])).stdout.trim();
    },

    async headSha(): Promise<string> {
      return (await git('read', ['rev-parse', 'HEAD'])).stdout.trim();
    },

    // Changed and untracked files (`git status --porcelain=v1`), optionally limited to paths.
    async status(paths: readonly string[] = []): Promise<GitStatusEntry[]> {
      const result = await git('read', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
      return parsePorcelain(result.stdout);
    },

    async isClean(paths: readonly string[] = []): Promise<boolean> {
      return (await this.status(paths)).length === 0;
    },

    async add(paths: readonly string[]): Promise<void> {
      await git('write', ['add', '--', ...paths]);
    },

    // Commits what is staged (or only `paths` when given); returns the new sha (undefined under --dry-run).
    async commit(message: string, paths: readonly string[] = []): Promise<string | undefined> {
      const result = await git('write', ['commit', '-m', message, ...(paths.length ? ['--', ...paths] : [])], 'git commit');
      if (result.skipped) return undefined;
      return this.headSha();
    },

    // The diff of the working tree against HEAD for `paths` (empty when unchanged).
    async diff(paths: readonly string[] = []): Promise<string> {
      return (await git('read', ['diff', 'HEAD', '--', ...paths])).stdout;
    },

    // Whether `path` is tracked by git.
    async isTracked(path: string): Promise<boolean> {
      const result = await git('read', ['ls-files', '--error-unmatch', '--', path], undefined, [1]);
      return result.exitCode === 0;
    },
  };
}

// Parses `git status --porcelain=v1 -z` (renames carry their old path as a second field).
export function parsePorcelain(text: string): GitStatusEntry[] {
  const fields = text.split('\0');
  const entries: GitStatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    const entry = { index: field[0], worktree: field[1], path: field.slice(3) };
    entries.push(entry);
    if (entry.index === 'R' || entry.index === 'C') i++;
  }
  return entries;
}
