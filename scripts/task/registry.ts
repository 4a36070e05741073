// Finds the tasks: every tasks/<name>.ts that exports a task definition. The index is built from
// these definitions, never from a hand-kept table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskDefinition } from './define.ts';
import { describeTask, type TaskDescription } from './describe.ts';

// Loads every task definition in `tasksDir` (sorted by name), skipping `exclude`.
export async function loadTasks(tasksDir: string, exclude: readonly string[] = []): Promise<TaskDefinition<any, any>[]> {
  const files = readdirSync(tasksDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .filter((file) => !exclude.includes(file.slice(0, -3)))
    .sort();
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(join(tasksDir, file)).href)));
  return modules
    .map((module, i) => {
      const task = module.default as TaskDefinition<any, any> | undefined;
      if (!task || typeof task.run !== 'function' || task.name !== files[i].slice(0, -3)) {
        throw new Error(`tasks/${files[i]} must export default a task named "${files[i].slice(0, -3)}" (defineTask)`);
      }
      return task;
    });
}

// The text list of tasks, like `just --list`: usage and one-line summary each.
export function formatTaskList(tasks: readonly TaskDefinition<any, any>[]): string {
  const rows = tasks.map((task) => describeTask(task));
  const width = Math.max(0, ...rows.map((row) => row.usage.length));
  const lines = ['Tasks (npx zx tasks/<task>.ts --help for the options of one):'];
  for (const row of rows) lines.push(`  ${row.usage.padEnd(width)}  # ${row.summary}`);
  return lines.join('\n') + '\n';
}

// The JSON list of tasks (name, summary, usage, arguments, options with types, defaults, choices).
export function taskListJson(tasks: readonly TaskDefinition<any, any>[]): TaskDescription[] {
  return tasks.map((task) => describeTask(task));
}
