// The dashboard name given on the command line, and the --folder value: checked before anything
// is read or written, because both end up in file paths and Kubernetes names.
import { UsageError } from '../core/errors.ts';

// NOTE: the hard limits are looser: the ConfigMap name `grafana-dashboard-<name>` is a DNS-1123
// subdomain (≤ 253, so name ≤ 235), the data key `<name>-dashboard.json` a ConfigMap key (≤ 253,
// so ≤ 238) and `<name>-configmap.yaml` a file name (≤ 255 bytes, so ≤ 240). We keep the name a
// DNS-1123 label (≤ 63) so it also fits label values and the usual `kubectl`/Grafana column widths.
export const MAX_NAME_LENGTH = 63;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

// Throws a UsageError unless `name` is a lowercase DNS-1123 label; suggests a valid name when it can.
export function checkDashboardName(name: string): void {
  const problem = nameProblem(name);
  if (!problem) return;
  const suggestion = slugifyName(name);
  const example = suggestion && suggestion !== name ? ` Try: ${suggestion}` : ' Example: node-exporter';
  throw new UsageError(
    `Invalid dashboard name ${JSON.stringify(name)}: ${problem}. ` +
      `It becomes grafana-dashboard-<name> and <name>-dashboard.json, so use lowercase letters, digits and "-" ` +
      `(at most ${MAX_NAME_LENGTH}, starting and ending with a letter or digit).${example}`,
  );
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.includes('..') || name.includes('/') || name.includes('\\')) return 'it could point outside the dashboards folder';
  if (name.length > MAX_NAME_LENGTH) return `it is ${name.length} characters long`;
  if (/[A-Z]/.test(name)) return 'it has uppercase letters';
  if (name.startsWith('-') || name.endsWith('-')) return 'it starts or ends with "-"';
  if (!LABEL.test(name)) return 'it has characters other than a-z, 0-9 and "-"';
  return undefined;
}

// A valid name derived from `input` ("Node Exporter Full" → "node-exporter-full"), or '' if none.
export function slugifyName(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/^-+|-+$/g, '');
}

// Throws a UsageError unless `folder` is a safe Grafana folder name for the sidecar's folder annotation.
// NOTE: the sidecar treats the value as a directory below its dashboards folder: no absolute paths, no "..".
// "" is not checked: it means no folder annotation (Grafana's default folder).
export function checkFolderName(folder: string): void {
  if (folder === '') return;
  const fail = (problem: string) => {
    throw new UsageError(`Invalid --folder ${JSON.stringify(folder)}: ${problem}. Example: --folder "Kubernetes"`);
  };
  if (folder.trim() === '') fail('it is empty');
  if (folder.startsWith('/') || folder.split(/[\\/]/).includes('..')) fail('it must not be absolute or contain ".."');
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(folder)) fail('it contains control or line-separator characters');
  if (folder !== folder.trim()) fail('it has leading or trailing spaces');
}
