// Runs the real kubectl against a simulator, with nothing from the caller's environment but PATH.
import { spawn } from 'node:child_process';

export type KubectlResult = { stdout: string; stderr: string; exitCode: number };

// kubectl with KUBECONFIG and HOME (discovery cache) of this simulator only; never a real cluster.
export function runKubectl(sim: { kubeconfig: string; home: string }, args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: sim.home, KUBECONFIG: sim.kubeconfig, ...(opts.env ?? {}) };
    const child = spawn('kubectl', args, { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
    child.stdin.end(opts.input ?? '');
  });
}
