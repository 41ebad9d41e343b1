import type { CacheHint } from '@apollo/cache-control-types';
import {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { FIELD_HINTS, TYPE_HINTS } from './cache-hints';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context';
import { tagHeaders } from './cache-tags';

/** Nothing may be reused: the policy of mutations, subscriptions and anything unhinted. */
const UNCACHEABLE: Required<CacheHint> = { maxAge: 0, scope: 'PUBLIC' };

function strictest(a: Required<CacheHint>, b: CacheHint): Required<CacheHint> {
  return {
    maxAge: b.maxAge === undefined ? a.maxAge : Math.min(a.maxAge, b.maxAge),
    scope: a.scope === 'PRIVATE' || b.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC',
  };
}

/**
 * The hint of a type a field returns. For an interface or union, the strictest of its own hint and
 * every possible type's: which type an answer holds is known only at run time.
 */
function typeHint(schema: GraphQLSchema, type: GraphQLCompositeType): CacheHint & { inheritMaxAge?: true } {
  const own = TYPE_HINTS[type.name] ?? {};
  if (!isAbstractType(type)) return own;
  let policy: Required<CacheHint> = { maxAge: own.maxAge ?? Infinity, scope: own.scope ?? 'PUBLIC' };
  for (const possible of schema.getPossibleTypes(type)) policy = strictest(policy, { maxAge: TYPE_HINTS[possible.name]?.maxAge ?? 0 });
  return policy;
}

/**
 * The answer's policy, derived from the selected fields alone (the same rules Apollo's cache
 * control plugin applies field by field while executing, without its cost on every field).
 * Fields inside fragments count whether or not they apply, so it can only be stricter.
 */
export function operationCachePolicy(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Required<CacheHint> {
  if (operation.operation !== 'query') return UNCACHEABLE;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments.set(d.name.value, d);
  let overall: Required<CacheHint> = { maxAge: Infinity, scope: 'PUBLIC' };

  // The document has passed validation, so fragments do not cycle.
  const visit = (parent: GraphQLCompositeType, selections: SelectionSetNode, isRoot: boolean) => {
    for (const selection of selections.selections) {
      if (selection.kind === 'InlineFragment') {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (on && isCompositeType(on)) visit(on, selection.selectionSet, isRoot);
        continue;
      }
      if (selection.kind === 'FragmentSpread') {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (on && isCompositeType(on)) visit(on, fragment.selectionSet, isRoot);
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) {
        overall = strictest(overall, UNCACHEABLE);
        continue;
      }
      const target = getNamedType(field.type);
      const hint: CacheHint = {};
      let inherits = false;
      if (isCompositeType(target)) {
        const fromType = typeHint(schema, target);
        Object.assign(hint, { maxAge: fromType.maxAge, scope: fromType.scope });
        inherits = Boolean(fromType.inheritMaxAge);
      }
      const fromField = FIELD_HINTS[`${parent.name}.${name}`];
      if (fromField?.maxAge !== undefined) hint.maxAge = fromField.maxAge;
      if (fromField?.scope !== undefined) hint.scope = fromField.scope;
      if (hint.maxAge === undefined && ((isCompositeType(target) && !inherits) || isRoot)) hint.maxAge = 0;
      overall = strictest(overall, hint);
      if (selection.selectionSet && isCompositeType(target)) visit(target, selection.selectionSet, false);
    }
  };
  const root = schema.getQueryType();
  if (!root) return UNCACHEABLE;
  visit(root, operation.selectionSet, true);
  return overall.maxAge === Infinity ? UNCACHEABLE : overall;
}

/** Remembered per parsed document (Apollo keeps one per query text) and operation in it. */
export function cachedOperationPolicy(schema: GraphQLSchema) {
  const byDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Required<CacheHint>>>();
  return (document: DocumentNode, operation: OperationDefinitionNode): Required<CacheHint> => {
    let byOperation = byDocument.get(document);
    if (!byOperation) byDocument.set(document, (byOperation = new Map()));
    let policy = byOperation.get(operation);
    if (!policy) byOperation.set(operation, (policy = operationCachePolicy(schema, document, operation)));
    return policy;
  };
}

/**
 * Gives each anonymous query its cache policy (from cache-hints.ts) and says it in Cache-Control,
 * so a CDN or browser may reuse a GET for that long. Editors' answers, mutations and answers with
 * errors are `no-store`.
 */
export function cachePolicyPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  const policyOf = cachedOperationPolicy(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue, overallCachePolicy }) {
          if (operation && contextValue.caller.kind === 'anonymous') overallCachePolicy.replace(policyOf(document, operation));
        },
        async willSendResponse({ contextValue, overallCachePolicy, response }) {
          const failed = response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          const policy = failed ? null : overallCachePolicy.policyIfCacheable();
          response.http.headers.set('cache-control', policy ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : 'no-store');
          if (policy) for (const [name, value] of Object.entries(tagHeaders(contextValue.tags.toString()))) response.http.headers.set(name, value);
          // A shared cache must not hand an anonymous answer to an editor, or the reverse.
          response.http.headers.set('vary', 'Authorization');
        },
      };
    },
  };
}
