// The kubeconfig that points kubectl at the simulator (plain HTTP on loopback, no credentials).
import { writeFileSync } from 'node:fs';

// Kubeconfig YAML with one cluster, user and context named `sim` (namespace default).
export function kubeconfigYaml(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sim',
    '  cluster:',
    `    server: ${url}`,
    'contexts:',
    '- name: sim',
    '  context:',
    '    cluster: sim',
    '    namespace: default',
    '    user: sim',
    'current-context: sim',
    'preferences: {}',
    'users:',
    '- name: sim',
    '  user: {}',
    '',
  ].join('\n');
}

// Writes the kubeconfig file (mode 0600, as kubectl expects for credentials files).
export function writeKubeconfig(path: string, url: string): void {
  writeFileSync(path, kubeconfigYaml(url), { mode: 0o600 });
}
