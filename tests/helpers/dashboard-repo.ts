// A temporary git repository shaped like ours for dashboard-cm: infrastructure/logging with
// dashboards/ and its category folders, each with a kustomization.yaml.
import { gitdir } from './testdir.ts';

const kustomization = (resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:${resources.length ? resources.map((r) => `\n  - ${r}`).join('') : ' []'}\n`;

// The repository; `categories: false` leaves out the category folders.
export function dashboardRepo(options: { categories?: boolean; files?: Record<string, string> } = {}): string {
  const categories = options.categories !== false;
  const files: Record<string, string> = {
    '.gitignore': 'tmp/\n',
    'infrastructure/kustomization.yaml': kustomization(['logging']),
    'infrastructure/logging/kustomization.yaml': '# logging layer\n' + kustomization(['namespace.yaml', 'dashboards']),
    'infrastructure/logging/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: logging\n',
    'infrastructure/logging/dashboards/kustomization.yaml': kustomization(categories ? ['prometheus', 'loki', 'tempo', 'mixed'] : []),
    ...options.files,
  };
  if (categories) {
    for (const category of ['prometheus', 'loki', 'tempo', 'mixed']) {
      files[`infrastructure/logging/dashboards/${category}/kustomization.yaml`] = `# ${category} dashboards\n` + kustomization([]);
    }
  }
  return gitdir(files);
}
