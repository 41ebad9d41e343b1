/**
 * The floor of the stack the gateway is built on: Apollo Server 5 and graphql-js on node:http, with
 * nothing of the gateway's own (no resolvers, plugins, guards, context or metrics). Requests reach
 * Apollo as they do in the gateway: body read with raw-body, parsed, headers copied into a
 * HeaderMap, `executeHTTPGraphQLRequest`. Measured on W0 only, it tells how much of the gateway's
 * distance from the raw baseline comes with Apollo Server itself.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import http from 'node:http';
import getRawBody from 'raw-body';

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', plugins: [ApolloServerPluginLandingPageDisabled()] });
  await apollo.start();
  const server = http.createServer(async (req, res) => {
    try {
      const body = req.method === 'POST' ? JSON.parse((await getRawBody(req)).toString('utf8')) : undefined;
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const search = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
        context: async () => ({}),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind !== 'complete') throw new Error('no incremental delivery here');
      const bytes = Buffer.from(response.body.string);
      res.setHeader('content-length', bytes.length);
      res.end(bytes);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
