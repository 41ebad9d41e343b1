/**
 * npm run bench [-- --quick] [-- --articles N] [-- --postgres] [-- --rounds N] [-- --before DIR ...] [-- --workloads W1,W2]
 * Drives the gateway (on both SQLite drivers, or with --postgres on PostgreSQL with one and two
 * instances) and the raw baseline over loopback with autocannon, and writes bench/results/. Speed
 * is judged only by ratios within one run.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/project-root';
import { cachedDatabase, workingCopy } from './database';
import { postgresTemplate, workingDatabase } from './postgres';
import { RunningServer, rssSampler, startApolloFloor, startGateway, startGatewayBuiltIn, startGatewayWith, startRaw } from './servers';
import { HttpRequest, Workload, workloads } from './workloads';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    articles: { type: 'string' },
    postgres: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    // Other checkouts, installed and built: their gateways run beside this one in the same run.
    before: { type: 'string', multiple: true },
    workloads: { type: 'string' },
  },
});
/** Each other checkout with the name its servers and tables go by: its directory's. */
const befores = (values.before ?? []).map((dir) => ({ dir: path.resolve(dir), name: path.basename(path.resolve(dir)) }));
const chosen = values.workloads?.split(',').map((id) => id.trim().toUpperCase());
const quick = values.quick as boolean;
const onPostgres = values.postgres as boolean;
const articles = Number(values.articles ?? (quick ? 2000 : 100_000));
/**
 * Each workload measured this many times on every server in turn; the tables show each server's
 * median round. On a machine whose speed drifts by a fifth within minutes, one round cannot tell
 * changes of that size apart.
 */
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`--rounds must be a whole number of at least 1; it was ${values.rounds}\n`);
  process.exit(2);
}
const settings = quick ? { connections: 10, warmup: 1, duration: 2 } : { connections: 50, warmup: 3, duration: 10 };

interface Measurement {
  target: string;
  workload: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  sqlPerRequest: number | null;
  /** Share of queries answered from the response cache, where it was on. */
  cacheHitRate?: number;
  peakRssMb: number;
  errors: number;
  non2xx: number;
}

interface LoadResult {
  /** Responses completed after the warm-up, and how long each took (ms). */
  latencies: number[];
  errors: number;
  non2xx: number;
}

/**
 * Warm-up and measurement are one autocannon run over the same connections, and the clock starts
 * only once the warm-up time has passed and every connection has had an answer. Against a
 * saturated server autocannon's connections get their first answers one at a time, one per round
 * of the server's event loop (each round serves the requests of the connections already going);
 * with slow rounds (search on better-sqlite3) the last of 50 waited 8 s, which a fixed warm-up
 * counted as tail latency. Failures count over the whole run.
 */
async function load(server: RunningServer, requests: HttpRequest[], connections: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const warmupEnds = Date.now() + settings.warmup * 1000;
  let measuredFrom = Infinity;
  let measuredUntil = Infinity;
  const answered = new Set<number>();
  let clients = 0;
  const begin = () => {
    if (measuredFrom !== Infinity || answered.size < connections) return;
    measuredFrom = Date.now();
    measuredUntil = measuredFrom + settings.duration * 1000;
    setTimeout(() => instance.stop(), settings.duration * 1000);
  };
  // Called without a callback autocannon returns its instance, which is also a promise of the result.
  const instance = autocannon({
    url: server.url,
    connections,
    // An upper bound: the run is stopped once the measured window has passed.
    duration: settings.warmup + settings.duration + 60,
    requests: requests as never,
    setupClient: (client) => {
      const id = clients++;
      client.on('response', (_status: number, _bytes: number, responseTime: number) => {
        const now = Date.now();
        if (now >= measuredFrom && now < measuredUntil) latencies.push(responseTime);
        answered.add(id);
        if (now >= warmupEnds) begin();
      });
    },
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  const warmupTimer = setTimeout(begin, settings.warmup * 1000);
  const result = await instance;
  clearTimeout(warmupTimer);
  return { latencies, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);
}

/** One request of the workload, checked for GraphQL errors, before any load: a broken workload must not be timed. */
async function probe(server: RunningServer, request: HttpRequest): Promise<void> {
  const req = request.setupRequest ? request.setupRequest(request) : request;
  const res = await fetch(`${server.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"errors"')) throw new Error(`${server.name} ${req.path}: ${res.status} ${text.slice(0, 500)}`);
}

async function statementsPerRequest(server: RunningServer, requests: HttpRequest[]): Promise<number | null> {
  if (!server.sqlStatements) return null;
  const rounds = 10;
  // The previous workload's last requests may still be running on the server: wait until its
  // counter stands still, or their statements would be counted as this workload's.
  let before = await server.sqlStatements();
  for (let last = -1; before !== last; ) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    [last, before] = [before, await server.sqlStatements()];
  }
  for (let i = 0; i < rounds; i++) for (const r of requests) await probe(server, r);
  return ((await server.sqlStatements()) - before) / (rounds * requests.length);
}

/**
 * One workload against one server, or against several instances at once (the connections split
 * between them, one autocannon each, as a load balancer would spread them): requests per second
 * add up, latencies are the worst instance's.
 */
async function measure(servers: RunningServer | RunningServer[], workload: Workload, requests: HttpRequest[], target?: string): Promise<Measurement> {
  const all = Array.isArray(servers) ? servers : [servers];
  for (const server of all) for (const r of requests) await probe(server, r);
  const sqlPerRequest = await statementsPerRequest(all[0], requests);
  const lookupsBefore = await all[0].cacheLookups?.();
  const samplers = all.map((server) => rssSampler(server.pid));
  const connections = Math.ceil((workload.connections ?? settings.connections) / all.length);
  const results = await Promise.all(all.map((server) => load(server, requests, connections)));
  const peaks = samplers.map((sampler) => sampler.stop());
  const sorted = results.map((r) => [...r.latencies].sort((a, b) => a - b));
  const m: Measurement = {
    target: target ?? all[0].name,
    workload: workload.id,
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.latencies.length, 0) / settings.duration),
    p50: Math.max(...sorted.map((l) => percentile(l, 0.5))),
    p99: Math.max(...sorted.map((l) => percentile(l, 0.99))),
    sqlPerRequest,
    peakRssMb: Math.round(Math.max(...peaks) / 1024 / 1024),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
  const lookupsAfter = await all[0].cacheLookups?.();
  if (lookupsBefore && lookupsAfter) {
    const hits = lookupsAfter.hits - lookupsBefore.hits;
    const total = hits + lookupsAfter.misses - lookupsBefore.misses;
    if (total > 0) m.cacheHitRate = hits / total;
  }
  process.stdout.write(`${m.target.padEnd(26)} ${m.workload} ${String(m.requestsPerSecond).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms\n`);
  return m;
}

/**
 * The raw baseline and the gateway on both drivers, cold and with the response cache, all started
 * first and then measured workload by workload, one right after another: a ratio compares runs
 * a minute apart, not ten. A shared machine's speed drifts within minutes, by a third between two
 * gateways measured one after the other, which the ratios must not carry.
 */
async function measureSqlite(source: string, all: Workload[]): Promise<Measurement[]> {
  const setups = [
    ['sqlite3', 0],
    ['better-sqlite3', 0],
    ['sqlite3', 64],
    ['better-sqlite3', 64],
  ] as const;
  const measurements: Measurement[] = [];
  const servers: Array<{ server: RunningServer; kind: 'raw' | 'floor' | 'gateway' | 'cached'; own?: Map<string, Workload> }> = [];
  try {
    servers.push({ server: await startRaw(workingCopy(source, 'raw')), kind: 'raw' });
    servers.push({ server: await startApolloFloor(), kind: 'floor' });
    for (const [driver, responseCacheMb] of setups) {
      const copy = workingCopy(source, `${driver}${responseCacheMb ? '-cached' : ''}`);
      servers.push({ server: await startGateway(copy, driver, responseCacheMb), kind: responseCacheMb > 0 ? 'cached' : 'gateway' });
    }
    for (const { dir, name } of befores) {
      // Its own operations: a field added since is not asked of a gateway that lacks it.
      const own = new Map(workloads(source, dir).map((w) => [w.id, w]));
      for (const driver of ['sqlite3', 'better-sqlite3'] as const) {
        const server = await startGatewayBuiltIn(dir, name, workingCopy(source, `${name}-${driver}`), driver);
        servers.push({ server, kind: 'gateway', own });
      }
    }
    for (const w of all) {
      for (let round = 0; round < rounds; round++) {
        for (const { server, kind, own } of servers) {
          // The cached gateways run only the cacheable workloads, reported in a table of their own.
          const measured = { raw: true, floor: w.floor, gateway: !(own && w.route), cached: w.cached }[kind];
          const requests = kind === 'raw' ? w.raw : (own?.get(w.id) ?? w).gateway;
          if (requests && measured) measurements.push(await measure(server, w, requests));
        }
      }
    }
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
  }
  return measurements;
}

/** Every workload on PostgreSQL, with one instance on core 0, then two on cores 0 and 1. */
async function measurePostgres(source: string, all: Workload[]): Promise<Measurement[]> {
  const template = await postgresTemplate(source, articles);
  const measurements: Measurement[] = [];
  for (const instances of [1, 2]) {
    const database = await workingDatabase(template, `x${instances}`);
    const target = `postgres x${instances}`;
    const gateways: RunningServer[] = [];
    try {
      for (let i = 0; i < instances; i++) gateways.push(await startGatewayWith(`${target} #${i + 1}`, { DATABASE_URL: database.url, RESPONSE_CACHE_MB: '0' }, i));
      for (const w of all) for (let round = 0; round < rounds; round++) measurements.push(await measure(gateways, w, w.gateway, target));
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
      await database.drop();
    }
  }
  return measurements;
}

async function main(): Promise<void> {
  const root = projectRoot();
  try {
    execSync(`taskset -cp 1 ${process.pid}`, { stdio: 'ignore' });
  } catch {
    process.stdout.write('taskset is not available: server and load generator share both cores\n');
  }
  const source = cachedDatabase(articles);
  const all = workloads(source).filter((w) => !chosen || chosen.includes(w.id));
  if (all.length === 0) {
    process.stderr.write(`--workloads names none of W0-W8: ${values.workloads}\n`);
    process.exit(2);
  }
  const measurements: Measurement[] = [];

  if (onPostgres) {
    const raw = await startRaw(workingCopy(source, 'raw'));
    try {
      for (const w of all) for (let round = 0; round < rounds; round++) if (w.raw) measurements.push(await measure(raw, w, w.raw));
    } finally {
      await raw.stop();
    }
    measurements.push(...(await measurePostgres(source, all)));
  } else measurements.push(...(await measureSqlite(source, all)));

  const medians = medianRounds(measurements);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    articles,
    quick,
    settings,
    rounds,
    workloads: all.map((w) => ({ id: w.id, title: w.title })),
    measurements: medians,
    ...(rounds > 1 && { everyRound: measurements }),
  };
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  // A run of some workloads is written beside the full tables, never over them.
  const subset = chosen ? `-${all.map((w) => w.id).join('-')}` : '';
  const name = `${quick ? 'quick' : `latest-${articles}`}${onPostgres ? '-postgres' : ''}${befores.length ? '-before-after' : ''}${subset}`;
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const table = onPostgres
    ? markdown(report, all, medians, POSTGRES_INSTANCES)
    : `${markdown(report, all, medians, SQLITE_DRIVERS)}${floorLines(all, medians)}\n${markdown(report, all.filter((w) => w.cached), medians, SQLITE_CACHED)}` +
      befores.map((b) => beforeAfter(b.dir, b.name).map((c) => `\n${markdown(report, all, medians, c)}`).join('')).join('');
  fs.writeFileSync(path.join(dir, `${name}.md`), table);
  process.stdout.write(`\n${table}`);
  const broken = measurements.filter((m) => m.errors > 0 || m.non2xx > 0);
  if (broken.length > 0) {
    process.stderr.write(`requests failed during the run: ${JSON.stringify(broken)}\n`);
    process.exit(1);
  }
}

/**
 * Each setup's workload as its median round by requests per second (the lower of the middle two
 * for an even count), with the highest peak RSS of any round and the failures of all of them.
 */
function medianRounds(ms: Measurement[]): Measurement[] {
  const runs = new Map<string, Measurement[]>();
  for (const m of ms) {
    const key = `${m.target}|${m.workload}`;
    runs.set(key, [...(runs.get(key) ?? []), m]);
  }
  return [...runs.values()].map((same) => {
    const sorted = [...same].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    return {
      ...sorted[Math.floor((sorted.length - 1) / 2)],
      peakRssMb: Math.max(...same.map((m) => m.peakRssMb)),
      errors: same.reduce((sum, m) => sum + m.errors, 0),
      non2xx: same.reduce((sum, m) => sum + m.non2xx, 0),
    };
  });
}

const roundsNote = rounds > 1 ? ` Each figure is the median of ${rounds} rounds, every server measured in turn in each.` : '';

/** Which two setups a report compares, each against the raw baseline and with each other. */
interface Comparison {
  heading: string;
  targets: [string, string];
  /** Column titles for the two setups, their ratio, and their peak RSS. */
  labels: [string, string, string, string];
}

const SQLITE_DRIVERS: Comparison = {
  heading: `${settings.connections} connections, ${settings.duration} s per workload after ${settings.warmup} s warm-up; server on core 0, load on core 1.${roundsNote}`,
  targets: ['gateway (sqlite3)', 'gateway (better-sqlite3)'],
  labels: ['gateway sqlite3', 'gateway better-sqlite3', 'better/sqlite3', 'peak RSS MB (sqlite3 / better)'],
};

const SQLITE_CACHED: Comparison = {
  heading:
    'the default setup: the same workloads with the in-process response cache on (RESPONSE_CACHE_MB=64, the default), reported apart from the cold path above ' +
    `(RESPONSE_CACHE_MB=0); every write (W5 in W6) moves the content version on. SQL per request is measured on warm entries: one, the version check.${roundsNote}`,
  targets: ['gateway (sqlite3, cached)', 'gateway (better-sqlite3, cached)'],
  labels: ['cached sqlite3', 'cached better-sqlite3', 'better/sqlite3', 'peak RSS MB (sqlite3 / better)'],
};

/** With --before: another checkout's gateway against this one's default, and driver by driver. */
function beforeAfter(dir: string, name: string): Comparison[] {
  return [
    {
      heading: `the gateway built from ${dir} ("${name}") beside this checkout's, same database and load.${roundsNote}`,
      targets: [`${name} (sqlite3)`, 'gateway (better-sqlite3)'],
      labels: [`${name}, sqlite3`, 'after, better-sqlite3', `after/${name}`, `peak RSS MB (${name} / after)`],
    },
    ...(['better-sqlite3', 'sqlite3'] as const).map((driver) => ({
      heading: `${driver}, ${name} and after, as above.${roundsNote}`,
      targets: [`${name} (${driver})`, `gateway (${driver})`] as [string, string],
      labels: [`${name}, ${driver}`, `after, ${driver}`, `after/${name}`, `peak RSS MB (${name} / after)`] as [string, string, string, string],
    })),
  ];
}

const POSTGRES_INSTANCES: Comparison = {
  heading:
    `on PostgreSQL; ${settings.connections} connections in all, ${settings.duration} s per workload after ${settings.warmup} s warm-up. ` +
    `One instance runs on core 0; two run on cores 0 and 1, sharing them with PostgreSQL and the load generator.${roundsNote}`,
  targets: ['postgres x1', 'postgres x2'],
  labels: ['1 instance', '2 instances', '2 / 1', 'peak RSS MB (1 / 2)'],
};

const finder = (ms: Measurement[]) => (target: string, workload: string) => ms.find((m) => m.target === target && m.workload === workload);
const ratio = (a?: Measurement, b?: Measurement) => (a && b ? (a.requestsPerSecond / b.requestsPerSecond).toFixed(2) : 'n/a');

/** The floor workloads on plain Apollo Server 5, against the raw baseline and the two gateways. */
function floorLines(all: Workload[], ms: Measurement[]): string {
  const find = finder(ms);
  const lines = all
    .filter((w) => w.floor)
    .map((w) => {
      const floor = find('plain Apollo Server', w.id);
      const [sqlite3, better] = SQLITE_DRIVERS.targets.map((t) => find(t, w.id));
      return (
        `${w.id} on plain Apollo Server 5 (no resolver, plugin, guard or metric of the gateway's): ` +
        `${floor ? `${floor.requestsPerSecond} req/s (${floor.p50}/${floor.p99} ms)` : 'n/a'}, ` +
        `${ratio(floor, find('raw baseline', w.id))} of the raw baseline; the gateways reach ${ratio(sqlite3, floor)} / ${ratio(better, floor)} of it (sqlite3 / better-sqlite3).`
      );
    });
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

/** Where the response cache was on: the share of queries it answered, per setup. */
function hitRates(a?: Measurement, b?: Measurement): string {
  const rate = (m?: Measurement) => (m?.cacheHitRate === undefined ? 'n/a' : `${Math.round(m.cacheHitRate * 100)} %`);
  return a?.cacheHitRate === undefined && b?.cacheHitRate === undefined ? '' : ` (cache hits ${rate(a)} / ${rate(b)})`;
}

function markdown(
  report: { date: string; machine: Record<string, unknown>; articles: number },
  all: Workload[],
  ms: Measurement[],
  comparison: Comparison,
): string {
  const find = finder(ms);
  const cell = (m?: Measurement) => (m ? `${m.requestsPerSecond} (${m.p50}/${m.p99})` : 'n/a');
  const [first, second, between, rss] = comparison.labels;
  const lines = [
    `${report.articles.toLocaleString('en')} articles, ${report.date.slice(0, 10)}, ${report.machine.cpus} cores (${report.machine.model}), Node ${report.machine.node}; ${comparison.heading}`,
    '',
    `req/s (p50/p99 ms) | raw baseline | ${first} | ratio | ${second} | ratio | ${between} | SQL per request | ${rss}`,
    '---|---|---|---|---|---|---|---|---',
  ];
  for (const w of all) {
    const raw = find('raw baseline', w.id);
    const a = find(comparison.targets[0], w.id);
    const b = find(comparison.targets[1], w.id);
    lines.push(
      [
        `${w.id} ${w.title}`,
        cell(raw),
        cell(a),
        ratio(a, raw),
        cell(b),
        ratio(b, raw),
        ratio(b, a),
        (a?.sqlPerRequest?.toFixed(1) ?? 'n/a') + hitRates(a, b),
        `${a?.peakRssMb ?? 'n/a'} / ${b?.peakRssMb ?? 'n/a'}`,
      ].join(' | '),
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
