// Flux actions done the way the flux CLI does them, through kubectl on the Flux objects, each
// echoed with its `flux …` equivalent: suspend and resume are JSON merge patches of spec.suspend,
// reconcile is the reconcile.fluxcd.io/requestedAt annotation, and the waits poll like flux does.
import { TaskError } from '../core/errors.ts';
import type { Kubectl } from './kubectl.ts';
import { fluxEquivalent, fluxKindName, fluxResource, type FluxKind } from './flux-kinds.ts';
import { appliedRevision, condition, fluxRow, isObjectReady, kstatus, type FluxObject, type FluxRow } from './flux-status.ts';

export type FluxOptions = { pollMs?: number; timeoutMs?: number; now?: () => Date; sleep?: (ms: number) => Promise<void> };

const FIELD_MANAGER = '--field-manager=flux-client-side-apply';

// Creates the Flux adapter over a kubectl adapter.
export function createFlux(kubectl: Kubectl, options: FluxOptions = {}) {
  const pollMs = options.pollMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function get(kind: FluxKind, name: string, namespace: string, echo = true): Promise<FluxObject> {
    const object = await kubectl.getJson<FluxObject>(fluxResource(kind), name, namespace, { echo });
    if (!object) {
      throw new TaskError(`${fluxKindName(kind)} object '${name}' not found in "${namespace}" namespace`, {
        hint: `list them with: flux get ${kind === 'kustomization' ? 'kustomizations' : kind + 's'} -n ${namespace}`,
      });
    }
    return object;
  }

  async function mergePatch(kind: FluxKind, name: string, namespace: string, patch: unknown, action: string): Promise<void> {
    await kubectl.run('write', ['patch', fluxResource(kind), name, '-n', namespace, '--type=merge', '-p', JSON.stringify(patch), FIELD_MANAGER], {
      equivalent: fluxEquivalent(action, kind, name, namespace),
      purpose: `flux ${action} ${kind} ${name}`,
      hint: `retry, or run: ${fluxEquivalent(action, kind, name, namespace)}`,
    });
  }

  // Polls the object until `done` says so; throws on `failed` or after the timeout.
  async function waitFor(kind: FluxKind, name: string, namespace: string, done: (o: FluxObject) => boolean, failed: (o: FluxObject) => string | undefined): Promise<FluxObject> {
    const deadline = Date.now() + timeoutMs;
    for (let first = true; ; first = false) {
      const object = await get(kind, name, namespace, first);
      if (done(object)) return object;
      const failure = failed(object);
      if (failure) throw new TaskError(`${fluxKindName(kind)} ${name} reconciliation failed: ${failure}`, { hint: `inspect it: flux events --for ${fluxKindName(kind)}/${name} -n ${namespace}` });
      if (Date.now() >= deadline) {
        const ready = condition(object, 'Ready');
        throw new TaskError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${fluxKindName(kind)} ${name} to be ready${ready?.message ? `: ${ready.message}` : ''}`, {
          hint: `check it with: flux get ${kind} ${name} -n ${namespace}`,
        });
      }
      await sleep(pollMs);
    }
  }

  const stalled = (object: FluxObject) => (kstatus(object).status === 'Failed' ? kstatus(object).message : undefined);

  return {
    get: (kind: FluxKind, name: string, namespace: string) => get(kind, name, namespace),

    // spec.suspend=true by JSON merge patch, as flux does; `annotations` (who, why, when) go in the
    // same patch, so an object is never suspended without them.
    async suspend(kind: FluxKind, name: string, namespace: string, annotations?: Record<string, string>): Promise<void> {
      await mergePatch(kind, name, namespace, { ...(annotations ? { metadata: { annotations } } : {}), spec: { suspend: true } }, 'suspend');
    },

    // spec.suspend removed by merge patch (and the `removeAnnotations`); the generation bump makes
    // the controller reconcile. With `wait`, polls until ready as flux resume does, returning the
    // applied revision.
    async resume(kind: FluxKind, name: string, namespace: string, wait = true, removeAnnotations: readonly string[] = []): Promise<string | undefined> {
      const metadata = removeAnnotations.length ? { metadata: { annotations: Object.fromEntries(removeAnnotations.map((key) => [key, null])) } } : {};
      await mergePatch(kind, name, namespace, { ...metadata, spec: { suspend: null } }, 'resume');
      if (!wait || kubectl.dryRun) return undefined;
      const object = await waitFor(kind, name, namespace, isObjectReady, stalled);
      return appliedRevision(object);
    },

    // Waits (reading only) until the object is Ready for its current generation, as flux resume
    // waits; a stalled object fails at once. Returns the applied revision.
    async waitReady(kind: FluxKind, name: string, namespace: string): Promise<string> {
      return appliedRevision(await waitFor(kind, name, namespace, isObjectReady, stalled));
    },

    // Sets reconcile.fluxcd.io/requestedAt and waits until the controller handled it and the
    // object is ready; returns the applied revision. A suspended object is refused, as flux does.
    async reconcile(kind: FluxKind, name: string, namespace: string, wait = true): Promise<string | undefined> {
      const before = await get(kind, name, namespace);
      if (before.spec?.suspend) {
        throw new TaskError(`${fluxKindName(kind)} ${name} is suspended: it cannot be reconciled`, {
          hint: `resume it first: ${fluxEquivalent('resume', kind, name, namespace)}`,
        });
      }
      const requestedAt = formatRfc3339Nano(now());
      await mergePatch(kind, name, namespace, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt } } }, 'reconcile');
      if (!wait || kubectl.dryRun) return undefined;
      const handled = (o: FluxObject) => o.status?.lastHandledReconcileAt === requestedAt && kstatus(o).status === 'Current' && condition(o, 'Ready')?.status === 'True';
      // Once the controller has handled this request, Ready=False is this run's result: fail now
      // with the controller's message rather than poll until the timeout as flux does.
      const failedReady = (o: FluxObject) => {
        if (o.status?.lastHandledReconcileAt !== requestedAt) return undefined;
        const ready = condition(o, 'Ready');
        return stalled(o) ?? (ready?.status === 'False' ? `${ready.reason ?? 'Failed'}: ${ready.message ?? ''}` : undefined);
      };
      return appliedRevision(await waitFor(kind, name, namespace, handled, failedReady));
    },

    // The `flux get` rows of a kind in a namespace (or all namespaces).
    async list(kind: FluxKind, namespace?: string): Promise<FluxRow[]> {
      const items = await kubectl.list<FluxObject>(fluxResource(kind), namespace ? { namespace } : { allNamespaces: true }, {
        equivalent: `flux get ${kind === 'kustomization' ? 'kustomizations' : kind + 's'} ${namespace ? `-n ${namespace}` : '-A'}`,
      });
      return items.map((item) => fluxRow({ ...item, kind: item.kind ?? fluxKindName(kind) }));
    },
  };
}

// time.Now().Format(time.RFC3339Nano) in local time: fractional seconds without trailing zeros.
export function formatRfc3339Nano(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const fraction = date.getMilliseconds() ? '.' + pad(date.getMilliseconds(), 3).replace(/0+$/, '') : '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${fraction}${zone}`;
}
