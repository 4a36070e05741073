// Lists every task with its usage and summary (like `just --list`); --json for tools.
import { fileURLToPath } from 'node:url';
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';

const task = defineTask({
  name: 'index',
  summary: 'list the tasks of this repository with their usage',
  options: {
    json: { type: 'boolean', description: 'print the list as JSON (name, summary, arguments, options)' },
  },
  examples: ['--json'],
  async run(options, context) {
    const { formatTaskList, loadTasks, taskListJson } = await import('../scripts/task/registry.ts');
    const tasks = await loadTasks(fileURLToPath(new URL('.', import.meta.url)), ['index']);
    context.ui.result(options.json ? JSON.stringify(taskListJson(tasks), null, 2) : formatTaskList(tasks).trimEnd());
  },
});

export default task;
await runIfMain(task, import.meta.url);
