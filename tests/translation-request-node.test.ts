import { buildSchema, getNamedType, GraphQLObjectType, isLeafType } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { bearer, createKeys, Keys } from './helpers/editors';
import { GraphQLResponse, startGateway, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';

// The translation request queue, and where each request stands in it, is for editors. A reader
// reaching a request some other way sees what the article's translation box shows: the language,
// how many asked, and the public state. The fields are read from the schema itself, so a field
// added to TranslationRequest later is refused to readers unless it is listed as public here.

const PUBLIC_FIELDS = ['article', 'id', 'language', 'requestCount', 'state'];
/** Paths only editors reach. */
const EDITOR_PATHS = new Set(['Mutation.setTranslationRequestStatus', 'TranslationRequestEdge.node', 'TranslationRequestEvent.request']);

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
const requestType = schema.getType('TranslationRequest') as GraphQLObjectType;
const selectionOf = (field: string) => (isLeafType(getNamedType(requestType.getFields()[field].type)) ? field : `${field} { __typename }`);

let gw: TestGateway;
let keys: Keys;
let articleId: string;
let requestId: string;

const ask = (language: string, reader: string, selection: string) =>
  gw.raw<{ requestTranslation: { request: Record<string, unknown> } }>(
    `mutation($id: ID!, $language: String!) { requestTranslation(input: { articleId: $id, language: $language }) { request { ${selection} } } }`,
    { id: articleId, language },
    { 'x-reader-id': reader },
  );

const node = (selection: string, headers: Record<string, string> = {}) =>
  gw.raw<{ node: Record<string, unknown> | null }>(`query($id: ID!) { node(id: $id) { ... on TranslationRequest { ${selection} } } }`, { id: requestId }, headers);

function refused(res: GraphQLResponse<unknown>): void {
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  expect(JSON.stringify(res.data ?? null)).not.toMatch(/ACCEPTED|IN_PROGRESS|REQUESTED|\d{4}-\d\d-\d\dT/);
}

beforeAll(async () => {
  gw = await startGateway({ env: { TRANSLATION_REQUESTS_PER_MINUTE: '1000' } });
  keys = await createKeys(gw.db);
  const page = await gw.raw<{ article: { id: string } }>(`{ article(slug: "${REFERENCE_SLUG}") { id } }`);
  articleId = page.data!.article.id;
  requestId = (await ask('ko', 'reader-one', 'id')).data!.requestTranslation.request.id as string;
  // Accepted by an editor: the workflow status (ACCEPTED) and the public state (IN_PROGRESS) differ.
  const moved = await gw.raw(
    'mutation($id: ID!) { setTranslationRequestStatus(id: $id, status: ACCEPTED) { status } }',
    { id: requestId },
    bearer(keys.editor),
  );
  expect(moved.data).toEqual({ setTranslationRequestStatus: { status: 'ACCEPTED' } });
});

afterAll(() => gw.stop());

describe('a translation request read by node(id)', () => {
  it.each(Object.keys(requestType.getFields()))('%s is answered to a reader only if it is public', async (field) => {
    const res = await node(selectionOf(field));
    if (PUBLIC_FIELDS.includes(field)) {
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toHaveProperty(field);
    } else {
      refused(res);
    }
  });

  it('shows a reader the language, the count and the public state', async () => {
    const res = await node('language requestCount state');
    expect(res).toEqual({ status: 200, data: { node: { language: 'ko', requestCount: 1, state: 'IN_PROGRESS' } } });
  });

  it('shows an editor where the request stands in the workflow', async () => {
    const res = await node('status state createdAt updatedAt', bearer(keys.editor));
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toMatchObject({ status: 'ACCEPTED', state: 'IN_PROGRESS', createdAt: expect.any(String), updatedAt: expect.any(String) });
  });
});

describe('every path a reader has to a translation request', () => {
  let readers = 1;
  const PATHS: Record<string, (selection: string) => Promise<GraphQLResponse<unknown>>> = {
    'Query.node': (selection) => node(selection),
    'RequestTranslationPayload.request': (selection) => ask('ko', `reader-${++readers}`, selection),
  };

  it('is covered here', () => {
    const paths = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__') || type.name === 'Subscription') continue;
      for (const field of Object.values(type.getFields())) {
        const where = `${type.name}.${field.name}`;
        if (['TranslationRequest', 'Node'].includes(getNamedType(field.type).name) && !EDITOR_PATHS.has(where)) paths.add(where);
      }
    }
    expect([...paths].sort()).toEqual(Object.keys(PATHS).sort());
  });

  it.each(Object.keys(PATHS))('%s answers the public fields and refuses the workflow status', async (where) => {
    const open = await PATHS[where]('language requestCount state');
    expect(open.errors).toBeUndefined();
    expect(JSON.stringify(open.data)).toContain('"state":"IN_PROGRESS"');
    refused(await PATHS[where]('language status'));
    refused(await PATHS[where]('updatedAt'));
  });
});
