import { onPostgres } from './helpers/database';
import { startGateway, TestGateway } from './helpers/gateway';
import { acknowledgedRaw, RawSocket } from './helpers/raw-ws';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { waitForStreams } from './helpers/ws';

const EVENTS = 20_000;
// Behind one trusted proxy every flooding socket says it comes from the same client.
const FLOOD_ADDRESS = { 'x-forwarded-for': '203.0.113.9' };
const NOTHING_MATCHES = 'subscription { articlePublished(after: "0", filter: { section: "No such section" }) { cursor } }';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({ env: { TRUST_PROXY: '1' } });
  const [article] = await gw.sql('SELECT id FROM article LIMIT 1');
  await gw.sql(
    onPostgres
      ? `INSERT INTO event (type, article_id, language, section, created_at)
         SELECT 'ARTICLE_PUBLISHED', :id, 'en', 'Technology', now() FROM generate_series(1, ${EVENTS})`
      : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS})
         INSERT INTO event (type, article_id, language, section, created_at)
         SELECT 'ARTICLE_PUBLISHED', :id, 'en', 'Technology', '2026-01-01 00:00:00.000' FROM n`,
    { id: article.id },
  );
});

afterAll(() => gw.stop());

async function readerQueryMs(): Promise<number> {
  const started = performance.now();
  const res = await gw.raw<{ article: { title: string } }>(`{ article(slug: "${REFERENCE_SLUG}") { title authors { name } } }`);
  expect(res.data?.article.title).toBe('The Global Links Initiative Story');
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

it('answers a reader promptly while one address replays the whole log on 200 subscriptions, two at a time', async () => {
  const latencies: number[] = [];
  const replaying: Array<number | undefined> = [];
  let flooding = true;
  const reader = (async () => {
    while (flooding) {
      latencies.push(await readerQueryMs());
      replaying.push(await gw.metric('gateway_subscription_replays'));
    }
  })();

  const sockets: RawSocket[] = [];
  try {
    // 20 subscriptions on each of 10 sockets, the most one address may hold, each from the log's beginning.
    for (let s = 0; s < 10; s++) {
      const raw = await acknowledgedRaw(gw.url, {}, FLOOD_ADDRESS);
      sockets.push(raw);
      for (let i = 0; i < 20; i++) raw.send({ id: `replay-${i}`, type: 'subscribe', payload: { query: NOTHING_MATCHES } });
      await waitForStreams(gw.url, sockets.length * 20, 20_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    flooding = false;
    await reader;
  }
  // The flood was still replaying when the reader stopped asking, so every answer was given beside it.
  expect(replaying[replaying.length - 1]).toBe(2);
  expect(Math.max(...replaying.map((n) => n ?? Infinity))).toBe(2);
  expect(median(latencies)).toBeLessThan(150);
  expect(Math.max(...latencies)).toBeLessThan(2000);

  for (const raw of sockets) raw.socket.close();
  await Promise.all(sockets.map((s) => s.closed));
  await waitForStreams(gw.url, 0);
  expect(await gw.metric('gateway_subscription_replays')).toBe(0);
});
