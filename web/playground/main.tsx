import { explorerPlugin } from '@graphiql/plugin-explorer';
import type { Fetcher, FetcherOpts, FetcherParams } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { getOperationAST } from 'graphql';
import { createClient } from 'graphql-ws';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

declare const EXAMPLE_OPERATIONS: Array<{ file: string; query: string; variables?: string }>;

// Monaco's workers come from this gateway, bundled beside this script.
(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`/assets/playground/${name}.worker.js`);
  },
};

const endpoint = `${location.origin}/graphql`;
const socketUrl = endpoint.replace(/^http/, 'ws');

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws on the same path. The headers the
 * user sets (an editor's Authorization, x-reader-id) go with both: over WebSocket as the
 * connection_init payload, which is where the gateway reads a socket's credentials.
 */
const fetcher: Fetcher = (params: FetcherParams, opts?: FetcherOpts) => {
  const headers = (opts?.headers ?? {}) as Record<string, string>;
  const operation = opts?.documentAST ? getOperationAST(opts.documentAST, params.operationName ?? undefined) : null;
  if (operation?.operation === 'subscription') {
    const client = createClient({ url: socketUrl, connectionParams: headers, lazy: true, retryAttempts: 0 });
    const iterator = client.iterate(params)[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => iterator.next(),
      async return() {
        await iterator.return?.();
        await client.dispose();
        return { value: undefined, done: true };
      },
    } as AsyncIterableIterator<unknown> as ReturnType<Fetcher>;
  }
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(params),
  }).then((response) => response.json());
};

const explorer = explorerPlugin();

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={[explorer]}
      defaultTabs={EXAMPLE_OPERATIONS.map(({ query, variables }) => ({ query, variables }))}
      defaultHeaders={JSON.stringify({ 'x-reader-id': 'playground-reader' }, null, 2)}
      isHeadersEditorEnabled
    />
  );
}

createRoot(document.getElementById('graphiql')!).render(<Playground />);
