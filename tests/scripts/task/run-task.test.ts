import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { defineCommand, defineTask } from '../../../scripts/task/define.ts';
import { needsSchemaCheck, runTask, scriptArguments, withDefaults } from '../../../scripts/task/run-task.ts';
import { TaskError } from '../../../scripts/core/errors.ts';
import { captureIo } from '../../helpers/io.ts';
import { testdir, removeDir, writeTree, removeTestdirs } from '../../helpers/testdir.ts';

const ok = defineTask({
  name: 'ok',
  summary: 'succeeds',
  arguments: [{ name: 'name', description: 'who', required: true }],
  options: { loud: { type: 'boolean', description: 'shout' } },
  run: async (options, context) => context.ui.result(`hello ${options.name}${options.loud ? '!' : ''}`),
});


// Temporary directories go after each test, failed or not.
test.after.each(removeTestdirs);
test('runs a task with typed options and exits 0', async () => {
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(ok, ['world', '--loud'], io), 0);
  assert.is(io.out(), 'hello world!\n');
  removeDir(io.cwd);
});

test('a read-only task runs with dryRun and yes false in its context', async () => {
  const check = defineTask({
    name: 'check',
    summary: 's',
    readOnly: true,
    options: { level: { type: 'integer', description: 'n' } },
    run: async (options, context) => context.ui.result(`dryRun=${context.dryRun} yes=${context.yes} level=${options.level}`),
  });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(check, [], io), 0);
  assert.is(await runTask(check, ['--level', '2'], io), 0);
  assert.is(io.out(), 'dryRun=false yes=false level=undefined\ndryRun=false yes=false level=2\n');
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
  assert.match(io.err(), /^✗ the check failed \(exit 2\)\n  command: sh -c 'exit 2'\n  next: read the message above, fix what it names, and run the task again \(--verbose shows every command's output\)\n  run log: tmp\/logs\/\S+-fail-\d+\.log\n$/);
  const log = readFileSync(join(io.cwd, io.err().split('run log: ')[1].trim()), 'utf8');
  assert.match(log, /\n\S+ failed exit=2 \d+\.\d{3}s sh -c 'exit 2'\n\S+ note failed: the check failed \(exit 2\)\n$/);
  removeDir(io.cwd);
});

test('a bug prints its stack and exits 1', async () => {
  const buggy = defineTask({ name: 'bug', summary: 's', run: async () => { throw new RangeError('oops'); } });
  const io = captureIo({ cwd: testdir() });
  assert.is(await runTask(buggy, [], io), 1);
  assert.match(io.err(), /^✗ internal error in bug \(this is a bug; please report it\):\nRangeError: oops\n    at /);
  removeDir(io.cwd);
});

test('an interruption of a real step list exits 130 and no later step runs', async () => {
  const ran: string[] = [];
  const stepped = defineTask({
    name: 'stop',
    summary: 's',
    run: async (_, context) => {
      await context.steps([
        { title: 'first', run: async () => void ran.push('first') },
        { title: 'slow', run: async () => void (await context.runner.run({ program: 'sleep', args: ['30'], kind: 'read' })) },
        { title: 'last', run: async () => void ran.push('last') },
      ]);
    },
  });
  const outer = new AbortController();
  const io = { ...captureIo({ cwd: testdir() }), signal: outer.signal };
  try {
    const run = runTask(stepped, [], io);
    for (let i = 0; i < 200 && !ran.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    outer.abort();
    assert.is(await run, 130);
    assert.equal(ran, ['first']);
    assert.match(io.err(), /✗ interrupted \(Ctrl-C\): stopped while running: sleep 30\n  run log: \S+\n$/);
  } finally {
    removeDir(io.cwd);
  }
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

test('npm run starts a task through the loader in .npmrc', async () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile('npm', ['run', '--silent', 'tasks', '--', '--help'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } }, (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, stdout }),
    ),
  );
  assert.is(result.code, 0);
  assert.match(result.stdout, /^index — list the tasks of this repository with their usage \(at a terminal: pick one to run\)\n/);
});

test('undo steps run after a failure, latest first, and what is left is printed last and logged', async () => {
  const done: string[] = [];
  const failing = defineTask({
    name: 'multi',
    summary: 's',
    run: async (_, context) => {
      await context.runner.run({ program: 'true', args: [], kind: 'read' });
      context.recover('step one changed things: run `fix one` to finish');
      context.onFailure('put back one', async () => void done.push('one'));
      const two = context.recover('step two is half done');
      context.onFailure('put back two', async () => {
        done.push('two');
        two.done();
      });
      context.onFailure('put back three', async () => {
        throw new Error('cannot reach it');
      });
      throw new TaskError('step three failed', { hint: 'see above' });
    },
  });
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(failing, [], io), 1);
    assert.equal(done, ['two', 'one']);
    const err = io.err();
    assert.match(
      err,
      /^✗ step three failed\n  next: see above\n⚠ could not undo: put back three: cannot reach it\n✔ undone: put back two\n✔ undone: put back one\n  run log: (\S+)\nWhat is left to do:\n  • step one changed things: run `fix one` to finish\n  • not undone: put back three\n$/,
    );
    const log = readFileSync(join(io.cwd, /run log: (\S+)/.exec(err)![1]), 'utf8');
    assert.match(log, /note left to do: step one changed things: run `fix one` to finish\n.* note left to do: not undone: put back three\n$/);
  } finally {
    removeDir(io.cwd);
  }
});

test('recovery lines resolved before the end are not printed', async () => {
  const task = defineTask({
    name: 'tidy',
    summary: 's',
    run: async (_, context) => {
      context.recover('pending').done();
      throw new TaskError('later failure', { hint: 'retry' });
    },
  });
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(task, [], io), 1);
    assert.is(io.err(), '✗ later failure\n  next: retry\n  run log: ' + /run log: (\S+)/.exec(io.err())![1] + '\n');
  } finally {
    removeDir(io.cwd);
  }
});

test('every failure has a next step, even without a hint', async () => {
  const task = defineTask({ name: 'bare', summary: 's', run: async () => { throw new TaskError('it failed'); } });
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(task, [], io), 1);
    assert.is(io.err(), "✗ it failed\n  next: read the message above, fix what it names, and run the task again (--verbose shows every command's output)\n");
  } finally {
    removeDir(io.cwd);
  }
});

const flow = defineTask({
  name: 'flow',
  summary: 'commands',
  commands: {
    start: defineCommand({
      summary: 'start',
      arguments: [{ name: 'description', description: 'what for', required: true }],
      options: { mode: { type: 'string', description: 'how', choices: ['fast', 'slow'], default: 'fast' } },
      run: async (options, context) => context.ui.result(`start ${options.description} ${options.mode}`),
    }),
    diff: defineCommand({ summary: 'diff', run: async () => 1 }),
  },
});

test('runs the command named in argv, flags before or after it', async () => {
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(flow, ['--mode', 'slow', 'start', 'work'], io), 0);
    assert.is(await runTask(flow, ['start', 'again'], io), 0);
    assert.is(io.out(), 'start work slow\nstart again fast\n');
  } finally {
    removeDir(io.cwd);
  }
});

test('a command resolving to a number exits with it', async () => {
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(flow, ['diff'], io), 1);
    assert.is(io.err(), '');
  } finally {
    removeDir(io.cwd);
  }
});

test('a missing or unknown command is a usage error without a terminal; --help lists the commands', async () => {
  const io = captureIo({ cwd: testdir() });
  try {
    assert.is(await runTask(flow, [], io), 2);
    assert.is(io.err(), 'error: missing command: one of start, diff\n\nUsage: npx zx tasks/flow.ts <start|diff> [options]\nRun with --help for all options.\n');
    const unknown = captureIo({ cwd: io.cwd });
    assert.is(await runTask(flow, ['strat', 'x'], unknown), 2);
    assert.match(unknown.err(), /^error: unknown command "strat" \(did you mean start\?\); the commands are: start, diff\n/);
    const help = captureIo({ cwd: io.cwd });
    assert.is(await runTask(flow, ['--help'], help), 0);
    assert.match(help.out(), /^flow — commands\n\nUsage: npx zx tasks\/flow.ts <start\|diff> \[options\]\n\nCommands:\n/);
    const commandHelp = captureIo({ cwd: io.cwd });
    assert.is(await runTask(flow, ['start', '--help'], commandHelp), 0);
    assert.match(commandHelp.out(), /^flow start — start\n\nUsage: npx zx tasks\/flow.ts start <description> \[options\]\n/);
    const badChoice = captureIo({ cwd: io.cwd });
    assert.is(await runTask(flow, ['start', 'x', '--mode', 'medium'], badChoice), 2);
    assert.match(badChoice.err(), /^error: --mode must be one of: fast, slow\n\nUsage: npx zx tasks\/flow.ts start <description> \[options\]\n/);
  } finally {
    removeDir(io.cwd);
  }
});

test('a cluster task resolves its kube context before it runs, and refuses one that does not exist', async () => {
  const ran: (string | undefined)[] = [];
  const clusterTask = defineTask({ name: 'c', summary: 's', cluster: true, run: async (_, context) => void ran.push(context.kubeContext) });
  const dir = testdir({
    kubeconfig: 'apiVersion: v1\nkind: Config\ncurrent-context: staging\nclusters: [{name: x, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: staging, context: {cluster: x, user: u}}, {name: production, context: {cluster: x, user: u}}]\n',
  });
  try {
    const env = { KUBECONFIG: join(dir, 'kubeconfig') };
    assert.is(await runTask(clusterTask, [], captureIo({ cwd: dir, env })), 0);
    assert.is(await runTask(clusterTask, ['--context', 'production'], captureIo({ cwd: dir, env })), 0);
    assert.equal(ran, ['staging', 'production']);
    const io = captureIo({ cwd: dir, env });
    assert.is(await runTask(clusterTask, ['--context', 'prod'], io), 1);
    assert.equal(ran, ['staging', 'production'], 'the task did not run');
    assert.match(io.err(), /^✗ kube context "prod" does not exist\n  │ contexts that exist: production, staging\n  next: pass --context with one of them: --context production\n/);
  } finally {
    removeDir(dir);
  }
});

test('warns about secret-named variables too short to mask', async () => {
  const io = captureIo({ cwd: testdir(), env: { X_TOKEN: 'e' } });
  try {
    assert.is(await runTask(ok, ['me'], io), 0);
    assert.is(io.err(), '⚠ X_TOKEN looks like a secret but its value is too short to mask (1 character): it is not hidden in output\n');
    assert.is(io.out(), 'hello me\n', 'short values are not masked');
  } finally {
    removeDir(io.cwd);
  }
});

test.run();
