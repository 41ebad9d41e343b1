import net from 'node:net';

export interface SlowRequest {
  /** Sends the rest of the body and resolves with the whole answer once the server closes. */
  finish(): Promise<string>;
}

/** A POST /graphql whose body has only begun to arrive: in flight, from the server's side, until `finish()`. */
export async function slowRequest(url: string, body: string, headers: Record<string, string> = {}): Promise<SlowRequest> {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}Connection: close\r\n\r\n${body.slice(0, 5)}`);
  return {
    async finish() {
      socket.write(body.slice(5));
      await closed;
      return answer;
    },
  };
}
