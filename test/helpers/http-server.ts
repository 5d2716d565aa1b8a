/**
 * A real HTTP server in the test process. Each test mounts handlers on paths; every request is
 * recorded with its arrival time so tests can check retries and their spacing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

export class TestHttpServer {
  private readonly server: Server;
  private readonly handlers = new Map<string, Handler>();
  /** Arrival times (ms since epoch) of requests, by path. */
  readonly hits = new Map<string, number[]>();
  private base = '';

  constructor() {
    this.server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://test').pathname;
      const times = this.hits.get(path) ?? [];
      times.push(Date.now());
      this.hits.set(path, times);
      const handler = this.handlers.get(path);
      if (!handler) return void response.writeHead(404).end('no handler');
      handler(request, response, times.length);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Mounts `handler` on a fresh path and returns its URL; `hit` counts from 1. */
  on(path: string, handler: Handler): string {
    this.handlers.set(path, handler);
    this.hits.delete(path);
    return `${this.base}${path}`;
  }

  hitTimes(path: string): number[] {
    return this.hits.get(path) ?? [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
