/**
 * npm run bench:fanout [-- --subscriptions 1000,5000,10000] [-- --events 10] [-- --stalled]
 * Opens that many subscriptions of one operation (20 per socket, as many sockets as that takes) on
 * a gateway of its own, publishes `events` articles one after another, and reports how long each
 * subscription took to receive each one (from the publish mutation's answer), the gateway's CPU
 * time per event and its peak RSS. This process is the load generator; the gateway runs pinned to
 * core 0. With --stalled, one more socket subscribes and then reads nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { projectRoot } from '../src/project-root';
import { cachedDatabase, workingCopy } from './database';
import { metric, rssSampler, startGatewayWith } from './servers';

const ROOT = projectRoot();
const { values } = parseArgs({
  options: {
    subscriptions: { type: 'string', default: '1000,5000,10000' },
    events: { type: 'string', default: '10' },
    stalled: { type: 'boolean', default: false },
  },
});
const sizes = values.subscriptions.split(',').map(Number);
const events = Number(values.events);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(events) || events < 1) {
  process.stderr.write('--subscriptions takes whole numbers separated by commas, --events a whole number\n');
  process.exit(2);
}
const PER_SOCKET = 20;
const SUBSCRIPTION = 'subscription { articlePublished { cursor article { slug title } } }';

interface Result {
  subscriptions: number;
  stalled: boolean;
  p50: number;
  p99: number;
  max: number;
  cpuMsPerEvent: number;
  peakRssMb: number;
  missing: number;
}

function editorKey(sqlitePath: string): string {
  const made = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli/apikey.js'), 'create', '--name', 'fan-out bench', '--role', 'editor'], {
    env: { ...process.env, SQLITE_PATH: sqlitePath, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`creating an editor key failed: ${made.stderr}`);
  return made.stdout.trim();
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function openStreams(url: string): Promise<number> {
  return metric(await (await fetch(`${url}/metrics`)).text(), 'gateway_subscription_streams');
}

async function until(what: string, ms: number, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function publish(url: string, key: string, slug: string): Promise<number> {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as Record<string, { id: string }>;
  };
  const created = await call('mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
    input: { slug, title: `Fan-out ${slug}`, language: 'en', section: 'Technology', body: ['Text.'], licenseKey: 'cc-by-nc-2.0' },
  });
  await call('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: created.createArticle.id });
  return performance.now();
}

/** A socket that subscribes and then stops reading: its TCP window fills and the gateway's sends to it wait. */
async function stalledSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  for (let i = 0; i < PER_SOCKET; i++) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: SUBSCRIPTION } }));
  socket.pause();
  return socket;
}

async function run(subscriptions: number, stalled: boolean): Promise<Result> {
  const copy = workingCopy(cachedDatabase(2000), 'fanout');
  const key = editorKey(copy);
  const sockets = Math.ceil(subscriptions / PER_SOCKET) + 1;
  const gateway = await startGatewayWith(`fan-out ${subscriptions}`, { SQLITE_PATH: copy, WS_MAX_SOCKETS_PER_ADDRESS: String(sockets + 10) });
  const clients: Client[] = [];
  const received = new Map<string, number[]>();
  let stall: WebSocket | undefined;
  try {
    const sampler = rssSampler(gateway.pid);
    for (let s = 0; s < sockets - 1; s++) {
      const client = createClient({ url: `${gateway.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(client);
      for (let i = 0; i < PER_SOCKET && s * PER_SOCKET + i < subscriptions; i++) {
        client.subscribe<{ articlePublished: { article: { slug: string } } }>(
          { query: SUBSCRIPTION },
          {
            next: (result) => {
              const slug = result.data?.articlePublished.article.slug;
              if (slug) received.get(slug)?.push(performance.now());
            },
            error: (err) => process.stderr.write(`subscription failed: ${JSON.stringify(err)}\n`),
            complete: () => undefined,
          },
        );
      }
    }
    if (stalled) stall = await stalledSocket(gateway.url);
    const streams = subscriptions + (stalled ? PER_SOCKET : 0);
    await until(`${streams} open streams`, 120_000, async () => (await openStreams(gateway.url)) >= streams);

    const latencies: number[] = [];
    let missing = 0;
    const cpuBefore = cpuTicks(gateway.pid);
    for (let e = 0; e < events; e++) {
      const slug = `fanout-${subscriptions}-${e}-${Date.now()}`;
      const arrivals: number[] = [];
      received.set(slug, arrivals);
      const answered = await publish(gateway.url, key, slug);
      await until(`every subscription to receive ${slug}`, 30_000, () => arrivals.length >= subscriptions).catch(() => undefined);
      missing += subscriptions - arrivals.length;
      // A receipt can come before the mutation's own answer: that counts as no wait at all.
      for (const at of arrivals) latencies.push(Math.max(0, at - answered));
    }
    const cpuMsPerEvent = ((cpuTicks(gateway.pid) - cpuBefore) * (1000 / 100)) / events;
    const peak = sampler.stop();
    latencies.sort((a, b) => a - b);
    const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN);
    return { subscriptions, stalled, p50: at(0.5), p99: at(0.99), max: at(1), cpuMsPerEvent: Math.round(cpuMsPerEvent), peakRssMb: Math.round(peak / 2 ** 20), missing };
  } finally {
    stall?.terminate();
    await Promise.all(clients.map((c) => c.dispose()));
    await gateway.stop();
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const n of sizes) {
    const result = await run(n, values.stalled);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  const lines = [
    `Fan-out, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}; ` +
      `\`${SUBSCRIPTION}\`, ${PER_SOCKET} subscriptions per socket, ${events} publications one after another; ` +
      `delivery time from the publish mutation's answer to each receipt; the gateway on core 0, the clients in the bench process.`,
    '',
    'subscriptions | stalled socket | p50 ms | p99 ms | max ms | gateway CPU ms per event | peak RSS MB | missing deliveries',
    '---|---|---|---|---|---|---|---',
    ...results.map((r) => [r.subscriptions, r.stalled ? 'yes' : 'no', r.p50, r.p99, r.max, r.cpuMsPerEvent, r.peakRssMb, r.missing].join(' | ')),
  ];
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const name = values.stalled ? 'fanout-stalled' : 'fanout';
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify({ date: new Date().toISOString(), events, results }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, `${name}.md`), `${lines.join('\n')}\n`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (results.some((r) => r.missing > 0)) process.exit(1);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
