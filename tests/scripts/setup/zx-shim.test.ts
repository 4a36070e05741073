import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstatSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { installShim, shimScript, SHIM_MARKER } from '../../../scripts/setup/zx-shim.ts';
import { testdir, removeDir, removeTestdirs } from '../../helpers/testdir.ts';

test.after.each(removeTestdirs);

function fakeInstall(): string {
  const dir = testdir({ 'node_modules/zx/build/cli.js': '', 'node_modules/tsx/package.json': '{}' });
  mkdirSync(join(dir, 'node_modules/.bin'));
  symlinkSync('../zx/build/cli.js', join(dir, 'node_modules/.bin/zx'));
  return dir;
}

test('replaces the zx bin link with an executable shim that loads tsx', () => {
  const dir = fakeInstall();
  assert.is(installShim(dir), 'installed');
  const bin = join(dir, 'node_modules/.bin/zx');
  assert.is(lstatSync(bin).isSymbolicLink(), false);
  assert.is(lstatSync(bin).mode & 0o111, 0o111);
  assert.is(readFileSync(bin, 'utf8'), shimScript());
  assert.ok(shimScript().includes(SHIM_MARKER));
  assert.is(installShim(dir), 'unchanged');
  removeDir(dir);
});

test('does nothing when zx or tsx is not installed', () => {
  const dir = testdir({ 'node_modules/zx/build/cli.js': '' });
  assert.is(installShim(dir), 'skipped');
  removeDir(dir);
});

test('the installed shim of this repository is current', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  assert.is(readFileSync(join(root, 'node_modules/.bin/zx'), 'utf8'), shimScript());
});

test.run();
