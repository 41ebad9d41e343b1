import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { FieldNode, GraphQLError, Kind, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';
import type { OperationLimits } from './limits';

/** The one public write: a document carrying it may carry nothing else, so one request is one vote. */
const SOLITARY_FIELDS = new Set(['requestTranslation']);

function limitError(message: string, limit: string): GraphQLError {
  return new GraphQLError(message, { extensions: { limit } });
}

/** Armor throws from inside validation; reporting instead makes the rejection an ordinary 400 validation error. */
function reporting(limit: string) {
  return {
    propagateOnRejection: false,
    exposeLimits: true,
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(limitError(err.message.replace(/^Syntax Error: /, ''), limit))],
  };
}

function rootFields(selectionSet: SelectionSetNode, context: ValidationContext, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, context, seen);
    if (seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    const fragment = context.getFragment(selection.name.value);
    return fragment ? rootFields(fragment.selectionSet, context, seen) : [];
  });
}

function rootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    Document(document) {
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      for (const operation of operations) {
        const fields = rootFields(operation.selectionSet, context);
        if (fields.length > max) {
          context.reportError(limitError(`Root field limit of ${max} exceeded, found ${fields.length}.`, 'maxRootFields'));
        }
        const solitary = fields.find((f) => SOLITARY_FIELDS.has(f.name.value));
        if (solitary && (fields.length > 1 || operations.length > 1)) {
          context.reportError(
            limitError(`${solitary.name.value} must be the only field of the only operation in its document.`, 'maxRootFields'),
          );
        }
      }
    },
  });
}

/** Checked during validation, before any resolver or SQL runs. */
export function limitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...reporting('maxDepth') }) as unknown as ValidationRule,
    maxAliasesRule({ n: limits.maxAliases, ...reporting('maxAliases') }) as unknown as ValidationRule,
    maxDirectivesRule({ n: limits.maxDirectives, ...reporting('maxDirectives') }) as unknown as ValidationRule,
    rootFieldsRule(limits.maxRootFields),
  ];
}
