import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../src/project-root';

const ROOT = projectRoot();

export interface RunningServer {
  name: string;
  url: string;
  pid: number;
  /** The gateway's own SQL counter (undefined for the raw baseline, which counts nothing). */
  sqlStatements?: () => Promise<number>;
  /** Response cache lookups so far (zero when the cache is off). */
  cacheLookups?: () => Promise<{ hits: number; misses: number }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode != null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not come up`);
}

/** The server runs pinned to a core (0 unless told), the load generator (this process) to core 1, so neither takes the other's time. */
function pinned(script: string, env: NodeJS.ProcessEnv, core = 0): ChildProcess {
  return spawn('taskset', ['-c', String(core), process.execPath, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode != null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** The gateway over SQLite with one of its two drivers, cold (no response cache) unless `responseCacheMb` is given. */
export function startGateway(sqlitePath: string, driver: 'sqlite3' | 'better-sqlite3', responseCacheMb = 0): Promise<RunningServer> {
  return startGatewayWith(`gateway (${driver}${responseCacheMb ? ', cached' : ''})`, {
    SQLITE_PATH: sqlitePath,
    DB_DRIVER: driver,
    RESPONSE_CACHE_MB: String(responseCacheMb),
  });
}

/** The gateway built in another checkout (`root`, after its `npm ci` and build), for a before/after run. */
export function startGatewayBuiltIn(root: string, name: string, sqlitePath: string, driver: 'sqlite3' | 'better-sqlite3'): Promise<RunningServer> {
  return startGatewayWith(`${name} (${driver})`, { SQLITE_PATH: sqlitePath, DB_DRIVER: driver, RESPONSE_CACHE_MB: '0' }, 0, root);
}

/** A gateway with the given database settings, pinned to `core`. */
export async function startGatewayWith(name: string, database: Record<string, string>, core = 0, root = ROOT): Promise<RunningServer> {
  const port = await freePort();
  const child = pinned(
    path.join(root, 'dist/src/main.js'),
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      ...database,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // W5 sends every write from one address: the abuse limit would measure itself, not the gateway.
      TRANSLATION_REQUESTS_PER_MINUTE: '1000000',
    },
    core,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`, child);
  const metricsText = async () => (await fetch(`${url}/metrics`)).text();
  return {
    name,
    url,
    pid: child.pid as number,
    async sqlStatements() {
      return metric(await metricsText(), 'gateway_sql_statements_total');
    },
    async cacheLookups() {
      const text = await metricsText();
      const lookups = (result: string) => metric(text, `gateway_response_cache_lookups_total{result="${result}"}`);
      return { hits: lookups('hit'), misses: lookups('miss') };
    },
    stop: stopper(child),
  };
}

/** A counter's value in Prometheus text (0 when the series has not appeared yet). */
export function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

export function startRaw(sqlitePath: string): Promise<RunningServer> {
  return startScript('raw baseline', 'dist/bench/raw-server.js', { SQLITE_PATH: sqlitePath });
}

/** Plain Apollo Server 5 answering W0's request, the floor of the stack the gateway is built on. */
export function startApolloFloor(): Promise<RunningServer> {
  return startScript('plain Apollo Server', 'dist/bench/apollo-floor-server.js', {});
}

/** A bench server that says when it listens over IPC. */
async function startScript(name: string, script: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = await freePort();
  const child = pinned(path.join(ROOT, script), { PORT: String(port), ...env });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, url: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: stopper(child) };
}

/** Samples the server's resident memory while a workload runs; the peak is what the report shows. */
export function rssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // The process may be between samples and exit; the last peak stands.
    }
  };
  read();
  const timer = setInterval(read, 50);
  return {
    stop() {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}
