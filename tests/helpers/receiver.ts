import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, ms?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A webhook receiver on `host` (127.0.0.1, or e.g. ::1) that answers the nth request (from 0) with `status(n)`. */
export async function startReceiver(status: (index: number) => number = () => 200, port = 0, host = '127.0.0.1'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const index = requests.length;
      requests.push({ headers: req.headers, body, json: JSON.parse(body), at: Date.now() });
      res.writeHead(status(index)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/hook`,
    requests,
    waitFor: async (count, ms = 10_000) => {
      const started = Date.now();
      while (requests.length < count) {
        if (Date.now() - started > ms) throw new Error(`expected ${count} webhook requests, got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
