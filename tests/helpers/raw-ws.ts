import WebSocket from 'ws';
import { wsUrl } from './ws';

/** A socket speaking the graphql-transport-ws protocol by hand, for tests that watch each message and the close code. */
export interface RawSocket {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message matching `test`; rejects after `ms`. */
  next(test: (m: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

export function openRaw(httpUrl: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const socket = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws', { headers });
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const raw: RawSocket = {
    socket,
    messages,
    closed,
    // A string goes as it is, for tests that send what is not JSON.
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: (test, ms = 5000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const found = messages.find(test);
          if (found) return resolve(found);
          if (Date.now() - started > ms) return reject(new Error(`no such message; got ${JSON.stringify(messages)}`));
          setTimeout(check, 10);
        };
        check();
      }),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(raw));
    socket.once('error', reject);
  });
}

/** A socket past connection_init, acknowledged. */
export async function acknowledgedRaw(httpUrl: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<RawSocket> {
  const raw = await openRaw(httpUrl, headers);
  raw.send({ type: 'connection_init', payload });
  await raw.next((m) => m.type === 'connection_ack');
  return raw;
}
