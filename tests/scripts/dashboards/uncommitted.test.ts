import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStatus, readGitStatus, uncommittedAfter } from '../../../scripts/dashboards/uncommitted.ts';
import { gitdir, removeDir, testdir } from '../../helpers/testdir.ts';

test('reads git status -z, renames included', () => {
  assert.equal([...parseStatus('?? a b.yaml\0 M k.yaml\0R  new.yaml\0old.yaml\0A  c.yaml\0')], [
    ['a b.yaml', '??'], ['k.yaml', ' M'], ['new.yaml', 'R '], ['c.yaml', 'A '],
  ]);
});

test('git before the run plus what the run changed, in the order asked for', () => {
  const before = new Map([['cm.yaml', '??'], ['k.yaml', ' M'], ['old-cm.yaml', '??'], ['gone.yaml', ' M']]);
  const files = [
    { path: 'cm.yaml', change: 'unchanged' as const },
    { path: 'parent.yaml', change: 'updated' as const },
    { path: 'old-cm.yaml', change: 'removed' as const },
    { path: 'gone.yaml', change: 'removed' as const },
    { path: 'new.yaml', change: 'created' as const },
  ];
  assert.equal(uncommittedAfter(before, files, ['cm.yaml', 'old-cm.yaml', 'gone.yaml', 'k.yaml', 'parent.yaml', 'clean.yaml', 'new.yaml']), [
    { path: 'cm.yaml', untracked: true },
    { path: 'gone.yaml', untracked: false },
    { path: 'k.yaml', untracked: false },
    { path: 'parent.yaml', untracked: false },
    { path: 'new.yaml', untracked: true },
  ]);
});

test('asks git, and says undefined outside a repository', async () => {
  const repo = gitdir({ 'a/k.yaml': 'x\n' });
  const plain = testdir();
  try {
    writeFileSync(join(repo, 'a/k.yaml'), 'y\n');
    writeFileSync(join(repo, 'a/new.yaml'), 'n\n');
    assert.equal([...((await readGitStatus(repo, ['a'])) ?? [])], [['a/k.yaml', ' M'], ['a/new.yaml', '??']]);
    assert.is(await readGitStatus(plain, ['a']), undefined);
  } finally {
    removeDir(repo);
    removeDir(plain);
  }
});

test.run();
