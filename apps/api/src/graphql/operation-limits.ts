import {
  ASTVisitor,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLSchema,
  isLeafType,
  Kind,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { ComplexityEstimator, fieldExtensionsEstimator, getComplexity } from 'graphql-query-complexity';
import type { DocumentNode } from 'graphql';

/** Every limit message starts so, which lets formatError restore the code Apollo replaces on validation errors. */
export const TOO_COMPLEX_PREFIX = 'Query is too ';

export const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });

/**
 * Refuses operations nested deeper than `max` levels. A field is a level, and so is a fragment (inline or
 * spread), so nesting fragments cannot hide depth; introspection fields are exempt.
 */
export function depthRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          deepest = Math.max(deepest, 1 + depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > max) context.reportError(tooComplex(`Query is too deep (${depth}; the limit is ${max})`));
      },
    };
  };
}

/**
 * What a field costs unless it says otherwise: a scalar or enum is read from its parent's row and costs nothing; a
 * field that resolves an object (a loader, a statement, or a nested part of the row) costs 1 and its children.
 * So a dashboard's 100 shelters with their pools, eligibility, region and provider cost 900, while 10,000 aliases
 * of an object still cost 10,000.
 */
const objectEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : 1 + childComplexity;

/** The cost of a page of `first` items (default `defaultFirst`): each item costs 1 and what is asked of it. */
export const pageCost =
  (defaultFirst: number) =>
  ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number =>
    Number(args.first ?? defaultFirst) * (1 + childComplexity);

/**
 * The estimated cost of an operation (fields' own `complexity` first, e.g. `pageCost`, else `objectEstimator`).
 * Variables the operation cannot coerce are left to execution, which refuses them with BAD_USER_INPUT.
 */
export function complexityOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number | null {
  try {
    return getComplexity({
      schema,
      operationName: operationName ?? undefined,
      query: document,
      variables,
      estimators: [fieldExtensionsEstimator(), objectEstimator],
    });
  } catch {
    return null;
  }
}

export function checkComplexity(complexity: number | null, max: number): void {
  if (complexity !== null && complexity > max) {
    throw tooComplex(`Query is too complex (${complexity}; the limit is ${max})`);
  }
}
