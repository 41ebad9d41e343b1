import { buildSchema, execute, FieldNode, getArgumentValues, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode, parse } from 'graphql';
import path from 'node:path';
import { Authorized, buildSchema as buildTypeGraphQLSchema, Field, ObjectType, Query, Resolver } from 'type-graphql';

/**
 * `npm ci` applies the files in patches/ (postinstall: patch-package), which the README's
 * performance section counts on. Each patch saves allocations on every field a query executes;
 * these tests fail where a patch is missing.
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
