// The applied revision against the local origin/<branch>, with real git in temporary repositories.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareWithOrigin, describeRevision } from '../../../scripts/status/origin.ts';
import { testContext, captureIo } from '../../helpers/io.ts';
import { git, gitdir, removeDir, testdir, writeTree } from '../../helpers/testdir.ts';

// A clone whose origin has commits a, b (origin/main at b); `local` is a commit only the clone has.
function repos() {
  const origin = gitdir({ 'a.txt': 'a\n' });
  const a = git(origin, 'rev-parse', 'HEAD');
  writeTree(origin, { 'b.txt': 'b\n' });
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'b');
  const b = git(origin, 'rev-parse', 'HEAD');
  const clone = testdir();
  git(clone, 'clone', '-q', origin, '.');
  writeTree(clone, { 'c.txt': 'c\n' });
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', 'local');
  const local = git(clone, 'rev-parse', 'HEAD');
  return { origin, clone, a, b, local };
}

test('up to date, behind, ahead, diverged, unknown to the clone, no origin, nothing applied', async () => {
  const { origin, clone, a, b, local } = repos();
  const plain = testdir();
  try {
    const runner = testContext(captureIo({ cwd: clone })).runner;
    const check = (cwd: string, applied: string | undefined) => compareWithOrigin(runner, cwd, applied, 'main');
    const up = await check(clone, `main@sha1:${b}`);
    assert.equal(up, { applied: `main@sha1:${b}`, branch: 'main', origin: b, state: 'up-to-date', behind: 0, ahead: 0 });
    assert.is(describeRevision(up), `applied main@sha1:${b.slice(0, 8)} = origin/main`);
    const behind = await check(clone, `main@sha1:${a}`);
    assert.is(describeRevision(behind), `applied main@sha1:${a.slice(0, 8)}, 1 commit behind origin/main (${b.slice(0, 8)})`);
    const ahead = await check(clone, `main@sha1:${local}`);
    assert.is(describeRevision(ahead), `applied main@sha1:${local.slice(0, 8)}, 1 commit ahead of the local origin/main (${b.slice(0, 8)}): git fetch origin`);
    git(clone, 'checkout', '-q', '-b', 'side', a);
    writeTree(clone, { 'd.txt': 'd\n' });
    git(clone, 'add', '-A');
    git(clone, 'commit', '-q', '-m', 'side');
    const side = git(clone, 'rev-parse', 'HEAD');
    const diverged = await check(clone, `main@sha1:${side}`);
    assert.equal([diverged.state, diverged.ahead, diverged.behind], ['diverged', 1, 1]);
    const unknown = await check(clone, `main@sha1:${'f'.repeat(40)}`);
    assert.is(describeRevision(unknown), `applied main@sha1:ffffffff, not in the local repository (origin/main is ${b.slice(0, 8)}): git fetch origin`);
    assert.is(describeRevision(await check(plain, `main@sha1:${b}`)), `applied main@sha1:${b.slice(0, 8)}; no local origin/main to compare with`);
    assert.is(describeRevision(await check(clone, undefined)), 'nothing applied yet');
  } finally {
    for (const dir of [origin, clone, plain]) removeDir(dir);
  }
});

test.run();
