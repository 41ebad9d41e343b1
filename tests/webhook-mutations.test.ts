import { bearer, createKeys, globalId, Keys, snapshot } from './helpers/editors';
import { codes, startGateway, TestGateway } from './helpers/gateway';
import { startReceiver, Receiver } from './helpers/receiver';

// Every webhook mutation: success, each validation error, and missing or wrong credentials, with
// nothing written when it is refused.

let gw: TestGateway;
let keys: Keys;
let receiver: Receiver;
let webhookId: string;
let eventId: number;

beforeAll(async () => {
  gw = await startGateway({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' } });
  keys = await createKeys(gw.db);
  receiver = await startReceiver();
  const created = await gw.raw<{ createWebhook: { webhook: { id: string } } }>(
    'mutation($url: String!) { createWebhook(input: { url: $url, events: [ARTICLE_PUBLISHED] }) { webhook { id } } }',
    { url: receiver.url },
    bearer(keys.editor),
  );
  webhookId = created.data!.createWebhook.webhook.id;
  const article = await gw.raw<{ createArticle: { id: string } }>('mutation { createArticle(input: { slug: "hook-fixture", title: "T", language: "en" }) { id } }', {}, bearer(keys.editor));
  await gw.raw('mutation($id: ID!) { publishArticle(id: $id) { id } }', { id: article.data!.createArticle.id }, bearer(keys.editor));
  await receiver.waitFor(1);
  eventId = receiver.requests[0].json.id;
  // Let the delivery's bookkeeping finish, so that snapshots below see a quiet database.
  await new Promise((resolve) => setTimeout(resolve, 300));
});

afterAll(async () => {
  await gw.stop();
  await receiver.close();
});

interface Case {
  name: string;
  query: string;
  valid: () => Record<string, unknown>;
  invalid: Array<{ why: string; variables: () => Record<string, unknown>; field?: string; code?: string }>;
  check: (data: Record<string, any>) => void;
}

const CASES: Case[] = [
  {
    name: 'createWebhook',
    query: 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { url events active filter { section language } } } }',
    valid: () => ({ input: { url: receiver.url, events: ['ARTICLE_PUBLISHED', 'TRANSLATION_PUBLISHED'], filter: { section: 'Science', language: 'pt-BR' } } }),
    invalid: [
      { why: 'an ftp URL', variables: () => ({ input: { url: 'ftp://example.org/hook', events: ['ARTICLE_PUBLISHED'] } }), field: 'input.url' },
      { why: 'a URL with a password', variables: () => ({ input: { url: 'https://u:p@example.org/hook', events: ['ARTICLE_PUBLISHED'] } }), field: 'input.url' },
      { why: 'not a URL', variables: () => ({ input: { url: 'hook', events: ['ARTICLE_PUBLISHED'] } }), field: 'input.url' },
      { why: 'no event types', variables: () => ({ input: { url: receiver.url, events: [] } }), field: 'input.events' },
      { why: 'an event type twice', variables: () => ({ input: { url: receiver.url, events: ['ARTICLE_PUBLISHED', 'ARTICLE_PUBLISHED'] } }), field: 'input.events' },
      { why: 'a filter language that is not BCP 47', variables: () => ({ input: { url: receiver.url, events: ['ARTICLE_PUBLISHED'], filter: { language: '??' } } }), field: 'input.filter.language' },
    ],
    check: (data) => {
      expect(data.createWebhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(data.createWebhook.webhook).toEqual({
        url: receiver.url,
        events: ['ARTICLE_PUBLISHED', 'TRANSLATION_PUBLISHED'],
        active: true,
        filter: { section: 'Science', language: 'pt' },
      });
    },
  },
  {
    name: 'updateWebhook',
    query: 'mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { events filter { section } } }',
    valid: () => ({ id: webhookId, input: { events: ['ARTICLE_PUBLISHED', 'ARTICLE_UNPUBLISHED'], filter: null } }),
    invalid: [
      { why: 'an unknown webhook', variables: () => ({ id: globalId('Webhook', 9999), input: { events: ['ARTICLE_PUBLISHED'] } }), code: 'NOT_FOUND' },
      { why: 'a javascript: URL', variables: () => ({ id: webhookId, input: { url: 'javascript:alert(1)' } }), field: 'input.url' },
      { why: 'an empty list of events', variables: () => ({ id: webhookId, input: { events: [] } }), field: 'input.events' },
      { why: 'an article id', variables: () => ({ id: globalId('Article', 1), input: { events: ['ARTICLE_PUBLISHED'] } }), field: 'id' },
    ],
    check: (data) => expect(data.updateWebhook).toEqual({ events: ['ARTICLE_PUBLISHED', 'ARTICLE_UNPUBLISHED'], filter: { section: null } }),
  },
  {
    name: 'disableWebhook',
    query: 'mutation($id: ID!) { disableWebhook(id: $id) { active disabledReason } }',
    valid: () => ({ id: webhookId }),
    invalid: [{ why: 'an unknown webhook', variables: () => ({ id: globalId('Webhook', 9999) }), code: 'NOT_FOUND' }],
    check: (data) => expect(data.disableWebhook).toEqual({ active: false, disabledReason: 'disabled by an editor' }),
  },
  {
    name: 'enableWebhook',
    query: 'mutation($id: ID!) { enableWebhook(id: $id) { active disabledReason consecutiveFailures } }',
    valid: () => ({ id: webhookId }),
    invalid: [{ why: 'a malformed id', variables: () => ({ id: '%%%' }), field: 'id' }],
    check: (data) => expect(data.enableWebhook).toEqual({ active: true, disabledReason: null, consecutiveFailures: 0 }),
  },
  {
    name: 'rotateWebhookSecret',
    query: 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }',
    valid: () => ({ id: webhookId }),
    invalid: [{ why: 'an unknown webhook', variables: () => ({ id: globalId('Webhook', 9999) }), code: 'NOT_FOUND' }],
    check: (data) => {
      expect(data.rotateWebhookSecret.secret).toMatch(/^whsec_/);
      expect(data.rotateWebhookSecret.webhook.id).toBe(webhookId);
    },
  },
  {
    name: 'redeliverWebhookEvent',
    query: 'mutation($w: ID!, $e: Int!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { eventId status } }',
    valid: () => ({ w: webhookId, e: eventId }),
    invalid: [
      { why: 'an unknown event', variables: () => ({ w: webhookId, e: 999999 }), field: 'eventId' },
      { why: 'an unknown webhook', variables: () => ({ w: globalId('Webhook', 9999), e: eventId }), code: 'NOT_FOUND' },
    ],
    check: (data) => expect(data.redeliverWebhookEvent).toEqual({ eventId, status: 'PENDING' }),
  },
  {
    name: 'redeliverWebhookEventsAfter',
    query: 'mutation($w: ID!, $e: Int!) { redeliverWebhookEventsAfter(webhookId: $w, afterEventId: $e) }',
    valid: () => ({ w: webhookId, e: 0 }),
    invalid: [
      { why: 'a negative event id', variables: () => ({ w: webhookId, e: -1 }), field: 'afterEventId' },
      { why: 'an unknown webhook', variables: () => ({ w: globalId('Webhook', 9999), e: 0 }), code: 'NOT_FOUND' },
    ],
    check: (data) => expect(data.redeliverWebhookEventsAfter).toBe(1),
  },
  {
    name: 'deleteWebhook',
    query: 'mutation($id: ID!) { deleteWebhook(id: $id) }',
    valid: () => ({ id: webhookId }),
    invalid: [{ why: 'an unknown webhook', variables: () => ({ id: globalId('Webhook', 9999) }), code: 'NOT_FOUND' }],
    check: (data) => expect(data.deleteWebhook).toBe(webhookId),
  },
];

async function quietSnapshot(): Promise<string> {
  // Deliveries started by an earlier case finish first; then the database holds still.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return snapshot(gw.db);
}

describe.each(CASES)('$name', (c) => {
  it('refuses a caller without a key (UNAUTHENTICATED), with a non-editor or revoked key (FORBIDDEN), and writes nothing', async () => {
    const before = await quietSnapshot();
    const credentials: Array<[Record<string, string>, string]> = [
      [{}, 'UNAUTHENTICATED'],
      [bearer(`cgk_${'B'.repeat(43)}`), 'UNAUTHENTICATED'],
      [bearer(keys.integrator), 'FORBIDDEN'],
      [bearer(keys.revokedEditor), 'FORBIDDEN'],
    ];
    for (const [headers, code] of credentials) {
      const res = await gw.raw(c.query, c.valid(), headers);
      expect(codes(res)).toEqual([code]);
      expect(res.data).toBeNull();
    }
    expect(await snapshot(gw.db)).toBe(before);
  });

  it.each(c.invalid)('refuses $why, naming the field, and writes nothing', async (bad) => {
    const before = await quietSnapshot();
    const res = await gw.raw(c.query, bad.variables(), bearer(keys.editor));
    expect(codes(res)).toEqual([bad.code ?? 'BAD_USER_INPUT']);
    if (bad.field) expect(res.errors![0].extensions!.field).toBe(bad.field);
    expect(await snapshot(gw.db)).toBe(before);
  });

  it('succeeds for an editor', async () => {
    const res = await gw.raw(c.query, c.valid(), bearer(keys.editor));
    expect(res.errors).toBeUndefined();
    c.check(res.data as Record<string, any>);
  });
});

it('lists webhooks and their deliveries for editors only', async () => {
  const anonymous = await gw.raw('{ webhooks { id } }');
  expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  const listed = await gw.raw<{ webhooks: Array<{ url: string }> }>('{ webhooks { url } }', {}, bearer(keys.editor));
  expect(listed.data!.webhooks.map((w) => w.url)).toEqual([receiver.url]);
});
