import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { defineTask } from '../../../scripts/task/define.ts';
import { needsSchemaCheck, runTask, scriptArguments, withDefaults } from '../../../scripts/task/run-task.ts';
import { TaskError, InterruptedError } from '../../../scripts/core/errors.ts';
import { captureIo } from '../../helpers/io.ts';
import { testdir, removeDir, writeTree } from '../../helpers/testdir.ts';

const ok = defineTask({
  name: 'ok',
  summary: 'succeeds',
  arguments: [{ name: 'name', description: 'who', required: true }],
  options: { loud: { type: 'boolean', description: 'shout' } },
  run: async (options, context) => context.ui.result(`hello ${options.name}${options.loud ? '!' : ''}`),
});

test('runs a task with typed options and exits 0', async () => {
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(ok, ['world', '--loud'], io), 0);
  assert.is(io.out(), 'hello world!\n');
  removeDir(io.cwd);
});

test('prints help on stdout and exits 0 without running', async () => {
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(ok, ['--help'], io), 0);
  assert.match(io.out(), /^ok — succeeds\n\nUsage: npx zx tasks\/ok.ts <name> \[options\]\n/);
  removeDir(io.cwd);
});

test('a usage error prints the problem and the usage, exit 2', async () => {
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(ok, [], io), 2);
  assert.is(io.err(), 'error: missing argument <name>\n\nUsage: npx zx tasks/ok.ts <name> [options]\nRun with --help for all options.\n');
  assert.is(io.out(), '');
  removeDir(io.cwd);
});

test('an expected failure prints message, command, details and next step without a stack, exit 1', async () => {
  const failing = defineTask({
    name: 'fail',
    summary: 's',
    run: async () => {
      throw new TaskError('kubectl apply failed (exit 1)', { command: 'kubectl apply -f x.yaml', details: 'Error from server (Invalid): bad', hint: 'fix x.yaml' });
    },
  });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(failing, [], io), 1);
  assert.is(
    io.err(),
    '✗ kubectl apply failed (exit 1)\n  command: kubectl apply -f x.yaml\n  │ Error from server (Invalid): bad\n  next: fix x.yaml\n',
  );
  removeDir(io.cwd);
});

test('names the run log in a failure once a command was logged', async () => {
  const failing = defineTask({
    name: 'fail',
    summary: 's',
    run: async (_, context) => {
      await context.runner.run({ program: 'sh', args: ['-c', 'exit 2'], kind: 'read', purpose: 'the check' });
    },
  });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(failing, [], io), 1);
  assert.match(io.err(), /^✗ the check failed \(exit 2\)\n  command: sh -c 'exit 2'\n  run log: tmp\/logs\/\S+-fail-\d+\.log\n$/);
  removeDir(io.cwd);
});

test('a bug prints its stack and exits 1', async () => {
  const buggy = defineTask({ name: 'bug', summary: 's', run: async () => { throw new RangeError('oops'); } });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(buggy, [], io), 1);
  assert.match(io.err(), /^✗ internal error in bug \(this is a bug; please report it\):\nRangeError: oops\n    at /);
  removeDir(io.cwd);
});

test('an interruption exits 130', async () => {
  const stopped = defineTask({ name: 'stop', summary: 's', run: async () => { throw new InterruptedError('interrupted (Ctrl-C)'); } });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(stopped, [], io), 130);
  assert.is(io.err(), '✗ interrupted (Ctrl-C)\n');
  removeDir(io.cwd);
});

test('a confirmation without a terminal fails naming --yes instead of waiting', async () => {
  const asking = defineTask({
    name: 'ask',
    summary: 's',
    run: async (_, context) => {
      if (await context.ask.confirm('Delete everything?')) context.ui.result('confirmed');
    },
  });
  const io = captureIo({ cwd: testdir(), tty: false });
  assert.is(await runTask(asking, [], io), 2);
  assert.match(io.err(), /^error: "Delete everything\?" needs an answer, and there is no terminal to ask on: pass --yes to confirm\n/);
  const yes = captureIo({ cwd: testdir() });
  assert.is(await runTask(asking, ['--yes'], yes), 0);
  assert.is(yes.out(), 'confirmed\n');
  removeDir(io.cwd);
  removeDir(yes.cwd);
});

test('CI counts as non-interactive even on a terminal', async () => {
  const asking = defineTask({ name: 'ask', summary: 's', run: async (_, context) => void (await context.ask.confirm('Go?')) });
  const io = captureIo({ cwd: testdir(), tty: true, env: { CI: 'true' } });
  assert.is(await runTask(asking, [], io), 2);
  removeDir(io.cwd);
});

test('finds the script arguments only when the module is the script run', () => {
  const dir = testdir({ 'tasks/x.ts': '' });
  const file = join(dir, 'tasks/x.ts');
  const url = pathToFileURL(file).href;
  assert.equal(scriptArguments(url, ['node', '/usr/lib/zx/cli.js', file, '--help']), ['--help']);
  assert.equal(scriptArguments(url, ['node', file, 'a']), ['a']);
  assert.is(scriptArguments(url, ['node', '/other.ts']), undefined);
  removeDir(dir);
});

function runProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import=tsx/esm', ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

test('a task file run as a process sets the exit code and prints no stack for expected failures', async () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dir = testdir();
  writeTree(dir, {
    'package.json': '{"type":"module"}',
    'tasks/boom.ts': `import { defineTask } from '${root}scripts/task/define.ts';
import { runIfMain } from '${root}scripts/task/run-task.ts';
import { TaskError } from '${root}scripts/core/errors.ts';
const task = defineTask({ name: 'boom', summary: 's', run: async () => { throw new TaskError('it broke', { hint: 'retry' }); } });
export default task;
await runIfMain(task, import.meta.url);
`,
  });
  const result = await runProcess([join(dir, 'tasks/boom.ts')]);
  assert.is(result.code, 1);
  assert.is(result.stderr, '✗ it broke\n  next: retry\n');
  const usage = await runProcess([join(dir, 'tasks/boom.ts'), '--nope']);
  assert.is(usage.code, 2);
  removeDir(dir);
});

test('flags alone skip ajv and get the same defaults ajv would give', async () => {
  const { validateArgs } = await import('../../../scripts/task/validate.ts');
  const flagsOnly = defineTask({
    name: 'flags',
    summary: 's',
    options: { json: { type: 'boolean', description: 'j' }, restart: { type: 'boolean', description: 'r', default: true }, mode: { type: 'string', description: 'm', default: 'auto', choices: ['auto', 'x'] } },
    run: async () => {},
  });
  const raw = { values: { json: true }, positionals: [] };
  assert.is(needsSchemaCheck(flagsOnly, raw), false);
  assert.equal(withDefaults(flagsOnly, raw), validateArgs(flagsOnly, raw));
  assert.is(needsSchemaCheck(flagsOnly, { values: { mode: 'y' }, positionals: [] }), true);
  assert.is(needsSchemaCheck(ok, { values: {}, positionals: [] }), true, 'a required argument is always checked');
});

test('starts loading the implementation (task.load) for a run, never for --help', async () => {
  const loads: string[] = [];
  const lazy = defineTask({
    name: 'lazy',
    summary: 's',
    load: async () => void loads.push('loaded'),
    run: async (_, context) => context.ui.result(`ran after ${loads.length} load`),
  });
  const help = captureIo({ cwd: testdir() });
  assert.is(await runTask(lazy, ['--help'], help), 0);
  assert.equal(loads, []);
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(lazy, [], io), 0);
  assert.is(io.out(), 'ran after 1 load\n');
  removeDir(help.cwd);
  removeDir(io.cwd);
});

test('Ctrl-C stops the running command and exits 130', async () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dir = testdir({
    'package.json': '{"type":"module"}',
    'tasks/wait.ts': `import { defineTask } from '${root}scripts/task/define.ts';
import { runIfMain } from '${root}scripts/task/run-task.ts';
const task = defineTask({ name: 'wait', summary: 's', run: async (_, context) => {
  process.stdout.write('started\\n');
  await context.runner.run({ program: 'sleep', args: ['30'], kind: 'read' });
} });
export default task;
await runIfMain(task, import.meta.url);
`,
  });
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import=tsx/esm', join(dir, 'tasks/wait.ts')], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 130);
  assert.match(stderr, /^✗ interrupted \(Ctrl-C\)\n/);
  removeDir(dir);
});

test('npm run starts a task through the loader in .npmrc', async () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile('npm', ['run', '--silent', 'tasks', '--', '--help'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } }, (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, stdout }),
    ),
  );
  assert.is(result.code, 0);
  assert.match(result.stdout, /^index — list the tasks of this repository with their usage\n/);
});

test.run();
