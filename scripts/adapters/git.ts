// git, through the injected command runner, in one repository. Reads always run; commits and
// other changes obey --dry-run and are echoed. A failure becomes a GitError that says what it
// means (a conflict, no identity, a rejected push, …) and what to do next.
import { CommandError, TaskError } from '../core/errors.ts';
import type { CommandResult, Runner } from '../exec/runner.ts';

export type GitStatusEntry = { index: string; worktree: string; path: string };

export type GitErrorKind = 'Conflict' | 'NoIdentity' | 'Rejected' | 'WouldOverwrite' | 'NotARepository' | 'Other';

// A failed git command, with the kind of failure read from git's message.
export class GitError extends CommandError {
  override name = 'GitError';
  gitKind: GitErrorKind;
  constructor(cause: CommandError, kind: GitErrorKind, hint: string | undefined) {
    super(cause.message, cause, { details: cause.details, hint, cause });
    this.gitKind = kind;
  }
}

// Reads git's error output.
export function classifyGitError(stderr: string, stdout = ''): GitErrorKind {
  const text = `${stderr}\n${stdout}`;
  if (/^CONFLICT |Merge conflict|could not apply|needs merge|unmerged files/m.test(text)) return 'Conflict';
  if (/Please tell me who you are|unable to auto-detect email address/.test(text)) return 'NoIdentity';
  if (/\[rejected\]|failed to push some refs|non-fast-forward/.test(text)) return 'Rejected';
  if (/would be overwritten by (checkout|merge)|untracked working tree files would be/.test(text)) return 'WouldOverwrite';
  if (/not a git repository/.test(text)) return 'NotARepository';
  return 'Other';
}

function gitHint(kind: GitErrorKind): string | undefined {
  switch (kind) {
    case 'Conflict':
      return 'resolve the conflicts (git status lists them), `git add` the files, then run the task again';
    case 'NoIdentity':
      return 'tell git who you are: git config --global user.name "Your Name" && git config --global user.email you@example.com';
    case 'Rejected':
      return 'the remote has commits you do not have: git pull --rebase, then run the task again';
    case 'WouldOverwrite':
      return 'commit or stash your local changes first (git stash push -u), then run the task again';
    case 'NotARepository':
      return 'run the task from a clone of the GitOps repository';
    case 'Other':
      return undefined;
  }
}

export type Git = ReturnType<typeof createGit>;

// Creates the git adapter for the repository at `cwd`.
export function createGit(runner: Runner, cwd: string) {
  async function git(kind: 'read' | 'write', args: readonly string[], purpose?: string, okExitCodes?: number[]): Promise<CommandResult> {
    try {
      return await runner.run({ program: 'git', args, kind, touches: kind === 'write' ? 'git' : undefined, cwd, purpose: purpose ?? `git ${args[0]}`, okExitCodes });
    } catch (error) {
      if (!(error instanceof CommandError) || error.exitCode === 127) throw error;
      const kind = classifyGitError(error.stderr, error.stdout);
      throw new GitError(error, kind, error.hint ?? gitHint(kind));
    }
  }
  const out = async (args: readonly string[]) => (await git('read', args)).stdout.trim();

  return {
    // The top folder of the repository, or a TaskError when `cwd` is not in one.
    async root(): Promise<string> {
      const result = await git('read', ['rev-parse', '--show-toplevel'], undefined, [128]);
      if (result.exitCode !== 0) throw new TaskError(`${cwd} is not inside a git repository`, { hint: 'run the task from a clone of the GitOps repository' });
      return result.stdout.trim();
    },

    currentBranch: () => out(['rev-parse', '--abbrev-ref', 'HEAD']),

    headSha: () => out(['rev-parse', 'HEAD']),

    // The commit `ref` names, or undefined when it names none.
    async resolve(ref: string): Promise<string | undefined> {
      const result = await git('read', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], undefined, [1]);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },

    async branchExists(branch: string): Promise<boolean> {
      const result = await git('read', ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], undefined, [1]);
      return result.exitCode === 0;
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

    // Stages everything (new files too) and commits it; returns the new sha (undefined under --dry-run).
    async commitAll(message: string): Promise<string | undefined> {
      await git('write', ['add', '-A']);
      return this.commit(message);
    },

    // Creates `branch` at `from` and switches to it.
    async switchNew(branch: string, from: string): Promise<void> {
      await git('write', ['switch', '-c', branch, from], `create branch ${branch}`);
    },

    async switchTo(branch: string): Promise<void> {
      await git('write', ['switch', branch], `switch to ${branch}`);
    },

    // Stashes every change, untracked files too; returns whether anything was stashed.
    async stash(message: string): Promise<boolean> {
      if (await this.isClean()) return false;
      await git('write', ['stash', 'push', '--include-untracked', '-m', message], 'git stash');
      return true;
    },

    // Moves the branch to `sha`, keeping the work tree and index (to squash commits into one).
    async resetSoft(sha: string): Promise<void> {
      await git('write', ['reset', '--soft', sha], 'squash the checkpoints');
    },

    async updateRef(ref: string, sha: string): Promise<void> {
      await git('write', ['update-ref', ref, sha]);
    },

    async deleteRef(ref: string): Promise<void> {
      await git('write', ['update-ref', '-d', ref]);
    },

    // Commits in `from..to`.
    async countCommits(from: string, to: string): Promise<number> {
      return Number(await out(['rev-list', '--count', `${from}..${to}`]));
    },

    // Files changed between `from` and the work tree (committed or not), repo-relative.
    async changedSince(from: string): Promise<string[]> {
      const committed = (await out(['diff', '--name-only', from])).split('\n').filter(Boolean);
      const untracked = (await this.status()).filter((e) => e.index === '?').map((e) => e.path);
      return [...new Set([...committed, ...untracked])].sort();
    },

    async remoteUrl(remote: string): Promise<string | undefined> {
      const result = await git('read', ['remote', 'get-url', remote], undefined, [2, 128]);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },

    async push(remote: string, branch: string): Promise<void> {
      await git('write', ['push', '--set-upstream', remote, branch], `push ${branch} to ${remote}`);
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
