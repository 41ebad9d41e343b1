import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, parse, ParseOptions, SelectionSetNode, specifiedRules, validate, ValidationRule } from 'graphql';
import { notAllowedError, operationKey } from './allow-list';
import { CheckedOperation, costBudget } from './cost';
import type { OperationLimits } from './limits';
import { limitRules } from './validation-rules';

/**
 * The checks every GraphQL operation passes before it runs, over HTTP and WebSocket alike and in
 * this order: document size, parser tokens, validation (graphql-js's rules and the limits on depth,
 * aliases, directives and root fields), the allow-list, the cost budget. None of them runs SQL; the
 * API key is looked up only after them. Over HTTP Apollo Server parses and validates with these
 * options and rules; the WebSocket endpoint calls `parse` and `validate` below.
 */
export interface OperationChecks {
  /** Why a document is refused for its size, or undefined. */
  documentSizeRefusal(query: unknown): string | undefined;
  /**
   * What over HTTP must be checked before Apollo Server validates: a subscription with @skip or
   * @include on its top-level selections, which graphql-js's own subscription rule evaluates without
   * variables and throws on instead of reporting. Undefined for anything else, and for a document
   * that does not parse (Apollo Server answers that itself).
   */
  refusalBeforeValidation(query: unknown): GraphQLError | undefined;
  parseOptions: ParseOptions;
  /** Beyond graphql-js's specified rules. */
  validationRules: ValidationRule[];
  /** Parses as Apollo Server does; GRAPHQL_PARSE_FAILED on a syntax error or too many tokens. */
  parse(query: string): DocumentNode;
  /** The validation errors, each with GRAPHQL_VALIDATION_FAILED. */
  validate(op: Pick<CheckedOperation, 'schema' | 'document'>): GraphQLError[];
  /** The operation to run (named where the document holds several), the allow-list, then the cost budget: throws the error the client gets, or returns the cost. */
  admit(op: CheckedOperation): number;
}

export function operationChecks(limits: OperationLimits, allowed?: Set<string>): OperationChecks {
  const validationRules = limitRules(limits);
  const rules = [...specifiedRules, ...validationRules];
  const parseOptions = { maxTokens: limits.maxTokens };
  const cost = costBudget(limits);
  return {
    documentSizeRefusal: (query) =>
      typeof query === 'string' && query.length > limits.maxDocumentChars
        ? `Document size limit of ${limits.maxDocumentChars} characters exceeded, found ${query.length}.`
        : undefined,
    parseOptions,
    validationRules,
    refusalBeforeValidation(query) {
      if (typeof query !== 'string' || !query.includes('subscription')) return undefined;
      try {
        return conditionalSubscriptionRoot(parse(query, parseOptions));
      } catch {
        return undefined;
      }
    },
    parse(query) {
      try {
        return parse(query, parseOptions);
      } catch (err) {
        throw new GraphQLError((err as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      }
    },
    validate({ schema, document }) {
      const conditional = conditionalSubscriptionRoot(document);
      if (conditional) return [conditional];
      return validate(schema, document, rules).map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } }),
      );
    },
    admit(op) {
      if (!op.operation) {
        const message = op.operationName ? `Unknown operation named "${op.operationName}".` : 'Must provide operation name if query contains multiple operations.';
        throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
      }
      if (allowed && !allowed.has(operationKey(op.document))) throw notAllowedError();
      return cost(op);
    },
  };
}

/** The GraphQL specification forbids @skip and @include on a subscription's root selections (graphql-spec#860). */
function conditionalSubscriptionRoot(document: DocumentNode): GraphQLError | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const conditional = (selectionSet: SelectionSetNode, seen: Set<string>): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include')) return true;
      if (selection.kind === Kind.INLINE_FRAGMENT) return conditional(selection.selectionSet, seen);
      if (selection.kind !== Kind.FRAGMENT_SPREAD || seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      return fragment !== undefined && conditional(fragment.selectionSet, seen);
    });
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION || d.operation !== 'subscription' || !conditional(d.selectionSet, new Set())) continue;
    const name = d.name ? `Subscription "${d.name.value}"` : 'Anonymous Subscription';
    return new GraphQLError(`${name} must not use @skip or @include on its top level selections.`, {
      nodes: [d],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  }
  return undefined;
}
