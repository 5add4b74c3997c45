import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';

/**
 * An answer that holds a SERVICE_UNAVAILABLE error (an outage, a busy row, a time limit: nothing was done, try
 * again) goes out as HTTP 503 with Retry-After, so proxies, load balancers and clients treat it as the retryable
 * condition it is. (Errors raised before the operation, while reading the caller, carry the same status.)
 */
@Plugin()
export class UnavailablePlugin implements ApolloServerPlugin {
  requestDidStart(): Promise<GraphQLRequestListener<object>> {
    return Promise.resolve({
      willSendResponse: ({ response }) => {
        if (response.body.kind !== 'single') return Promise.resolve();
        const unavailable = response.body.singleResult.errors?.find(
          (e) => e.extensions?.code === 'SERVICE_UNAVAILABLE',
        );
        if (unavailable) {
          const retryAfter = unavailable.extensions?.retryAfterSeconds;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(typeof retryAfter === 'number' ? retryAfter : 1));
        }
        return Promise.resolve();
      },
    });
  }
}
