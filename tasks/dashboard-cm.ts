// Grafana export → labelled dashboard ConfigMap: validated, wired into the kustomizations,
// applied, and loaded by Grafana. Replaces `just dashboard-cm <name>`.
import { defineTask } from '../scripts/task/define.ts';
import { runIfMain } from '../scripts/task/run-task.ts';
import { CATEGORIES } from '../scripts/dashboards/categories.ts';

const task = defineTask({
  name: 'dashboard-cm',
  summary: 'turn a Grafana dashboard export into a labelled ConfigMap, validate it, apply it and reload Grafana',
  description: [
    "Reads the JSON model exported from Grafana (--file; by default the repository's tmp/dashboard.json),",
    'writes infrastructure/logging/dashboards/<category>/<name>-configmap.yaml (grafana-dashboard-<name>',
    'in namespace logging, label grafana_dashboard: "1"), lists it in the kustomizations, then validates',
    'it with a server dry run, applies it and restarts Grafana when an existing dashboard changed.',
    'Without a kube context the cluster steps are skipped with a notice.',
    '',
    'Updating a dashboard keeps what it had unless told otherwise: its Grafana folder (--folder changes',
    'it, --folder "" removes it) and its category folder while its data sources stay the same (a file',
    'put in mixed/ with --category stays there); a category change is said. A name that holds another',
    'dashboard (another uid) is refused unless --replace is given. Parallel runs wait for each other.',
  ].join('\n'),
  arguments: [{ name: 'name', description: 'dashboard name, lowercase DNS-1123 (becomes grafana-dashboard-<name>)', required: true }],
  options: {
    file: {
      type: 'string',
      description: "the exported dashboard JSON, relative to the current directory (default: the repository's tmp/dashboard.json; with --extract: where to write it)",
      placeholder: 'path',
    },
    offline: { type: 'boolean', description: 'write the files only; do not talk to the cluster' },
    category: {
      type: 'string',
      description: "dashboards/ subfolder; auto: the panels' data sources decide (an existing dashboard with unchanged data sources stays where it is)",
      default: 'auto',
      choices: ['auto', ...CATEGORIES],
    },
    folder: { type: 'string', description: 'Grafana folder to show the dashboard in (grafana_folder annotation; kept from the existing file when not given, "" for none)', placeholder: 'folder' },
    replace: { type: 'boolean', description: 'let the name replace the dashboard it already holds when the export is another dashboard (another uid)' },
    serverSide: { type: 'boolean', description: 'apply with kubectl apply --server-side (automatic for dashboards too big for client-side apply)' },
    restart: { type: 'boolean', description: "do not restart Grafana after an existing dashboard changed (by default it is restarted so the change shows at once)", default: true },
    extract: { type: 'boolean', description: "write the repository's dashboard JSON back to --file, for editing in Grafana" },
    rewriteInputs: { type: 'boolean', description: 'turn ${DS_…} placeholders of "Export for sharing externally" into dashboard variables' },
    timeout: { type: 'integer', description: "seconds to wait for Grafana's restart", default: 180, minimum: 1, placeholder: 'seconds' },
  },
  cluster: true,
  needsCluster: (options) => !options.offline && !options.extract,
  examples: ['node-exporter', 'flux-logs --file ~/Downloads/flux-logs.json --folder Flux', 'node-exporter --offline', 'node-exporter --extract'],
  load: () => import('../scripts/dashboards/dashboard-cm.ts'),
  run: (options, context, { dashboardCm }) => dashboardCm(options, context),
});

export default task;
await runIfMain(task, import.meta.url);
