import { randomUUID } from 'node:crypto';
import { writeTransaction } from '../src/db/sql';
import { describeOnSqlite } from './helpers/database';
import { GraphQLResponse, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { slowRequest } from './helpers/slow-request';
import { connect } from './helpers/ws';

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Requests are held in flight by a write transaction: a mutation waits for SQLite's one writer.
describeOnSqlite('GraphQL executions at once (MAX_CONCURRENT_EXECUTIONS)', () => {
  async function writer(gw: TestGateway): Promise<(name?: string) => Promise<GraphQLResponse<{ requestTranslation: unknown }>>> {
    const found = await gw.raw<{ article: { id: string } }>(`{ article(slug: "${REFERENCE_SLUG}") { id } }`);
    const id = found.data!.article.id;
    return (name = '') =>
      gw.raw(`mutation ${name} { requestTranslation(input: { articleId: "${id}", language: "ja" }) { alreadyRequested } }`, {}, { 'x-reader-id': randomUUID() });
  }

  it('executes at most the limit at once; the others wait their turn and are answered in full', async () => {
    const gw = await startGateway({ env: { MAX_CONCURRENT_EXECUTIONS: '2' } });
    const write = await writer(gw);
    try {
      const pending = await writeTransaction(gw.db, async () => {
        const requests = Array.from({ length: 5 }, () => write());
        await until(
          async () => (await gw.metric('gateway_graphql_executions_running')) === 2 && (await gw.metric('gateway_graphql_executions_waiting')) === 3,
          'two requests executing and three waiting',
        );
        return requests;
      });
      const answers = await Promise.all(pending);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.data?.requestTranslation).toEqual({ alreadyRequested: false });
      }
      expect([await gw.metric('gateway_graphql_executions_running'), await gw.metric('gateway_graphql_executions_waiting')]).toEqual([0, 0]);
    } finally {
      await gw.stop();
    }
  });

  it('gives a query sent over a WebSocket its turn as well', async () => {
    const gw = await startGateway({ env: { MAX_CONCURRENT_EXECUTIONS: '1' } });
    const write = await writer(gw);
    const client = connect(gw.url);
    try {
      const [overHttp, overSocket] = await writeTransaction(gw.db, async () => {
        const http = write();
        await until(async () => (await gw.metric('gateway_graphql_executions_running')) === 1, 'the HTTP request executing');
        const socket = client.iterate<{ licenses: unknown[] }>({ query: '{ licenses { key } }' }).next();
        await until(async () => (await gw.metric('gateway_graphql_executions_waiting')) === 1, 'the WebSocket query waiting');
        return [http, socket] as const;
      });
      expect((await overHttp).data?.requestTranslation).toEqual({ alreadyRequested: false });
      const answer = await overSocket;
      expect(answer.value?.errors).toBeUndefined();
      expect(answer.value?.data?.licenses.length).toBeGreaterThan(0);
      expect([await gw.metric('gateway_graphql_executions_running'), await gw.metric('gateway_graphql_executions_waiting')]).toEqual([0, 0]);
    } finally {
      await client.dispose();
      await gw.stop();
    }
  });

  it('gives no turn to a request whose body is still arriving', async () => {
    const gw = await startGateway({ env: { MAX_CONCURRENT_EXECUTIONS: '1' } });
    try {
      const body = JSON.stringify({ query: '{ licenses { key } }' });
      const slow = await Promise.all([slowRequest(gw.url, body), slowRequest(gw.url, body)]);
      const meanwhile = await gw.raw<{ licenses: unknown[] }>('{ licenses { key } }');
      expect(meanwhile.status).toBe(200);
      expect(meanwhile.data?.licenses.length).toBeGreaterThan(0);
      for (const answer of await Promise.all(slow.map((request) => request.finish()))) expect(answer).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await gw.stop();
    }
  });

  it('answers a request that waited past the deadline with 503 TIMEOUT and never executes it', async () => {
    const gw = await startGateway({ env: { MAX_CONCURRENT_EXECUTIONS: '1', REQUEST_TIMEOUT_MS: '300' } });
    const write = await writer(gw);
    try {
      let answers: GraphQLResponse<unknown>[] = [];
      await writeTransaction(gw.db, async () => {
        const first = write('First');
        await until(async () => (await gw.metric('gateway_graphql_executions_running')) === 1, 'the first request executing');
        answers = await Promise.all([first, write('Second')]);
      });
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.errors?.[0].extensions?.code).toBe('TIMEOUT');
      }
      const later = await gw.raw<{ licenses: unknown[] }>('query Later { licenses { key } }');
      expect(later.status).toBe(200);
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).toMatch(/gateway_graphql_requests_total\{operation="First",outcome="[a-z]+"\} 1/);
      expect(text).toMatch(/gateway_graphql_requests_total\{operation="Later",outcome="ok"\} 1/);
      expect(text).not.toMatch(/operation="Second"/);
    } finally {
      await gw.stop();
    }
  });
});
