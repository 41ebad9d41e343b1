import { DocumentNode, GraphQLError, parse, ParseOptions, specifiedRules, validate, ValidationRule } from 'graphql';
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
  parseOptions: ParseOptions;
  /** Beyond graphql-js's specified rules. */
  validationRules: ValidationRule[];
  /** Parses as Apollo Server does; GRAPHQL_PARSE_FAILED on a syntax error or too many tokens. */
  parse(query: string): DocumentNode;
  /** The validation errors, each with GRAPHQL_VALIDATION_FAILED. */
  validate(op: Pick<CheckedOperation, 'schema' | 'document'>): GraphQLError[];
  /** The allow-list, then the cost budget: throws the error the client gets, or returns the cost. */
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
    parse(query) {
      try {
        return parse(query, parseOptions);
      } catch (err) {
        throw new GraphQLError((err as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      }
    },
    validate: ({ schema, document }) =>
      validate(schema, document, rules).map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } }),
      ),
    admit(op) {
      if (allowed && !allowed.has(operationKey(op.document))) throw notAllowedError();
      return cost(op);
    },
  };
}
