import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  data: T[];
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  completed: boolean;
  /** Resolves once `count` results have arrived; rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<T[]>;
  unsubscribe(): void;
}

export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/graphql`;
}

/** A graphql-ws client (the graphql-transport-ws protocol), as integrators would use it. */
export function connect(httpUrl: string, connectionParams: Record<string, unknown> = {}): Client {
  return createClient({ url: wsUrl(httpUrl), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

export function subscribe<T, V>(client: Client, document: TypedDocumentNode<T, V>, variables: V): Received<T> {
  const received: Received<T> = {
    data: [],
    errors: [],
    completed: false,
    waitFor: (count, ms = 5000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (received.data.length >= count) return resolve(received.data);
          if (received.errors.length > 0 || received.completed || Date.now() - started > ms) {
            return reject(new Error(`expected ${count} results, got ${received.data.length}: ${JSON.stringify(received)}`));
          }
          setTimeout(check, 20);
        };
        check();
      }),
    unsubscribe: () => undefined,
  };
  received.unsubscribe = client.subscribe<T>(
    { query: print(document), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...(result.errors as Received<T>['errors']));
        if (result.data) received.data.push(result.data as T);
      },
      error: (err) => {
        received.errors.push(...(Array.isArray(err) ? err : [{ message: String((err as Error)?.message ?? err) }]));
      },
      complete: () => {
        received.completed = true;
      },
    },
  );
  return received;
}

/** Waits until the gateway has `count` event streams open, read from its /metrics. */
export async function waitForStreams(httpUrl: string, count: number, ms = 5000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    const open = Number(/^gateway_subscription_streams (\d+)/m.exec(text)?.[1] ?? -1);
    if (open === count) return;
    if (Date.now() - started > ms) throw new Error(`expected ${count} open streams, /metrics says ${open}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
