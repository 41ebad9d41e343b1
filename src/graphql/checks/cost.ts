import { DocumentNode, getNamedType, getNullableType, GraphQLError, GraphQLSchema, isLeafType, isListType, OperationDefinitionNode } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { createHash } from 'node:crypto';
import { DEFAULT_PAGE_SIZE } from '../pagination';
import { MAX_AUTHORS } from '../../articles/editor-input';
import type { OperationLimits } from './limits';

/** Lists with neither a `first` argument nor a bound (translations, licenses, publications, webhooks) are assumed to hold this many. */
const ASSUMED_LIST_SIZE = 5;

/** Lists without a `first` argument whose length the product bounds cost that bound. */
const LIST_MAXIMA: Readonly<Record<string, number>> = { 'Article.authors': MAX_AUTHORS };

const COST_MEMO_LIMIT = 1000;

/**
 * Objects cost 1 and scalars 0; a field with a `first` argument costs `first` times what each item
 * selects, and the default page size when `first` is left out or null; a connection's edges are
 * paid for by that `first`, not again; other lists cost their bound, or ASSUMED_LIST_SIZE items.
 */
const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own = isLeafType(getNamedType(field.type)) ? 0 : 1;
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? Math.max(0, args.first) : DEFAULT_PAGE_SIZE;
    return own + first * childComplexity;
  }
  if (type.name.endsWith('Connection') && field.name === 'edges') return childComplexity;
  if (isListType(getNullableType(field.type))) {
    return (LIST_MAXIMA[`${type.name}.${field.name}`] ?? ASSUMED_LIST_SIZE) * (own + childComplexity);
  }
  return own + childComplexity;
};

/** The operation's estimated cost; BAD_USER_INPUT when its variables do not fit its document. */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  try {
    return getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {}, estimators: [estimator] });
  } catch (err) {
    // The estimate coerces the variables first; a client who sent bad ones hears about them.
    throw new GraphQLError(err instanceof Error ? err.message : String(err), {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
}

function costError(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(`Query cost limit of ${maxCost} exceeded, found ${cost}. Ask for fewer or smaller lists.`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', cost, maxCost, http: { status: 400 } },
  });
}

/** An operation as both transports hold it once it has been parsed and validated. */
export interface CheckedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode | undefined;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
  /** What identifies the document's text: Apollo's query hash, or the text itself. */
  source: string;
}

/**
 * The operation's cost, or QUERY_TOO_COMPLEX past the budget. The same operation with the same
 * values of its variables always costs the same, and clients repeat both a lot. Variables the
 * operation does not declare change nothing and are left out; the key is a hash, so an entry's
 * size does not depend on what a client sends.
 */
export function costBudget(limits: Pick<OperationLimits, 'maxCost'>): (op: CheckedOperation) => number {
  const known = new Map<string, number>();
  return ({ schema, document, operation, operationName, variables, source }) => {
    const declared: Record<string, unknown> = {};
    for (const definition of operation?.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      if (variables && Object.hasOwn(variables, name)) declared[name] = variables[name];
    }
    const key = createHash('sha256').update(`${source}\n${operationName ?? ''}\n${JSON.stringify(declared)}`).digest('base64');
    const cost = known.get(key) ?? operationCost(schema, document, operationName, variables);
    if (known.size >= COST_MEMO_LIMIT) known.clear();
    known.set(key, cost);
    if (cost > limits.maxCost) throw costError(cost, limits.maxCost);
    return cost;
  };
}
