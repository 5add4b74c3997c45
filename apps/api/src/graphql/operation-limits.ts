import {
  ASTVisitor,
  FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  getVariableValues,
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

/** A client's query over a limit: its own fault, so HTTP 400 (Apollo reads and then drops `http`). */
export const tooComplex = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });

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

/** What a statement of its own costs (a root query, or a nested field that queries once per parent). */
export const STATEMENT_COST = 10;

/**
 * What searches and reports cost, in statements' worth: a search tests every rule on hundreds of shelters, a report
 * aggregates a region's referrals or events; `regionCapacity` is usually answered from its cache.
 */
export const REPORT_COSTS = { search: 100, statistics: 100, regionCapacity: 20 } as const;

/**
 * What a field costs unless it says otherwise: a scalar or enum is read from its parent's row and costs nothing; a
 * field that resolves an object (a loader, a statement, or a nested part of the row) costs 1 and its children.
 * So a dashboard's 100 shelters with their pools, eligibility, region and provider cost 900, while 10,000 aliases
 * of an object still cost 10,000.
 */
const objectEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : 1 + childComplexity;

/**
 * The cost of a page of `first` items (default `defaultFirst`): its statement (STATEMENT_COST), and each item 1 and
 * what is asked of it.
 */
export const pageCost =
  (defaultFirst: number) =>
  ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number =>
    STATEMENT_COST + pageSize(args.first, defaultFirst) * (1 + childComplexity);

/**
 * The page size an estimate counts: `first` (its default when absent), never below 0, so that a negative `first`
 * (refused when the field runs, but only then) cannot cancel the cost of the fields beside it.
 */
function pageSize(first: unknown, defaultFirst: number): number {
  const n = first === undefined || first === null ? defaultFirst : Number(first);
  return Number.isFinite(n) ? Math.max(0, n) : defaultFirst;
}

/** Marks a field's cost as an expensive one: a search or report; one operation may run only a few of them. */
const EXPENSIVE = Symbol('expensive');

type FieldCost = ((options: { args: Record<string, unknown>; childComplexity: number }) => number) & {
  [EXPENSIVE]?: true;
};

/** A field that runs a statement of its own: STATEMENT_COST and what is asked of it. */
export const statementCost: FieldCost = ({ childComplexity }) => STATEMENT_COST + childComplexity;

/**
 * A search or report: `base` (what its statement costs, compared with STATEMENT_COST) and what is asked of it (for a
 * page, `first` × each item, with `pageOf`). Counted against GRAPHQL_MAX_EXPENSIVE_FIELDS too.
 */
export function expensiveCost(base: number, pageOf?: number): FieldCost {
  const cost: FieldCost = ({ args, childComplexity }) =>
    base + (pageOf === undefined ? childComplexity : pageSize(args.first, pageOf) * (1 + childComplexity));
  cost[EXPENSIVE] = true;
  return cost;
}

export interface OperationCost {
  complexity: number;
  /** How many expensive fields (searches, reports) the operation runs, aliases and fragments included. */
  expensive: number;
}

/**
 * The estimated cost of an operation (fields' own `complexity` first, e.g. `pageCost`, else `objectEstimator`), or
 * null when its variables cannot be coerced (execution refuses those with BAD_USER_INPUT). Any other failure to
 * estimate refuses the operation: a limit that cannot be worked out is not a limit met.
 */
export function complexityOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): OperationCost | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation && getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return null;
  let expensive = 0;
  const countExpensive: ComplexityEstimator = ({ field }) => {
    if ((field.extensions?.complexity as FieldCost | undefined)?.[EXPENSIVE]) expensive += 1;
    return undefined;
  };
  try {
    const complexity = getComplexity({
      schema,
      operationName: operationName ?? undefined,
      query: document,
      variables,
      estimators: [countExpensive, fieldExtensionsEstimator(), objectEstimator],
    });
    return { complexity, expensive };
  } catch {
    throw tooComplex('Query is too complex to estimate; the limits could not be worked out');
  }
}

export function checkComplexity(cost: OperationCost | null, limits: { complexity: number; expensive: number }): void {
  if (cost === null) return;
  if (cost.complexity > limits.complexity) {
    throw tooComplex(`Query is too complex (${cost.complexity}; the limit is ${limits.complexity})`);
  }
  if (cost.expensive > limits.expensive) {
    throw tooComplex(
      `Query is too expensive (${cost.expensive} searches or reports; the limit is ${limits.expensive} per operation)`,
    );
  }
}

export interface ShapeLimits {
  aliases: number;
  fields: number;
  directives: number;
}

/**
 * Refuses documents with too many fields, aliases or directives in any one operation, counted as the operation
 * will run: every use of a fragment counts its fields again (so fragments cannot multiply work unseen), and the
 * count stops as soon as a limit is passed (a fragment "bomb" costs no more to refuse than a small query).
 * Introspection fields are exempt. Checked before execution, over HTTP and WebSocket alike.
 */
export function shapeRule(limits: ShapeLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(node) {
        const counts = { fields: 0, aliases: 0, directives: node.directives?.length ?? 0 };
        const over = () =>
          counts.fields > limits.fields || counts.aliases > limits.aliases || counts.directives > limits.directives;
        const walk = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>): void => {
          for (const selection of set?.selections ?? []) {
            if (over()) return;
            counts.directives += selection.directives?.length ?? 0;
            if (selection.kind === Kind.FIELD) {
              if (selection.name.value.startsWith('__')) continue;
              counts.fields += 1;
              if (selection.alias) counts.aliases += 1;
              walk(selection.selectionSet, seen);
            } else if (selection.kind === Kind.INLINE_FRAGMENT) {
              walk(selection.selectionSet, seen);
            } else {
              const fragment = fragments.get(selection.name.value);
              if (!fragment || seen.has(fragment.name.value)) continue;
              counts.directives += fragment.directives?.length ?? 0;
              walk(fragment.selectionSet, new Set([...seen, fragment.name.value]));
            }
          }
        };
        walk(node.selectionSet, new Set());
        for (const [what, limit] of [
          ['fields', limits.fields],
          ['aliases', limits.aliases],
          ['directives', limits.directives],
        ] as const) {
          if (counts[what] > limit) {
            context.reportError(tooComplex(`Query is too large (more than ${limit} ${what}; the limit is ${limit})`));
            return;
          }
        }
      },
    };
  };
}
