import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema, execute, FieldNode, getArgumentValues, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode, parse } from 'graphql';
import crypto from 'node:crypto';
import path from 'node:path';
import { Authorized, buildSchema as buildTypeGraphQLSchema, Field, ObjectType, Query, Resolver } from 'type-graphql';

/**
 * `npm ci` applies the files in patches/ (postinstall: patch-package), which the README's
 * performance section counts on. The graphql-js and type-graphql patches save allocations on every
 * field a query executes, the Apollo Server one work on every request; these tests fail where a
 * patch is missing.
 */
describe('graphql-js skips argument dictionaries for fields without arguments', () => {
  const schema = buildSchema('type Query { plain: Int, paged(first: Int = 3): Int }');
  const fields = schema.getQueryType()!.getFields();
  const [plain, paged] = (parse('{ plain paged }').definitions[0] as OperationDefinitionNode).selectionSet.selections as FieldNode[];

  it('answers a field without arguments without reading its node, with a fresh empty object each time', () => {
    const untouched = Object.defineProperty({ ...plain }, 'arguments', {
      get() {
        throw new Error('the fast path read the field node');
      },
    });
    const first = getArgumentValues(fields.plain, untouched);
    expect(first).toEqual({});
    expect(getArgumentValues(fields.plain, untouched)).not.toBe(first);
  });

  it('still coerces the arguments of a field that has some', () => {
    expect({ ...getArgumentValues(fields.paged, paged) }).toEqual({ first: 3 });
  });
});

describe('graphql-js answers with plain objects, not null-prototype ones', () => {
  const schema = buildSchema('type Query { card: Card, later: Card } type Card { title: String, note: String }');
  const card = { title: 'A title', note: 'A note' };
  const rootValue = { card, later: () => Promise.resolve(card) };

  it('builds each selection, synchronous or awaited, as an object literal', async () => {
    const result = await execute({ schema, rootValue, document: parse('{ card { title } later { title note } }') });
    const data = result.data as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.card)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.later)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"data":{"card":{"title":"A title"},"later":{"title":"A title","note":"A note"}}}');
  });

  it('answers the alias __proto__ as a field, without touching the prototype', async () => {
    const document = parse('{ card { __proto__: title } later { __proto__: title note } }');
    const result = await execute({ schema, rootValue, document });
    expect(JSON.stringify(result)).toBe('{"data":{"card":{"__proto__":"A title"},"later":{"__proto__":"A title","note":"A note"}}}');
    const data = result.data as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(data.card)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.later)).toBe(Object.prototype);
  });
});

describe("type-graphql sorts a resolver's parameters only when they are out of order", () => {
  // Not among the package's exports: reached by its file, as the patch is.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getParams } = require(path.join(path.dirname(require.resolve('type-graphql')), 'resolvers', 'helpers.js'));
  const data = { root: { id: 1 }, args: {}, context: { who: 'reader' }, info: {} };
  const param = (index: number, kind: 'root' | 'context') => ({ index, kind, target: Object, methodName: 'm' });

  it('leaves parameters in order unsorted and reads them in that order', () => {
    const params = [param(0, 'root'), param(1, 'context')];
    params.sort = () => {
      throw new Error('sorted parameters that were in order');
    };
    expect(getParams(params, data, false, undefined)).toEqual([data.root, data.context]);
  });

  it('sorts parameters out of order (decorators register the last one first)', () => {
    const params = [param(1, 'context'), param(0, 'root')];
    expect(getParams(params, data, false, undefined)).toEqual([data.root, data.context]);
    expect(params.map((p) => p.index)).toEqual([0, 1]);
  });
});

describe('type-graphql resolves a plain field by reading its property when no middleware applies', () => {
  @ObjectType()
  class Card {
    @Field()
    title!: string;

    @Authorized('EDITOR')
    @Field()
    note!: string;
  }

  @Resolver(() => Card)
  class CardResolver {
    @Query(() => Card)
    card(): Card {
      return Object.assign(new Card(), { title: 'A title', note: 'for editors' });
    }
  }

  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildTypeGraphQLSchema({
      resolvers: [CardResolver],
      authChecker: ({ context }: { context: { editor: boolean } }) => context.editor,
      validate: false,
    });
  });

  it('gives a plain field a one-argument property read, not the middleware wrapper', async () => {
    const title = (schema.getType('Card') as GraphQLObjectType).getFields().title;
    expect(title.resolve?.length).toBe(1);
    const result = await execute({ schema, document: parse('{ card { title } }'), contextValue: { editor: false } });
    expect(result).toEqual({ data: { card: { title: 'A title' } } });
  });

  it('keeps the wrapper where a field has a middleware: @Authorized still refuses', async () => {
    const refused = await execute({ schema, document: parse('{ card { note } }'), contextValue: { editor: false } });
    expect(refused.errors?.[0].message).toMatch(/access denied/i);
    const allowed = await execute({ schema, document: parse('{ card { note } }'), contextValue: { editor: true } });
    expect(allowed.data).toEqual({ card: { note: 'for editors' } });
  });
});

describe('Apollo Server negotiates, parses the content type and hashes the query once per distinct value', () => {
  // The classes Apollo Server negotiates and parses with, reached as it requires them.
  const apolloDir = [path.dirname(require.resolve('@apollo/server'))];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Negotiator = require(require.resolve('negotiator', { paths: apolloDir }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MIMEType = require(require.resolve('whatwg-mimetype', { paths: apolloDir }));
  const server = new ApolloServer({ typeDefs: 'type Query { answer: Int }', resolvers: { Query: { answer: () => 42 } } });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  afterEach(() => jest.restoreAllMocks());

  const post = async (headers: Record<string, string>, query = '{ answer }') => {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: { query } },
      context: async () => ({}),
    });
    return { status: response.status ?? 200, type: response.headers.get('content-type'), body: response.body.kind === 'complete' ? response.body.string : '' };
  };

  it('answers a repeated request with no negotiation, no content-type parsing and no SHA-256', async () => {
    const headers = { 'content-type': 'application/json; charset=utf-8', accept: 'application/graphql-response+json, application/json;q=0.9' };
    await post(headers);
    const negotiations = jest.spyOn(Negotiator.prototype, 'mediaType');
    const parses = jest.spyOn(MIMEType, 'parse');
    const hashes = jest.spyOn(crypto, 'createHash');
    const again = await post(headers);
    expect(again).toEqual({ status: 200, type: 'application/graphql-response+json; charset=utf-8', body: '{"data":{"answer":42}}\n' });
    expect(negotiations).not.toHaveBeenCalled();
    expect(parses).not.toHaveBeenCalled();
    expect(hashes).not.toHaveBeenCalled();
  });

  it('still answers each Accept header, content type and query text on its own', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await post({ ...json, accept: 'application/json' })).type).toBe('application/json; charset=utf-8');
    expect((await post({ ...json, accept: 'application/graphql-response+json' })).type).toBe('application/graphql-response+json; charset=utf-8');
    expect((await post({ ...json, accept: 'text/html' })).status).toBe(406);
    expect((await post({ ...json, accept: 'text/html' })).status).toBe(406);
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(400);
    expect((await post({ 'content-type': 'text/plain' })).body).toMatch(/Cross-Site Request Forgery/);
    expect((await post(json, '{ answer __typename }')).body).toBe('{"data":{"answer":42,"__typename":"Query"}}\n');
  });
});
