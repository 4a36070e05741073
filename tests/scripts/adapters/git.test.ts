import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createGit, parsePorcelain } from '../../../scripts/adapters/git.ts';
import { captureIo, testContext } from '../../helpers/io.ts';
import { gitdir, git, testdir, removeDir, removeTestdirs } from '../../helpers/testdir.ts';

const identity = {
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com',
};

function setup(dryRun = false) {
  const dir = gitdir({ 'a.txt': 'a\n', '.gitignore': 'tmp/\n' });
  const io = captureIo({ cwd: dir, env: { ...identity, HOME: dir } });
  const context = testContext(io, { dryRun });
  return { dir, io, git: createGit(context.runner, dir) };
}


// Temporary directories go after each test, failed or not.
test.after.each(removeTestdirs);
test('reads root, branch and head of a real repository', async () => {
  const { dir, git: repo } = setup();
  assert.is(await repo.root(), realpathSync(dir));
  assert.is(await repo.currentBranch(), 'main');
  assert.is(await repo.headSha(), git(dir, 'rev-parse', 'HEAD'));
  removeDir(dir);
});

test('reports changed and untracked files', async () => {
  const { dir, git: repo } = setup();
  assert.is(await repo.isClean(), true);
  writeFileSync(join(dir, 'a.txt'), 'changed\n');
  writeFileSync(join(dir, 'new file.txt'), 'n\n');
  assert.equal(await repo.status(), [
    { index: ' ', worktree: 'M', path: 'a.txt' },
    { index: '?', worktree: '?', path: 'new file.txt' },
  ]);
  assert.is(await repo.isClean(['a.txt']), false);
  assert.match(await repo.diff(['a.txt']), /-a\n\+changed/);
  removeDir(dir);
});

test('adds and commits, echoing the git commands', async () => {
  const { dir, io, git: repo } = setup();
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  await repo.add(['b.txt']);
  const sha = await repo.commit('add b');
  assert.is(sha, git(dir, 'rev-parse', 'HEAD'));
  assert.is(git(dir, 'log', '-1', '--format=%s'), 'add b');
  assert.is(await repo.isTracked('b.txt'), true);
  assert.is(await repo.isTracked('nope.txt'), false);
  assert.is(io.err(), '$ git add -- b.txt\n$ git commit -m \'add b\'\n');
  removeDir(dir);
});

test('under --dry-run a commit is only shown', async () => {
  const { dir, io, git: repo } = setup(true);
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  await repo.add(['b.txt']);
  assert.is(await repo.commit('add b'), undefined);
  assert.is(git(dir, 'rev-list', '--count', 'HEAD'), '1');
  assert.is(io.out(), "would run: git add -- b.txt\nwould run: git commit -m 'add b'\n");
  removeDir(dir);
});

test('refuses a folder that is not a repository', async () => {
  const dir = testdir();
  const context = testContext(captureIo({ cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir.replace(/\/[^/]+$/, '') } }));
  try {
    await createGit(context.runner, dir).root();
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, `${dir} is not inside a git repository`);
  }
  removeDir(dir);
});

test('parses porcelain renames', () => {
  assert.equal(parsePorcelain('R  new.txt\0old.txt\0 M x\0'), [
    { index: 'R', worktree: ' ', path: 'new.txt' },
    { index: ' ', worktree: 'M', path: 'x' },
  ]);
});

test.run();
