// status as text: one cluster in detail (each problem in a table, the next step under a stuck
// HelmRelease), or one line per cluster when there are several. Pure.
import { formatTable } from '../ui/table.ts';
import { STUCK_TITLES } from './helm-stuck.ts';
import type { ClusterStatus } from './health.ts';
import { describeRevision } from './origin.ts';

// What a run found for one cluster: its status, or the error that stopped it (bad settings, unreachable).
export type ClusterOutcome = { cluster: string; context?: string; status?: ClusterStatus; error?: string };

// kubectl's way of writing an age: 45s, 3m20s, 45m, 2h30m, 5h, 3d4h, 9d.
export function humanDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const s = Math.floor(seconds);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return `${d}d`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

// The problems of a cluster in a few words: `1 not Ready, 2 pods not running`.
export function problemSummary(status: ClusterStatus): string {
  const parts = [
    status.notReady.length ? `${status.notReady.length} not Ready` : '',
    status.suspended.length ? `${status.suspended.length} suspended` : '',
    status.stuckReleases.length ? `${plural(status.stuckReleases.length, 'HelmRelease')} stuck` : '',
    status.pods.length ? `${plural(status.pods.length, 'pod')} not running` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

// The first line under the identity: healthy with counts, or not healthy with the problems.
export function verdict(status: ClusterStatus): string {
  if (!status.identity.flux) return `✗ ${status.cluster}: Flux is not installed on context ${status.context}`;
  if (!status.isCluster) return `✗ context ${status.context} is not cluster ${status.cluster}: its status is not shown (pass the context of ${status.cluster} with --context, or fix context: in clusters/${status.cluster}/settings.yaml)`;
  if (status.healthy) {
    const c = status.counts;
    return `✔ ${status.cluster} is healthy: ${plural(c.kustomizations, 'Kustomization')}, ${plural(c.helmReleases, 'HelmRelease')}, ${plural(c.sources, 'source')} Ready; ${plural(c.pods, 'pod')} running`;
  }
  return `✗ ${status.cluster} is not healthy: ${problemSummary(status)}`;
}

// One cluster in detail.
export function formatClusterStatus(status: ClusterStatus): string {
  const sections = [[status.identityText, verdict(status)].join('\n')];
  if (!status.isCluster) return sections.join('\n');
  const name = (o: { namespace: string; name: string }) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);
  if (status.notReady.length) {
    sections.push(`Flux objects not Ready:\n${formatTable(['KIND', 'NAME', 'READY', 'REASON', 'FOR', 'MESSAGE'],
      status.notReady.map((o) => [o.kind, name(o), o.status, o.reason || '-', humanDuration(o.seconds), oneLine(o.message)]))}`);
  }
  if (status.suspended.length) {
    sections.push(`Suspended:\n${formatTable(['KIND', 'NAME', 'SINCE', 'BY', 'WHY'],
      status.suspended.map((o) => [
        o.kind, name(o),
        o.at ? `${o.at} (${humanDuration(o.seconds)})` : '-',
        o.by ?? 'unknown',
        o.ours ? `${o.reason ?? '(no reason given)'}${o.session ? ` [session ${o.session}]` : ''}` : 'not suspended by the tasks (no gitops-tasks/ annotations)',
      ]))}`);
  }
  if (status.stuckReleases.length) {
    const table = formatTable(['NAME', 'STATE', 'FOR', 'MESSAGE'], status.stuckReleases.map((o) => [name(o), STUCK_TITLES[o.state], humanDuration(o.seconds), oneLine(o.message)]));
    sections.push(`HelmReleases stuck:\n${table}\n${status.stuckReleases.map((o) => `  next for ${name(o)}: ${o.next}`).join('\n')}`);
  }
  if (status.pods.length) {
    sections.push(`Pods not running:\n${formatTable(['NAME', 'STATE', 'RESTARTS', 'READY', 'AGE'],
      status.pods.map((p) => [name(p), p.state, String(p.restarts), p.ready, humanDuration(p.seconds)]))}`);
  }
  if (status.warnings.length) {
    sections.push(`Last warning events:\n${formatTable(['AGE', 'NAMESPACE', 'OBJECT', 'REASON', 'MESSAGE'],
      status.warnings.map((w) => [humanDuration(w.seconds), w.namespace || '-', w.object, w.reason, `${oneLine(w.message)}${w.count > 1 ? ` (×${w.count})` : ''}`]))}`);
  }
  sections.push(`revision: ${describeRevision(status.revision)}`);
  return sections.join('\n\n');
}

// Several clusters, one line each.
export function formatClusterLines(outcomes: readonly ClusterOutcome[]): string {
  return formatTable(['CLUSTER', 'CONTEXT', 'HEALTH', 'PROBLEMS', 'REVISION'], outcomes.map((o) => {
    const s = o.status;
    if (!s) return [o.cluster, o.context ?? '-', 'error', oneLine(o.error ?? ''), '-'];
    if (!s.identity.flux) return [o.cluster, s.context, 'no Flux', s.identityText, '-'];
    if (!s.isCluster) return [o.cluster, s.context, 'wrong cluster', s.identityText, '-'];
    return [o.cluster, s.context, s.healthy ? 'healthy' : 'not healthy', problemSummary(s) || '-', describeRevision(s.revision)];
  }));
}
