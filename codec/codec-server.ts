/**
 * The Web UI's remote codec endpoint (`temporal server start-dev --ui-codec-endpoint URL`):
 * the browser posts encrypted payloads to /decode and shows what comes back. Whoever can reach
 * this endpoint can read payloads, so it listens on loopback by default and answers only the
 * Web UI's origin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: data ? Buffer.from(data, 'base64') : undefined,
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: data ? Buffer.from(data).toString('base64') : undefined,
});

async function readJson(request: http.IncomingMessage): Promise<{ payloads?: JsonPayload[] }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('request body is not JSON'), { status: 400 });
  }
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

export async function startCodecServer(options: { codec: PayloadCodec; host: string; port: number; allowedOrigin: string }): Promise<CodecServer> {
  const { codec, allowedOrigin } = options;
  const server = http.createServer(async (request, response) => {
    response.setHeader('Access-Control-Allow-Origin', allowedOrigin);
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const operation = request.method === 'POST' ? ({ '/encode': 'encode', '/decode': 'decode' } as const)[request.url ?? ''] : undefined;
    if (!operation) return send(404, { error: 'POST /encode or /decode' });
    try {
      const body = await readJson(request);
      if (!Array.isArray(body.payloads)) return send(400, { error: 'expected {"payloads": [...]}' });
      const payloads = await codec[operation](body.payloads.map(fromJson));
      send(200, { payloads: payloads.map(toJson) });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400;
      send(status, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
