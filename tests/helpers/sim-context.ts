// A task context whose kubectl talks to a simulated cluster (never a real one).
import { captureIo, testContext, type CapturedIo } from './io.ts';
import { testdir } from './testdir.ts';
import type { CommonFlags, TaskContext } from '../../scripts/task/context.ts';
import type { SimCluster } from '../sim/index.ts';

// Captured io + context for `sim`, rooted in a fresh temp dir (or `cwd`).
export function simContext(sim: SimCluster, flags: Partial<CommonFlags> = {}, cwd: string = testdir()): { io: CapturedIo; context: TaskContext } {
  const io = captureIo({ cwd, env: { KUBECONFIG: sim.kubeconfig, HOME: sim.home } });
  return { io, context: testContext(io, flags) };
}
