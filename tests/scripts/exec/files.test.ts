// files.ts: a set of file changes lands all or none, with a TaskError naming the path on failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError } from '../../../scripts/core/errors.ts';
import { createFiles } from '../../../scripts/exec/files.ts';
import type { RunLog } from '../../../scripts/exec/run-log.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';
import { makeReadOnly } from '../../helpers/testdir.ts';

const silentLog: RunLog = { path: 'log', written: () => false, append() {}, note() {} };

function files(root: string, dryRun = false) {
  const shown: string[] = [];
  return { files: createFiles({ root, dryRun, ui: { wouldRun: (display) => shown.push(display) }, log: silentLog }), shown };
}


// Every file under `dir`, relative, with its content.
function tree(dir: string, prefix = ''): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(found, tree(dir, path));
    else found[path] = readFileSync(join(dir, path), 'utf8');
  }
  return found;
}

test('applies writes and removals together and says what changed', async () => {
  const dir = testdir({ 'a/k.yaml': 'old\n', 'a/same.yaml': 'same\n', 'b/gone.yaml': 'x\n' });
  try {
    const results = await files(dir).files.apply([
      { path: 'c/new.yaml', content: 'new\n' },
      { path: 'a/k.yaml', content: 'changed\n' },
      { path: 'a/same.yaml', content: 'same\n' },
      { path: 'b/gone.yaml', remove: true },
      { path: 'b/never.yaml', remove: true },
    ]);
    assert.equal(results.map((r) => `${r.path} ${r.change}`), ['c/new.yaml created', 'a/k.yaml updated', 'a/same.yaml unchanged', 'b/gone.yaml removed', 'b/never.yaml unchanged']);
    assert.equal(tree(dir), { 'a/k.yaml': 'changed\n', 'a/same.yaml': 'same\n', 'c/new.yaml': 'new\n' });
  } finally {
    removeDir(dir);
  }
});

test('under dry-run reports each change and writes nothing', async () => {
  const dir = testdir({ 'a/k.yaml': 'old\n' });
  try {
    const { files: dry, shown } = files(dir, true);
    await dry.apply([{ path: 'a/new.yaml', content: 'new\n' }, { path: 'a/k.yaml', content: 'old\n' }, { path: 'a/k.yaml', remove: true }]);
    assert.equal(shown, ['write a/new.yaml (new file, 4 bytes)', 'remove a/k.yaml']);
    assert.equal(tree(dir), { 'a/k.yaml': 'old\n' });
  } finally {
    removeDir(dir);
  }
});

test('a read-only folder fails before anything is written, naming the folder and the file', async () => {
  const dir = testdir({ 'a/k.yaml': 'old\n', 'ro/keep.yaml': 'keep\n' });
  const undo = makeReadOnly(join(dir, 'ro'));
  try {
    await files(dir).files.apply([{ path: 'a/k.yaml', content: 'changed\n' }, { path: 'ro/new.yaml', content: 'new\n' }]);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.match((error as TaskError).message, /^Cannot write ro\/new\.yaml: permission denied \((EACCES|EPERM)\) on ro\. Nothing was changed\.$/);
    assert.match((error as TaskError).hint ?? '', /^Make ro writable for this user \(ls -ld ro;/);
  } finally {
    undo();
  }
  try {
    assert.equal(tree(dir), { 'a/k.yaml': 'old\n', 'ro/keep.yaml': 'keep\n' });
  } finally {
    removeDir(dir);
  }
});

test('a failure while replacing puts back the files already replaced', async () => {
  // NOTE: an immutable file (chattr +i, root only) lets every check pass and fails at its rename.
  if (process.getuid?.() !== 0) return;
  const dir = testdir({ 'a/first.yaml': 'first\n', 'a/locked.yaml': 'locked\n' });
  const undo = makeReadOnly(join(dir, 'a/locked.yaml'));
  try {
    await files(dir).files.apply([{ path: 'a/first.yaml', content: 'changed\n' }, { path: 'a/created.yaml', content: 'new\n' }, { path: 'a/locked.yaml', content: 'changed\n' }]);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.match((error as TaskError).message, /^Cannot write a\/locked\.yaml: permission denied \(EPERM\) on a\. Nothing was changed\.$/);
  } finally {
    undo();
  }
  try {
    assert.equal(tree(dir), { 'a/first.yaml': 'first\n', 'a/locked.yaml': 'locked\n' });
  } finally {
    removeDir(dir);
  }
});

test('a new folder made for a failed set is removed again', async () => {
  const dir = testdir({ 'ro/keep.yaml': 'keep\n' });
  const undo = makeReadOnly(join(dir, 'ro'));
  try {
    await files(dir).files.apply([{ path: 'new/deep/a.yaml', content: 'a\n' }, { path: 'ro/b.yaml', content: 'b\n' }]).then(
      () => assert.unreachable(),
      (error) => assert.instance(error, TaskError),
    );
  } finally {
    undo();
  }
  try {
    assert.not.ok(existsSync(join(dir, 'new')));
  } finally {
    removeDir(dir);
  }
});

test.run();
