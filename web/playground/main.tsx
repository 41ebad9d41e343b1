import { explorerPlugin } from '@graphiql/plugin-explorer';
import type { Fetcher, FetcherOpts, FetcherParams } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { DocumentNode, getOperationAST, Kind, OperationDefinitionNode, parse } from 'graphql';
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
 * GraphiQL can send the operation name and parsed document of the tab just left when a tab is run
 * right after switching to it (graphql/graphiql#3632): the gateway would answer "Unknown operation
 * named ...". So the query text is parsed here, and a name it does not define is dropped when it
 * holds one operation, the one meant.
 */
function operationToRun(params: FetcherParams): { params: FetcherParams; operation: OperationDefinitionNode | null } {
  let document: DocumentNode;
  try {
    document = parse(params.query);
  } catch {
    return { params, operation: null };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const stale = params.operationName && operations.length === 1 && operations[0].name?.value !== params.operationName;
  const run = stale ? { ...params, operationName: null } : params;
  return { params: run, operation: getOperationAST(document, run.operationName ?? undefined) ?? null };
}

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws on the same path. The headers the
 * user sets (an editor's Authorization, x-reader-id) go with both: over WebSocket as the
 * connection_init payload, which is where the gateway reads a socket's credentials.
 */
const fetcher: Fetcher = (asked: FetcherParams, opts?: FetcherOpts) => {
  const headers = (opts?.headers ?? {}) as Record<string, string>;
  const { params, operation } = operationToRun(asked);
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
