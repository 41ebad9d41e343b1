import { buildSchema, FieldNode, getArgumentValues, OperationDefinitionNode, parse } from 'graphql';

/**
 * `npm ci` applies patches/graphql+16.15.0.patch (postinstall: patch-package), which the README's
 * performance section counts on: a field that defines no arguments gets its empty arguments object
 * without graphql-js reading the field node's arguments and building two dictionaries from them.
 */
describe('graphql-js carries the project patch for fields without arguments', () => {
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
