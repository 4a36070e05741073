import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineCommand, defineTask, type AnyRunnable } from '../../../scripts/task/define.ts';
import { commandsHelpText, describeTask, helpText, usageLine, type RunnableDescription } from '../../../scripts/task/describe.ts';
import { formatTaskList } from '../../../scripts/task/registry.ts';

const task = defineTask({
  name: 'demo',
  summary: 'do a demo',
  description: 'Longer words.',
  arguments: [{ name: 'name', description: 'a name', required: true }, { name: 'extra', description: 'more' }],
  options: {
    category: { type: 'string', description: 'category', default: 'auto', choices: ['auto', 'loki'] },
    restart: { type: 'boolean', description: 'restart Grafana', default: true },
    file: { type: 'string', description: 'input', placeholder: 'path' },
  },
  cluster: true,
  examples: ['grafana --dry-run'],
  run: async () => {},
});

test('builds the usage line from the arguments', () => {
  assert.is(usageLine(task), 'npx zx tasks/demo.ts <name> [extra] [options]');
});

test('prints help with arguments, options, defaults and examples', () => {
  assert.is(
    helpText(task),
    [
      'demo — do a demo',
      '',
      'Usage: npx zx tasks/demo.ts <name> [extra] [options]',
      '',
      'Longer words.',
      '',
      'Arguments:',
      '  <name>   a name',
      '  <extra>  more (optional)',
      '',
      'Options:',
      '  --category <auto|loki>  category (default: auto)',
      '  --no-restart            restart Grafana',
      '  --file <path>           input',
      '  --dry-run               show every command that would change something, run none of them',
      '  --yes                   answer yes to confirmations (needed without a terminal)',
      '  --verbose               show the output of every command',
      '  --quiet                 print only errors and results',
      '  --help                  show this help',
      '  --context <name>        kube context to use (default: the current context when the run starts)',
      '',
      'Examples:',
      '  npx zx tasks/demo.ts grafana --dry-run',
      '',
    ].join('\n'),
  );
});

test('describes a task as JSON with types, defaults and choices', () => {
  const description = describeTask(task) as RunnableDescription;
  assert.equal(description.arguments, [
    { name: 'name', description: 'a name', required: true },
    { name: 'extra', description: 'more', required: false },
  ]);
  assert.equal(description.options.slice(0, 3), [
    { name: 'category', flag: '--category', type: 'string', description: 'category', default: 'auto', choices: ['auto', 'loki'] },
    { name: 'restart', flag: '--no-restart', type: 'boolean', description: 'restart Grafana', default: true },
    { name: 'file', flag: '--file', type: 'string', description: 'input' },
  ]);
  assert.equal(description.options.map((o) => o.flag).slice(3), ['--dry-run', '--yes', '--verbose', '--quiet', '--help', '--context']);
});

test('a read-only task has no --dry-run or --yes; a value that may be left out shows in brackets', () => {
  const check = defineTask({
    name: 'check',
    summary: 'check things',
    readOnly: true,
    options: {
      changed: { type: 'string', description: 'since <base>', placeholder: 'base', valueWhenBare: '' },
      mode: { type: 'string', description: 'mode', choices: ['a', 'b'], valueWhenBare: 'a' },
    },
    run: async () => {},
  });
  assert.is(helpText(check), [
    'check — check things',
    '',
    'Usage: npx zx tasks/check.ts [options]',
    '',
    'Options:',
    '  --changed [<base>]  since <base>',
    '  --mode [<a|b>]      mode',
    '  --verbose           show the output of every command',
    '  --quiet             print only errors and results',
    '  --help              show this help',
    '',
  ].join('\n'));
  const description = describeTask(check) as RunnableDescription;
  assert.is(description.readOnly, true);
  assert.equal(description.options.map((o) => o.flag), ['--changed', '--mode', '--verbose', '--quiet', '--help']);
  assert.is((describeTask(task) as RunnableDescription).readOnly, undefined);
});

test('lists tasks aligned like just --list', () => {
  const other = defineTask({ name: 'status', summary: 'show status', run: async () => {} });
  assert.is(
    formatTaskList([task, other]),
    'Tasks (npx zx tasks/<task>.ts --help for the options of one):\n' +
      '  npx zx tasks/demo.ts <name> [extra] [options]  # do a demo\n' +
      '  npx zx tasks/status.ts [options]               # show status\n',
  );
});

const workflow = defineTask({
  name: 'flow',
  summary: 'a task with commands',
  commands: {
    start: defineCommand({
      summary: 'start a session',
      arguments: [{ name: 'description', description: 'what the session is for', required: true }],
      options: { mode: { type: 'string', description: 'how', choices: ['fast', 'slow'], default: 'fast' } },
      cluster: true,
      run: async (options) => {
        // Typed: a literal union, no cast needed.
        const mode: 'fast' | 'slow' = options.mode;
        return mode;
      },
    }),
    status: defineCommand({ summary: 'show the session', arguments: [{ name: 'cluster', description: 'clusters', variadic: true }], run: async () => {} }),
  },
});

test('a task with commands has a usage line per command and a help listing them', () => {
  assert.is(usageLine(workflow), 'npx zx tasks/flow.ts <start|status> [options]');
  assert.is(
    commandsHelpText(workflow),
    [
      'flow — a task with commands',
      '',
      'Usage: npx zx tasks/flow.ts <start|status> [options]',
      '',
      'Commands:',
      '  npx zx tasks/flow.ts start <description> [options]  # start a session',
      '  npx zx tasks/flow.ts status [cluster…] [options]    # show the session',
      '',
      'Run `npx zx tasks/flow.ts <command> --help` for a command\'s arguments and options.',
      '',
    ].join('\n'),
  );
});

test('a command has its own help, index lines and JSON entry', async () => {
  const { runnableOf } = await import('../../../scripts/task/define.ts');
  const start = runnableOf(workflow, 'start') as AnyRunnable;
  assert.match(helpText(start), /^flow start — start a session\n\nUsage: npx zx tasks\/flow.ts start <description> \[options\]\n/);
  assert.match(helpText(start), /\n  --mode <fast\|slow>  how \(default: fast\)\n/);
  assert.is(
    formatTaskList([workflow]),
    'Tasks (npx zx tasks/<task>.ts --help for the options of one):\n' +
      '  npx zx tasks/flow.ts start <description> [options]  # start a session\n' +
      '  npx zx tasks/flow.ts status [cluster…] [options]    # show the session\n',
  );
  const json = describeTask(workflow) as { commands: RunnableDescription[] };
  assert.equal(json.commands.map((c) => [c.command, c.usage]), [
    ['start', 'npx zx tasks/flow.ts start <description> [options]'],
    ['status', 'npx zx tasks/flow.ts status [cluster…] [options]'],
  ]);
  assert.ok(json.commands[0].options.some((o) => o.name === 'context'), 'a cluster command gets --context');
  assert.equal(json.commands[1].arguments, [{ name: 'cluster', description: 'clusters', required: false, variadic: true }]);
});

test.run();
