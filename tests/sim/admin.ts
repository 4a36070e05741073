// Admin endpoints under /sim/ for the foreground CLI: read requests and state, arrange objects, inject faults.
import type { Cluster } from './cluster.ts';
import type { Faults, RefInput } from './faults.ts';
import type { SimRequest } from './server.ts';
import { isJsonObject, type KubeObject } from './kube.ts';

export type AdminContext = { cluster: Cluster; faults: Faults; requests: () => SimRequest[]; put: (object: KubeObject) => void };
type Reply = { code: number; body: unknown };

const ok = (body: unknown = { ok: true }): Reply => ({ code: 200, body });

// The fields the fault endpoints read from a request body (the CLI's own JSON).
type FaultBody = {
  ref: RefInput; reason: string; message?: string; stalled?: boolean; namespace: string; name: string;
  resource: string; count?: number; code?: number; ms?: number; forMs?: number;
};

// Dispatches one admin request; unknown paths answer 404.
export async function adminHandler(ctx: AdminContext, method: string, path: string, input: unknown): Promise<Reply> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  if (!isJsonObject(input)) return { code: 400, body: { error: 'the body must be a JSON object' } };
  const body = input as FaultBody;
  switch (route) {
    case 'GET /sim/requests': return ok(ctx.requests());
    case 'DELETE /sim/requests': ctx.requests().length = 0; return ok();
    case 'POST /sim/objects': ctx.put(input as KubeObject); return ok();
    case 'POST /sim/faults/fail': ctx.faults.failObject(body.ref, body.reason, body.message ?? '', { stalled: body.stalled }); return ok();
    case 'POST /sim/faults/clear': ctx.faults.clear(body.ref); return ok();
    case 'POST /sim/faults/crash-loop': ctx.faults.crashLoop(body.namespace, body.name); return ok();
    case 'POST /sim/faults/reject-writes': ctx.faults.rejectWrites(body.resource, body.count ?? 1, body.code ?? 500, body.message); return ok();
    case 'POST /sim/faults/delay': ctx.faults.delay(body.ms ?? 0); return ok();
    case 'POST /sim/faults/unreachable': {
      const forMs = Number(body.forMs ?? 0);
      // The reply must leave before the listener closes; reachability returns after forMs (if given).
      setTimeout(() => {
        void ctx.faults.unreachable().then(() => { if (forMs > 0) ctx.cluster.later(forMs, () => void ctx.faults.reachable()); });
      }, 20);
      return ok({ ok: true, forMs });
    }
  }
  return { code: 404, body: { error: `unknown admin endpoint: ${route}` } };
}
