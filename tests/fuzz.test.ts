import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { closeDatabase, createDataSource, openDatabase } from '../src/db/data-source';
import { query } from '../src/db/sql';
import { toGlobalId } from '../src/graphql/global-id';
import { DEFAULT_LIMITS } from '../src/graphql/checks/limits';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { seedReferenceContent } from '../src/seed/reference-content';
import { seedSynthetic } from '../src/seed/synthetic';
import { buildCase, CaseContext, describeCase, FuzzCase, Phase, runCase, Runtime, Turns } from './fuzz/cases';
import { findings, Oracle } from './fuzz/findings';
import type { CursorKind, NodeType, World } from './fuzz/hostile-values';
import { loadSchema } from './fuzz/schema-operations';
import { PooledSocket } from './fuzz/transports';
import { ChildGateway, startChildGateway } from './helpers/child-gateway';
import { freshDatabase, TestDatabase } from './helpers/database';
import { bearer, createKeys, Keys } from './helpers/editors';
import { tempDir } from './helpers/gateway';
import { Receiver, startReceiver } from './helpers/receiver';
import { REFERENCE_SLUG } from './helpers/seed-content';

// Operations built from the schema, with hostile argument values, sent to a gateway running in a
// process of its own over HTTP POST, GET with automatic persisted queries and graphql-ws.
//
// FUZZ_RUNS=N sends N cases instead of 10,000 (four fifths without an editor key, one fifth with).
// FUZZ_SEED=S (with FUZZ_PATH=P from a failure) replays a run; every run prints its seed.
// FUZZ_KNOWN=REGEX lists the findings it matches at the end instead of failing on them, so that a
// long run can look past one already reported.

const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);
const ANONYMOUS_CASES = Math.round(TOTAL * 0.8);
const EDITOR_CASES = TOTAL - ANONYMOUS_CASES;
const SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);
const KNOWN = process.env.FUZZ_KNOWN ? new RegExp(process.env.FUZZ_KNOWN) : undefined;
/** Cases drawn together by one fast-check run and sent at once, up to CONCURRENCY in flight. */
const BATCH = 50;
const CONCURRENCY = 16;
/** A language no case asks for, so that the invariant queries can read its translation state. */
const RESERVED_LANGUAGE = 'eu';
/** Growth of the gateway's resident memory over the whole run beyond which it counts as unbounded. */
const RSS_GROWTH_LIMIT_MB = 256;

const GATEWAY_ENV = {
  NODE_ENV: 'production',
  // Every reader's requestTranslation should reach the service, not stop at the rate limit.
  TRANSLATION_REQUESTS_PER_MINUTE: '1000000',
  // Generated webhook URLs point only at the loopback receiver of this test.
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
};

const ANONYMOUS: Phase = {
  roles: [
    [6, 'anonymous'],
    [2, 'integrator'],
    [1, 'revoked'],
    [1, 'malformed-key'],
  ],
  kinds: [
    [75, 'query'],
    [12, 'mutation'],
    [13, 'subscription'],
  ],
  transports: [
    [40, 'http-post'],
    [18, 'http-get-apq'],
    [28, 'ws'],
    [8, 'http-raw'],
    [3, 'ws-connect'],
    [3, 'ws-raw'],
  ],
};

const EDITOR: Phase = {
  roles: [[1, 'editor']],
  kinds: [
    [40, 'query'],
    [45, 'mutation'],
    [15, 'subscription'],
  ],
  transports: [
    [55, 'http-post'],
    [10, 'http-get-apq'],
    [35, 'ws'],
  ],
};

const INVARIANTS: Record<string, { query: string; variables: Record<string, unknown> }> = {
  'the reference page': {
    query: fs.readFileSync(path.join(__dirname, '..', 'schema', 'reference-page.graphql'), 'utf8'),
    variables: { slug: REFERENCE_SLUG, language: RESERVED_LANGUAGE },
  },
  'the home list': {
    query: fs.readFileSync(path.join(__dirname, '..', 'schema', 'home-list.graphql'), 'utf8'),
    variables: { first: 20, language: RESERVED_LANGUAGE },
  },
  'the translation state': {
    query: `query TranslationState($language: String!) {
      articles(first: 50) { edges { node { slug translations { slug language } translationStatus(language: $language) { language state requestCount translation { slug } } } } }
    }`,
    variables: { language: RESERVED_LANGUAGE },
  },
};

let database: TestDatabase;
let dir: string;
let gateway: ChildGateway;
let receiver: Receiver;
let keys: Keys;
let context: CaseContext;
let runtime: Runtime;
let oracle: Oracle;
let invariantsBefore: Record<string, unknown>;
let rssAtStart: number;
/** Findings FUZZ_KNOWN matched, by kind: how often, and the first case of each. */
const known = new Map<string, { count: number; first: string }>();

async function graphql(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: any; errors?: unknown[] };
  if (json.errors) throw new Error(`${query}: ${JSON.stringify(json.errors)}`);
  return json.data;
}

function rssMb(): number {
  const status = fs.readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

/** CPU time the gateway process has used, from /proc (user and system, in clock ticks of 1/100 s). */
function gatewayCpuSeconds(): number {
  const fields = fs.readFileSync(`/proc/${gateway.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function readInvariants(): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const [name, { query, variables }] of Object.entries(INVARIANTS)) answers[name] = await graphql(query, variables);
  return answers;
}

/** What the database holds, as the generator's raw material and as the secrets no reader may see. */
async function readWorld(db: DataSource): Promise<{ world: Omit<World, 'cursors' | 'receiverUrl'>; markers: Set<string> }> {
  const articles = await query<{ id: number; slug: string; title: string; display_title: string | null; summary: string | null; status: string }>(
    db,
    'SELECT id, slug, title, display_title, summary, status FROM article ORDER BY id',
  );
  const published = articles.filter((a) => a.status === 'PUBLISHED');
  const drafts = articles.filter((a) => a.status !== 'PUBLISHED');
  const ids = async (table: string, type: NodeType) => (await query<{ id: number }>(db, `SELECT id FROM ${table} ORDER BY id`)).map((r) => toGlobalId(type, Number(r.id)));
  const column = async (sql: string) => (await query<{ v: string }>(db, sql)).map((r) => r.v).filter((v) => v != null);
  const publicText = new Set(published.flatMap((a) => [a.title, a.display_title, a.summary]));
  const markers = new Set<string>();
  for (const draft of drafts) {
    markers.add(draft.slug);
    markers.add(toGlobalId('Article', Number(draft.id)));
    // A draft's title counts only where no public text could be the same words.
    for (const title of [draft.title, draft.display_title]) if (title && title.length >= 12 && !publicText.has(title)) markers.add(title);
  }
  return {
    markers,
    world: {
      ids: {
        Article: published.map((a) => toGlobalId('Article', Number(a.id))),
        Author: await ids('author', 'Author'),
        License: await ids('license', 'License'),
        Image: await ids('image', 'Image'),
        Publication: await ids('publication', 'Publication'),
        TranslationRequest: await ids('translation_request', 'TranslationRequest'),
        Webhook: [],
        WebhookDelivery: [],
      },
      draftIds: drafts.map((a) => toGlobalId('Article', Number(a.id))),
      slugs: { published: published.map((a) => a.slug), drafts: drafts.map((a) => a.slug), authors: await column('SELECT slug AS v FROM author ORDER BY id') },
      keys: {
        licenses: await column('SELECT key AS v FROM license ORDER BY id'),
        publications: await column('SELECT key AS v FROM publication ORDER BY id'),
        images: await column('SELECT key AS v FROM image ORDER BY id'),
      },
      sections: await column('SELECT DISTINCT section AS v FROM article WHERE section IS NOT NULL ORDER BY section'),
      reservedLanguage: RESERVED_LANGUAGE,
    },
  };
}

/** Cursors as the gateway hands them out, one list each. */
async function readCursors(): Promise<Record<CursorKind, string[]>> {
  const data = await graphql(
    `{
      pd: articles(first: 3) { edges { cursor } }
      pa: articles(first: 3, orderBy: PUBLISHED_AT_ASC) { edges { cursor } }
      s: search(query: "policy", first: 3) { edges { cursor } }
      au: authors(first: 3) { edges { cursor } }
      tr: translationRequests(first: 3) { edges { cursor } }
      ev: events(after: "0", first: 3) { edges { cursor } }
    }`,
    {},
    bearer(keys.editor),
  );
  const cursors = (list: { edges: Array<{ cursor: string }> }) => list.edges.map((e) => e.cursor);
  return { pd: cursors(data.pd), pa: cursors(data.pa), s: cursors(data.s), au: cursors(data.au), 'translation-request': cursors(data.tr), event: cursors(data.ev) };
}

/** What the gateway logged under the request ids the problems quote: the error a client saw masked. */
function gatewayLog(problems: string[]): string {
  const ids = [...new Set(problems.join(' ').match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
  const lines = gateway.output().split('\n');
  const logged = ids.flatMap((id) => lines.filter((line) => line.includes(id)).map((line) => {
    const entry = JSON.parse(line);
    return `  gateway log: ${entry.msg}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''} ${(entry.err?.stack ?? '').split('\n').slice(1, 4).join(' | ')}`;
  }));
  return logged.length > 0 ? `\n${logged.join('\n')}` : '';
}

async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

interface Summary {
  cases: number;
  byTransport: Record<string, number>;
  withData: number;
  overLimit: number;
}

/**
 * `count` cases of `phase`, drawn by fast-check from SEED in batches; the first batch with a case
 * that breaks the property fails the run, and the message says how to replay it.
 */
async function fuzz(name: string, phase: Phase, count: number, seed: number): Promise<void> {
  const summary: Summary = { cases: 0, byTransport: {}, withData: 0, overLimit: 0 };
  const started = performance.now();
  const property = fc.asyncProperty(fc.array(fc.noShrink(fc.noBias(fc.integer({ min: 0, max: 2 ** 32 - 1 }))), { minLength: BATCH, maxLength: BATCH }), async (seeds) => {
    const cases = seeds.map((seed) => buildCase(seed, phase, context));
    const results = await inParallel(cases, CONCURRENCY, async (c: FuzzCase) => {
      const exchanges = await runCase(c, runtime);
      summary.cases++;
      summary.byTransport[c.plan.transport] = (summary.byTransport[c.plan.transport] ?? 0) + 1;
      if (exchanges.some((ex) => ex.payloads.some((p) => p.data != null))) summary.withData++;
      if ('op' in c.plan && c.plan.op.overLimit) summary.overLimit++;
      return { c, problems: findings(c, exchanges, oracle) };
    });
    const failed: string[] = [];
    for (const { c, problems } of results) {
      if (problems.length === 0) continue;
      const report = `${describeCase(c)}\n${problems.map((p) => `  ✗ ${p}`).join('\n')}${gatewayLog(problems)}`;
      if (KNOWN && problems.every((p) => KNOWN.test(`${p} ${report}`))) {
        for (const problem of problems) {
          // Findings that differ only in request ids are one kind; what the gateway logged tells masked errors apart.
          const kind = `${problem}${gatewayLog([problem]).split(' | ')[0]}`.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').slice(0, 400);
          const entry = known.get(kind) ?? { count: 0, first: report };
          entry.count++;
          known.set(kind, entry);
        }
      } else failed.push(report);
    }
    if (failed.length > 0) throw new Error(`${failed.length} of ${cases.length} cases in this batch:\n\n${failed.slice(0, 3).join('\n\n')}`);
  });
  const cpuAtStart = { test: process.cpuUsage(), gateway: gatewayCpuSeconds() };
  const details = await fc.check(property, { seed, path: process.env.FUZZ_PATH, numRuns: Math.ceil(count / BATCH), endOnFailure: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const testCpu = process.cpuUsage(cpuAtStart.test);
  console.log(
    `${name}: ${summary.cases} cases in ${seconds} s (seed ${SEED}; CPU: gateway ${(gatewayCpuSeconds() - cpuAtStart.gateway).toFixed(1)} s, ` +
      `test ${((testCpu.user + testCpu.system) / 1e6).toFixed(1)} s), ${summary.withData} answered with data, ${summary.overLimit} built to break a limit; ` +
      `by transport ${JSON.stringify(summary.byTransport)}; gateway RSS ${rssMb().toFixed(0)} MB`,
  );
  if (details.failed) {
    const replay = `FUZZ_SEED=${SEED} FUZZ_PATH=${details.counterexamplePath} npx jest --runInBand tests/fuzz.test.ts -t '${name}'`;
    throw new Error(`Fuzzing found answers that break the property. Replay with:\n  ${replay}\n\n${details.errorInstance instanceof Error ? details.errorInstance.message : inspect(details.errorInstance)}`);
  }
}

beforeAll(async () => {
  dir = tempDir();
  database = await freshDatabase(dir);
  const config = loadConfig({ ...database.env, ...(process.env.DB_DRIVER && { DB_DRIVER: process.env.DB_DRIVER }), LOG_LEVEL: 'silent' });
  const db = await openDatabase(createDataSource(config, createLogger(config), createMetrics()));
  let world: Awaited<ReturnType<typeof readWorld>>;
  try {
    await seedReferenceContent(db);
    await seedSynthetic(db, 300);
    keys = await createKeys(db);
    world = await readWorld(db);
  } finally {
    await closeDatabase(db);
  }
  receiver = await startReceiver();
  gateway = await startChildGateway({ ...database.env, ...GATEWAY_ENV });
  const gatewayConfig = loadConfig({ ...database.env, ...GATEWAY_ENV });
  context = {
    schema: loadSchema(),
    world: { ...world.world, cursors: await readCursors(), receiverUrl: receiver.url },
    limits: DEFAULT_LIMITS,
    keys,
    maxPayloadBytes: gatewayConfig.webSocket.maxPayloadBytes,
  };
  oracle = { timeoutMs: gatewayConfig.requestTimeoutMs, secrets: { markers: world.markers } };
  runtime = {
    baseUrl: gateway.url,
    http: { baseUrl: gateway.url, timeoutMs: gatewayConfig.requestTimeoutMs },
    ws: { timeoutMs: gatewayConfig.requestTimeoutMs, subscriptionMs: 150 },
    sockets: {
      anonymous: new PooledSocket(gateway.url, { 'x-reader-id': 'fuzz-socket-reader' }),
      integrator: new PooledSocket(gateway.url, { authorization: `Bearer ${keys.integrator}` }),
      editor: new PooledSocket(gateway.url, { authorization: `Bearer ${keys.editor}` }),
    },
    // Three pooled sockets, and room for the gateway to notice that a closed one has gone.
    ownSockets: new Turns(gatewayConfig.webSocket.maxSocketsPerAddress - 5),
    maxPayloadBytes: gatewayConfig.webSocket.maxPayloadBytes,
  };
  invariantsBefore = await readInvariants();
  rssAtStart = rssMb();
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(runtime?.sockets ?? {}).map((s) => s.dispose()));
  if (gateway && gateway.child.exitCode === null) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  await receiver?.close();
  await database?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (known.size > 0) {
    const kinds = [...known.entries()].sort((a, b) => b[1].count - a[1].count);
    console.log(`Findings FUZZ_KNOWN matched, by kind:\n\n${kinds.map(([kind, { count, first }]) => `${count} × ${kind}\n${first}`).join('\n\n')}`);
  }
}, 60_000);

const timeout = (cases: number) => 120_000 + cases * 50;

describe('fuzzing the gateway with operations built from its schema', () => {
  it(
    'answers readers, integrators and bad keys over HTTP POST, GET with persisted queries and graphql-ws without a 500, an unmasked error, a slow answer or a draft',
    () => fuzz('without an editor key', ANONYMOUS, ANONYMOUS_CASES, SEED),
    timeout(ANONYMOUS_CASES),
  );

  it('answers the reference page, the home list and the translation state as before', async () => {
    expect(await readInvariants()).toEqual(invariantsBefore);
  });

  it(
    "answers editors' queries, mutations and subscriptions over HTTP and graphql-ws without a 500, an unmasked error or a slow answer",
    // A seed of its own, so that the editor's cases are not the readers' cases again.
    () => fuzz('with an editor key', EDITOR, EDITOR_CASES, (SEED + 1) | 0),
    timeout(EDITOR_CASES),
  );

  it('is still running afterwards, healthy, with its memory bounded', async () => {
    expect(gateway.child.exitCode).toBeNull();
    expect(gateway.child.signalCode).toBeNull();
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(rssMb() - rssAtStart).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  });
});
