// A temporary clone-like repository of this GitOps tree (clusters/ and infrastructure/ copied,
// committed on main) with a local bare remote as origin, for tasks that work with git and Flux.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git, testdir } from './testdir.ts';
import { REPO } from './run-task-process.ts';

export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Dev Person', GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev Person', GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

// The repository (`root`) and its bare remote (`remote`), both in one temporary directory (`dir`).
export function workRepo(): { dir: string; root: string; remote: string } {
  const dir = testdir();
  const root = join(dir, 'repo');
  const remote = join(dir, 'remote.git');
  mkdirSync(root);
  for (const tree of ['clusters', 'infrastructure']) cpSync(join(REPO, tree), join(root, tree), { recursive: true });
  cpSync(join(REPO, '.gitignore'), join(root, '.gitignore'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', IDENTITY.GIT_AUTHOR_NAME);
  git(root, 'config', 'user.email', IDENTITY.GIT_AUTHOR_EMAIL);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  git(dir, 'init', '-q', '--bare', remote);
  git(root, 'remote', 'add', 'origin', remote);
  git(root, 'push', '-q', 'origin', 'main');
  return { dir, root, remote };
}
