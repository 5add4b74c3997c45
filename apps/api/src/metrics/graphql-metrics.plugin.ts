import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Kind, OperationDefinitionNode } from 'graphql';
import { MetricsService } from './metrics.service';

/** Times GraphQL operations over HTTP by type and root field, and counts errors by their stable code. */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: MetricsService) {}

  requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const end = this.metrics.graphql.startTimer();
    let operation: OperationDefinitionNode | undefined;
    return Promise.resolve({
      didResolveOperation: ({ operation: op }) => {
        operation = op;
        return Promise.resolve();
      },
      willSendResponse: ({ errors }) => {
        const field = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
        end({
          type: operation?.operation ?? 'invalid',
          // a field the schema has (the operation resolved), so the label set stays bounded
          field: field && field.kind === Kind.FIELD && operation ? field.name.value : 'none',
          outcome: errors?.length ? 'error' : 'ok',
        });
        for (const error of errors ?? []) {
          const code = error.extensions?.code;
          this.metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL' });
        }
        return Promise.resolve();
      },
    });
  }
}
