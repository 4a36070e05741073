// Temporary directories with inline file trees, and temporary git repositories with real commits.
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

export type FileTree = Record<string, string>;

// Every directory testdir made in this process and not removed yet.
const made = new Set<string>();
let exitHook = false;

// Creates a fresh temporary directory holding `files` (paths relative to it).
export function testdir(files: FileTree = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-tasks-'));
  if (!exitHook) process.once('exit', removeTestdirs);
  exitHook = true;
  made.add(dir);
  writeTree(dir, files);
  return dir;
}

// Writes `files` under `dir`, creating parent folders.
export function writeTree(dir: string, files: FileTree): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

// Removes a directory made by testdir.
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

// Removes every directory testdir (so gitdir, dashboardRepo, simContext) made and not removed yet.
// A test file whose tests each make their own installs it once: `test.after.each(removeTestdirs)`;
// uvu runs after.each hooks after a failed test too, so a failing assertion leaves nothing behind
// (like a `finally`). Not for a directory made in test.before and shared by the tests: remove that
// one in test.after. As a last resort it also runs when the process exits.
export function removeTestdirs(): void {
  for (const dir of [...made]) removeDir(dir);
}

// Runs git in `dir` with a fixed identity, returning trimmed stdout.
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1', HOME: dir,
    },
  }).trim();
}

// A temporary git repository on branch main with `files` committed as the first commit.
export function gitdir(files: FileTree = { 'README.md': '# test\n' }): string {
  const dir = testdir(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

// Runs `run` in a fresh testdir holding `files`, removing it afterwards even when `run` throws.
export function withTestdir(files: FileTree, run: (dir: string) => void): void {
  const dir = testdir(files);
  try {
    run(dir);
  } finally {
    removeDir(dir);
  }
}

// Makes `path` unwritable even for root (chattr +i), or by mode for other users; returns the undo.
export function makeReadOnly(path: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', path]);
    return () => execFileSync('chattr', ['-i', path]);
  }
  chmodSync(path, 0o555);
  return () => chmodSync(path, 0o755);
}
