// File changes made by tasks: atomic, logged, and skipped under --dry-run (`would run: write …`).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../core/write-atomic.ts';
import type { RunLog } from './run-log.ts';
import type { Ui } from '../ui/terminal.ts';

export type FileChange = 'created' | 'updated' | 'unchanged' | 'removed';

export type Files = {
  // Writes `content` to `path` (relative to the root) unless it is already exactly that.
  write(path: string, content: string): Promise<FileChange>;
  remove(path: string): Promise<FileChange>;
};

// File writer rooted at `root`; under dry-run it only reports what it would do.
export function createFiles(options: { root: string; dryRun: boolean; ui: Ui; log: RunLog }): Files {
  const { root, dryRun, ui, log } = options;
  const show = (path: string) => relative(root, resolve(root, path)) || path;
  return {
    async write(path, content) {
      const full = resolve(root, path);
      const before = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
      if (before === content) return 'unchanged';
      const change: FileChange = before === undefined ? 'created' : 'updated';
      if (dryRun) {
        ui.wouldRun(`write ${show(path)} (${change === 'created' ? 'new file' : 'changed'}, ${Buffer.byteLength(content)} bytes)`);
        log.append({ command: `write ${show(path)}`, exitCode: null, durationMs: 0, status: 'dry-run' });
        return change;
      }
      writeFileAtomic(full, content);
      log.note(`${change} ${show(path)}`);
      return change;
    },
    async remove(path) {
      const full = resolve(root, path);
      if (!existsSync(full)) return 'unchanged';
      if (dryRun) {
        ui.wouldRun(`remove ${show(path)}`);
        return 'removed';
      }
      rmSync(full);
      log.note(`removed ${show(path)}`);
      return 'removed';
    },
  };
}
