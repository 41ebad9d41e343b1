import { toGlobalId } from '../src/graphql/global-id';
import { codes, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

describe('node(id), authors, licenses', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ synthetic: 200 });
  });
  afterAll(() => gw.stop());

  it('fetches every public type again by its global id', async () => {
    const res = await gw.raw(`{
      article(slug: "${REFERENCE_SLUG}") { id heroImage { id license { id } } publication { id } }
      authors(first: 1) { edges { node { id slug } } }
    }`);
    const a = res.data as any;
    const ids: Array<[string, string]> = [
      [a.article.id, 'Article'],
      [a.article.heroImage.id, 'Image'],
      [a.article.heroImage.license.id, 'License'],
      [a.article.publication.id, 'Publication'],
      [a.authors.edges[0].node.id, 'Author'],
    ];
    for (const [id, type] of ids) {
      const node = await gw.raw<{ node: { __typename: string; id: string } }>('query($id: ID!) { node(id: $id) { __typename id } }', { id });
      expect(node.data!.node).toEqual({ __typename: type, id });
    }
  });

  it('hides drafts from node(id), article(id) and article(slug)', async () => {
    const [draft] = await gw.db.query("SELECT id, slug FROM article WHERE status = 'DRAFT' LIMIT 1");
    const id = toGlobalId('Article', draft.id);
    const res = await gw.raw(`query($id: ID!) { node(id: $id) { id } byId: article(id: $id) { id } bySlug: article(slug: "${draft.slug}") { id } }`, { id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: null, byId: null, bySlug: null });
  });

  it('answers a malformed id with BAD_USER_INPUT and article() with neither or both keys too', async () => {
    expect(codes(await gw.raw('{ node(id: "%%%") { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gw.raw('{ article { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gw.raw(`{ article(slug: "x", id: "${toGlobalId('Article', 1)}") { id } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('lists authors in slug order across pages and licenses by key', async () => {
    const slugs: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await gw.raw<any>('query($after: String) { authors(first: 2, after: $after) { totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } }', { after });
      slugs.push(...res.data.authors.edges.map((e: any) => e.node.slug));
      expect(res.data.authors.totalCount).toBe(await gw.count('author'));
      if (!res.data.authors.pageInfo.hasNextPage) break;
      after = res.data.authors.pageInfo.endCursor;
    }
    expect(slugs).toEqual([...slugs].sort());
    expect(slugs).toHaveLength(await gw.count('author'));

    const licenses = await gw.raw<any>('{ licenses { key url } license(key: "cc-by-nc-2.0") { shortName } }');
    expect(licenses.data.licenses.map((l: any) => l.key)).toEqual(expect.arrayContaining(['cc-by-nc-2.0', 'cc-unspecified']));
    expect(licenses.data.license).toEqual({ shortName: 'CC BY-NC 2.0' });
  });
});
