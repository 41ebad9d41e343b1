import { bearer, createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';

/** A cursor as the gateway writes them, around any JSON text (JSON.stringify cannot write 1e999). */
const cursorOf = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

/** Every list that takes `after`, and how to ask it for one page. */
const LISTS: Array<{ name: string; query: string; editor?: boolean }> = [
  { name: 'articles', query: 'query($after: String) { list: articles(first: 2, after: $after) { pageInfo { endCursor } } }' },
  {
    name: 'articles, oldest first',
    query: 'query($after: String) { list: articles(first: 2, after: $after, orderBy: PUBLISHED_AT_ASC) { pageInfo { endCursor } } }',
  },
  { name: 'search', query: 'query($after: String) { list: search(query: "policy", first: 2, after: $after) { pageInfo { endCursor } } }' },
  { name: 'authors', query: 'query($after: String) { list: authors(first: 2, after: $after) { pageInfo { endCursor } } }' },
  {
    name: "an author's articles",
    query: 'query($after: String) { author(slug: "synthetic-author-1") { list: articles(first: 2, after: $after) { pageInfo { endCursor } } } }',
  },
  {
    name: 'translation requests',
    query: 'query($after: String) { list: translationRequests(first: 1, after: $after) { pageInfo { endCursor } } }',
    editor: true,
  },
];

describe('cursors a client made up', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 200, env: { NODE_ENV: 'production' } });
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  const page = (list: (typeof LISTS)[number], after: string | null) => gw.raw<any>(list.query, { after }, list.editor ? bearer(keys.editor) : {});
  const listOf = (data: any) => data?.list ?? data?.author?.list;

  it('answers the cursor with an infinite publication time as BAD_USER_INPUT', async () => {
    const res = await page(LISTS[0], 'WyJwZCIsMWU5OTksMV0');
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each(LISTS.map((list) => [list.name, list] as const))('answers %s with BAD_USER_INPUT for values it never writes, and pages on with its own', async (_name, list) => {
    const first = await page(list, null);
    expect(first.errors).toBeUndefined();
    const own: string = listOf(first.data).pageInfo.endCursor;
    expect(own).toEqual(expect.any(String));
    expect((await page(list, own)).errors).toBeUndefined();

    const [kind, value, rowId] = JSON.parse(Buffer.from(own, 'base64url').toString('utf8'));
    const made = [
      `[${JSON.stringify(kind)},1e999,${rowId}]`,
      `[${JSON.stringify(kind)},-1e999,${rowId}]`,
      `[${JSON.stringify(kind)},${JSON.stringify(value)},1e999]`,
      JSON.stringify([kind, typeof value === 'number' ? String(value) : 5, rowId]),
      JSON.stringify([kind, typeof value === 'number' ? null : '2024-13-45 99:99:99.999', rowId]),
      JSON.stringify([kind, { value }, rowId]),
      // Beyond PostgreSQL's 32-bit integer ids and scores, and before year 1.
      JSON.stringify([kind, value, 2 ** 31]),
      JSON.stringify([kind, typeof value === 'number' ? 2 ** 31 : typeof value === 'string' && /^\d{4}-/.test(value) ? `0000${value.slice(4)}` : value, rowId]),
      JSON.stringify([kind, typeof value === 'number' ? 1.5 : value, rowId]),
    ].filter((json) => json !== JSON.stringify([kind, value, rowId]));
    // Slugs are any text: only the cursors of time and number positions can hold a wrong string.
    const accepted = kind === 'au' ? new Set([JSON.stringify([kind, '2024-13-45 99:99:99.999', rowId])]) : new Set<string>();
    for (const json of made.filter((m) => !accepted.has(m))) {
      const res = await page(list, cursorOf(json));
      expect({ json, errors: res.errors?.map((e) => e.extensions) }).toEqual({ json, errors: [expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })] });
    }
  });
});

describe('event cursors a client made up', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway();
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  it('answers a sequence beyond the 32-bit event ids with BAD_USER_INPUT, and the largest one with an empty page', async () => {
    const events = (after: string) => gw.raw<any>('query($after: String) { events(after: $after, first: 5) { edges { cursor } } }', { after }, bearer(keys.editor));
    const beyond = await events(Buffer.from(`event:${2 ** 31}`).toString('base64url'));
    expect(beyond.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const largest = await events(Buffer.from(`event:${2 ** 31 - 1}`).toString('base64url'));
    expect(largest.errors).toBeUndefined();
    expect(largest.data.events.edges).toEqual([]);
  });
});
