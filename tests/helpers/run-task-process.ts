// Runs a task the way users do (node_modules/.bin/zx tasks/<task>.ts …) against another repository
// root (GITOPS_ROOT), with a clean environment: no inherited KUBECONFIG, no terminal, no colour.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export type ProcessResult = { code: number; stdout: string; stderr: string };

export function runTaskProcess(task: string, args: string[], options: { root: string; env?: Record<string, string> }): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      `${REPO}node_modules/.bin/zx`,
      [`${REPO}tasks/${task}.ts`, ...args],
      {
        cwd: options.root,
        env: { PATH: process.env.PATH, HOME: options.root, NO_COLOR: '1', GITOPS_ROOT: options.root, KUBECONFIG: `${options.root}/.no-kubeconfig`, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
