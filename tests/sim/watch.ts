// Watch streams: newline-delimited JSON events, replay from a resourceVersion, and the watch-list protocol.
import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster.ts';
import { status } from './errors.ts';
import type { ResourceType } from './resources.ts';
import type { Selector } from './selectors.ts';
import type { StoreEvent } from './store.ts';

export type WatchRequest = { rt: ResourceType; namespace?: string; match: Selector; query: Record<string, string> };

function inScope(req: WatchRequest, event: StoreEvent): boolean {
  return event.rt === req.rt || (event.rt.group === req.rt.group && event.rt.plural === req.rt.plural)
    ? !req.rt.namespaced || !req.namespace || event.object.metadata.namespace === req.namespace
    : false;
}

// Streams watch events to `res` until the client goes away, `timeoutSeconds` passes or the server stops.
export function serveWatch(cluster: Cluster, req: WatchRequest, res: ServerResponse, onClose: (fn: () => void) => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // NOTE: headers must leave at once: client-go's informer blocks until the watch response starts.
  res.flushHeaders();
  const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
  const { query } = req;
  const sendsInitial = query.sendInitialEvents === 'true';
  const rv = query.resourceVersion ?? '';
  const store = cluster.store;

  if (sendsInitial || rv === '' || rv === '0') {
    for (const o of store.list(req.rt, req.namespace)) if (req.match(o)) send('ADDED', o);
    if (sendsInitial) {
      send('BOOKMARK', {
        kind: req.rt.kind, apiVersion: req.rt.group ? `${req.rt.group}/${req.rt.version}` : req.rt.version,
        metadata: { resourceVersion: String(store.rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  } else {
    const from = Number(rv);
    const oldest = store.log[0]?.rv ?? store.rv + 1;
    if (!Number.isFinite(from) || from > store.rv) {
      send('ERROR', status(504, 'Timeout: Too large resource version: ' + rv + ', current: ' + store.rv, 'Timeout'));
      res.end();
      return;
    }
    if (from < oldest - 1) {
      send('ERROR', status(410, `too old resource version: ${rv} (${oldest - 1})`, 'Expired'));
      res.end();
      return;
    }
    for (const e of store.log) if (e.rv > from && inScope(req, e) && req.match(e.object)) send(e.type, e.object);
  }

  const unsubscribe = store.subscribe((e) => {
    if (!inScope(req, e)) return;
    const now = req.match(e.object);
    const before = e.old ? req.match(e.old) : false;
    if (e.type === 'MODIFIED' && before && !now) send('DELETED', e.object);
    else if (e.type === 'MODIFIED' && !before && now) send('ADDED', e.object);
    else if (now) send(e.type, e.object);
  });
  let timer: NodeJS.Timeout | undefined;
  const finish = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timeout = Number(query.timeoutSeconds);
  if (timeout > 0) timer = setTimeout(finish, timeout * 1000);
  res.on('close', finish);
  onClose(finish);
}
