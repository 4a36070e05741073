// The HTTP listener on 127.0.0.1: request recording, body limits, delays, rejected writes, reachability.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleApi, resolveTarget, verbOf, type Reply } from './api.ts';
import type { Cluster } from './cluster.ts';
import { SimError, status } from './errors.ts';
import { takeRejection } from './faults.ts';
import { decodeProtobuf } from './protobuf.ts';

export type SimRequest = {
  method: string; verb: string; path: string; query: Record<string, string>; contentType: string;
  // NOTE: `any`, not `unknown`, only because tests outside tests/sim read recorded bodies directly.
  body: any; status: number; dryRun: boolean;
};
export type AdminHandler = (method: string, path: string, body: unknown) => Promise<{ code: number; body: unknown }>;

const BODY_LIMIT = 3 * 1024 * 1024;
const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function readBody(req: IncomingMessage): Promise<Buffer | SimError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > BODY_LIMIT;
    req.on('data', (c: Buffer) => { size += c.length; if (size > BODY_LIMIT) tooLarge = true; else chunks.push(c); });
    req.on('end', () => resolve(tooLarge ? new SimError(status(413, `Request entity too large: limit is ${BODY_LIMIT}`, 'RequestEntityTooLarge')) : Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function parseBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (/json/.test(contentType)) {
    try { return JSON.parse(text); } catch { throw new SimError(status(400, `couldn't get version/kind; json parse error: ${text.slice(0, 40)}`, 'BadRequest')); }
  }
  return text;
}

export class SimServer {
  requests: SimRequest[] = [];
  port = 0;
  private cluster: Cluster;
  private admin: AdminHandler;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private closers = new Set<() => void>();
  private delayMs = 0;

  constructor(cluster: Cluster, admin: AdminHandler) {
    this.cluster = cluster;
    this.admin = admin;
  }

  // Starts listening on 127.0.0.1 (port 0 picks a free one); resolves with the port.
  async listen(port: number): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  // Stops listening and drops every connection and watch (the port is refused until reopen).
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const close of [...this.closers]) close();
    this.closers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // Listens again on the same port after close().
  async reopen(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const contentType = String(req.headers['content-type'] ?? '');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/sim/')) return this.handleAdmin(method, url.pathname, raw, res);
    const record: SimRequest = { method, verb: 'get', path: url.pathname, query, contentType, body: undefined, status: 0, dryRun: query.dryRun === 'All' };
    this.requests.push(record);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    let reply: Reply;
    try {
      if (raw instanceof SimError) throw raw;
      record.body = /protobuf/.test(contentType) && raw.length ? decodeProtobuf(raw) : parseBody(raw, contentType);
      const target = url.pathname.startsWith('/api') ? safeTarget(this.cluster, url.pathname) : undefined;
      record.verb = verbOf(method, target, query);
      if (target && MUTATING.has(record.verb)) {
        const rejection = takeRejection(this.cluster, target.rt.plural);
        if (rejection) throw rejection;
      }
      reply = handleApi(this.cluster, { method, path: url.pathname, query, contentType, body: record.body, headers: req.headers }, res, `127.0.0.1:${this.port}`,
        (fn) => { this.closers.add(fn); res.on('close', () => this.closers.delete(fn)); });
    } catch (e) {
      const s = e instanceof SimError ? e.status : status(500, `simulator bug: ${(e as Error).stack ?? e}`, 'InternalError');
      reply = { code: s.code, body: s };
    }
    if ('stream' in reply) { record.status = 200; return; }
    record.status = reply.code;
    const headers: Record<string, string | string[]> = { 'Content-Type': reply.contentType ?? 'application/json', 'Cache-Control': 'no-cache, private' };
    if (reply.warnings?.length) headers.Warning = reply.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    res.writeHead(reply.code, headers);
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }

  private async handleAdmin(method: string, path: string, raw: Buffer | SimError, res: ServerResponse): Promise<void> {
    let out: { code: number; body: unknown };
    try {
      const body = raw instanceof Buffer && raw.length ? JSON.parse(raw.toString('utf8')) : {};
      out = await this.admin(method, path, body);
    } catch (e) {
      out = { code: 400, body: { error: (e as Error).message } };
    }
    if (res.destroyed) return;
    res.writeHead(out.code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(out.body));
  }
}

function safeTarget(cluster: Cluster, path: string) {
  try { return resolveTarget(cluster, path); } catch { return undefined; }
}
