// A task context whose kubectl talks to a simulated cluster (never a real one).
import { captureIo, testContext, type CapturedIo } from './io.ts';
import { testdir } from './testdir.ts';
import type { CommonFlags, TaskContext } from '../../scripts/task/context.ts';
import type { SimCluster } from '../sim/index.ts';

// Captured io + context for `sim`, rooted in a fresh temp dir (or `cwd`); its kube context is the
// simulator's, as the task runner resolves it at the start of a run.
export function simContext(sim: SimCluster, flags: Partial<CommonFlags> = {}, cwd: string = testdir()): { io: CapturedIo; context: TaskContext } {
  const io = captureIo({ cwd, env: { KUBECONFIG: sim.kubeconfig, HOME: sim.home } });
  return { io, context: testContext(io, { context: 'sim', ...flags }) };
}
