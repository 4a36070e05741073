// `npm run sim-cluster -- --kubeconfig <file> [--port <n>] [--from <dir>]...`: runs the simulator in the foreground.
// SIGINT/SIGTERM stop it (exit 0); SIGUSR2 toggles reachability; /sim/* admin endpoints inject faults.
import { parseArgs } from 'node:util';
import { startSimCluster } from './index.ts';

const USAGE = 'usage: npm run sim-cluster -- --kubeconfig <file> [--port <n>] [--from <dir>]... [--reconcile-delay-ms <n>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' }, port: { type: 'string', default: '0' }, from: { type: 'string', multiple: true },
      'reconcile-delay-ms': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help || !values.kubeconfig) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const sim = await startSimCluster({
    kubeconfigPath: values.kubeconfig, port: Number(values.port), from: values.from,
    reconcileDelayMs: values['reconcile-delay-ms'] ? Number(values['reconcile-delay-ms']) : undefined,
  });
  for (const s of sim.skipped) console.error(`skipped ${s}: kind not served (no CRD)`);
  console.log(`sim-cluster listening on ${sim.url}; kubeconfig ${sim.kubeconfig} (context sim)`);
  let reachable = true;
  process.on('SIGUSR2', () => {
    reachable = !reachable;
    void (reachable ? sim.faults.reachable() : sim.faults.unreachable()).then(() => console.log(reachable ? 'reachable' : 'unreachable'));
  });
  const stop = () => void sim.stop().then(() => { console.log('sim-cluster stopped'); process.exitCode = 0; });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
