import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppConfig } from '@shelterlink/config';

/** Refuses operations whose estimated cost (list fields count `first` × their children) exceeds the limit. */
@Plugin()
export class ComplexityPlugin implements ApolloServerPlugin {
  constructor(
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly config: AppConfig,
  ) {}

  requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const { schema } = this.schemaHost;
    const max = this.config.env.GRAPHQL_MAX_COMPLEXITY;
    return Promise.resolve({
      didResolveOperation: ({ request, document }) => {
        const complexity = getComplexity({
          schema,
          operationName: request.operationName,
          query: document,
          variables: request.variables,
          estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
        });
        if (complexity > max) {
          throw new GraphQLError(`Query is too complex (${complexity}; the limit is ${max})`, {
            extensions: { code: 'QUERY_TOO_COMPLEX' },
          });
        }
        return Promise.resolve();
      },
    });
  }
}
