import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AppConfig } from '@shelterlink/config';
import { checkComplexity, complexityOf } from './operation-limits';

/**
 * Refuses HTTP operations whose estimated cost exceeds GRAPHQL_MAX_COMPLEXITY, or that run more searches and
 * reports than GRAPHQL_MAX_EXPENSIVE_FIELDS (WebSocket: see graphql.config).
 */
@Plugin()
export class ComplexityPlugin implements ApolloServerPlugin {
  constructor(
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly config: AppConfig,
  ) {}

  requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const limits = this.config.operationLimits;
    return Promise.resolve({
      didResolveOperation: ({ request, document }) => {
        checkComplexity(
          complexityOf(this.schemaHost.schema, document, request.variables, request.operationName),
          limits,
        );
        return Promise.resolve();
      },
    });
  }
}
