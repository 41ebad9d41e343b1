/**
 * npm run bench [-- --quick] [-- --articles N]
 * Drives the gateway (on both SQLite drivers) and the raw baseline over loopback with autocannon,
 * and writes bench/results/latest.{json,md}. Speed is judged only by ratios within one run.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/project-root';
import { cachedDatabase, workingCopy } from './database';
import { RunningServer, rssSampler, startGateway, startRaw } from './servers';
import { HttpRequest, Workload, workloads } from './workloads';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, articles: { type: 'string' } } });
const quick = values.quick as boolean;
const articles = Number(values.articles ?? (quick ? 2000 : 100_000));
const settings = quick ? { connections: 10, warmup: 1, duration: 2 } : { connections: 50, warmup: 3, duration: 10 };

interface Measurement {
  target: string;
  workload: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  sqlPerRequest: number | null;
  peakRssMb: number;
  errors: number;
  non2xx: number;
}

function load(server: RunningServer, requests: HttpRequest[], duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: server.url,
    connections: settings.connections,
    duration,
    requests: requests as never,
  });
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
  const before = await server.sqlStatements();
  for (let i = 0; i < rounds; i++) for (const r of requests) await probe(server, r);
  return ((await server.sqlStatements()) - before) / (rounds * requests.length);
}

async function measure(server: RunningServer, workload: Workload, requests: HttpRequest[]): Promise<Measurement> {
  for (const r of requests) await probe(server, r);
  const sqlPerRequest = await statementsPerRequest(server, requests);
  const sampler = rssSampler(server.pid);
  await load(server, requests, settings.warmup);
  const result = await load(server, requests, settings.duration);
  const peak = sampler.stop();
  const m: Measurement = {
    target: server.name,
    workload: workload.id,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    sqlPerRequest,
    peakRssMb: Math.round(peak / 1024 / 1024),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
  process.stdout.write(`${m.target.padEnd(26)} ${m.workload} ${String(m.requestsPerSecond).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms\n`);
  return m;
}

async function main(): Promise<void> {
  const root = projectRoot();
  try {
    execSync(`taskset -cp 1 ${process.pid}`, { stdio: 'ignore' });
  } catch {
    process.stdout.write('taskset is not available: server and load generator share both cores\n');
  }
  const source = cachedDatabase(articles);
  const all = workloads(source);
  const measurements: Measurement[] = [];

  const raw = await startRaw(workingCopy(source, 'raw'));
  try {
    for (const w of all) if (w.raw) measurements.push(await measure(raw, w, w.raw));
  } finally {
    await raw.stop();
  }
  for (const driver of ['sqlite3', 'better-sqlite3'] as const) {
    const gateway = await startGateway(workingCopy(source, driver), driver);
    try {
      for (const w of all) measurements.push(await measure(gateway, w, w.gateway));
    } finally {
      await gateway.stop();
    }
  }

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    articles,
    quick,
    settings,
    workloads: all.map((w) => ({ id: w.id, title: w.title })),
    measurements,
  };
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const name = quick ? 'quick' : `latest-${articles}`;
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const table = markdown(report, all, measurements);
  fs.writeFileSync(path.join(dir, `${name}.md`), table);
  process.stdout.write(`\n${table}`);
  const broken = measurements.filter((m) => m.errors > 0 || m.non2xx > 0);
  if (broken.length > 0) {
    process.stderr.write(`requests failed during the run: ${JSON.stringify(broken)}\n`);
    process.exit(1);
  }
}

function markdown(report: { date: string; machine: Record<string, unknown>; articles: number }, all: Workload[], ms: Measurement[]): string {
  const find = (target: string, workload: string) => ms.find((m) => m.target === target && m.workload === workload);
  const ratio = (a?: Measurement, b?: Measurement) => (a && b ? (a.requestsPerSecond / b.requestsPerSecond).toFixed(2) : 'n/a');
  const cell = (m?: Measurement) => (m ? `${m.requestsPerSecond} (${m.p50}/${m.p99})` : 'n/a');
  const lines = [
    `${report.articles.toLocaleString('en')} articles, ${report.date.slice(0, 10)}, ${report.machine.cpus} cores (${report.machine.model}), Node ${report.machine.node}; ` +
      `${settings.connections} connections, ${settings.duration} s per workload after ${settings.warmup} s warm-up; server on core 0, load on core 1.`,
    '',
    'req/s (p50/p99 ms) | raw baseline | gateway sqlite3 | ratio | gateway better-sqlite3 | ratio | better/sqlite3 | SQL per request | peak RSS MB (sqlite3 / better)',
    '---|---|---|---|---|---|---|---|---',
  ];
  for (const w of all) {
    const raw = find('raw baseline', w.id);
    const a = find('gateway (sqlite3)', w.id);
    const b = find('gateway (better-sqlite3)', w.id);
    lines.push(
      [
        `${w.id} ${w.title}`,
        cell(raw),
        cell(a),
        ratio(a, raw),
        cell(b),
        ratio(b, raw),
        ratio(b, a),
        a?.sqlPerRequest?.toFixed(1) ?? 'n/a',
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
