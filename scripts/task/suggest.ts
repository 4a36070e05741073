// Values offered when a task's argument is asked for at a terminal: the repository knows them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Choice } from './define.ts';

// The clusters of the repository: the folders of clusters/.
export async function clusterChoices(root: string): Promise<Choice[]> {
  try {
    return readdirSync(join(root, 'clusters'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ title: entry.name, value: entry.name }))
      .sort((a, b) => a.value.localeCompare(b.value));
  } catch {
    return [];
  }
}
