import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';

/**
 * An answer that holds a SERVICE_UNAVAILABLE error (an outage, a busy row, a time limit: try again) and no data
 * goes out as HTTP 503 with Retry-After, so proxies, load balancers and clients treat it as the retryable
 * condition it is. (Errors raised before the operation, while reading the caller, carry the same status.)
 */
@Plugin()
export class UnavailablePlugin implements ApolloServerPlugin {
  requestDidStart(): Promise<GraphQLRequestListener<object>> {
    return Promise.resolve({
      willSendResponse: ({ response }) => {
        if (response.body.kind !== 'single') return Promise.resolve();
        const { data, errors } = response.body.singleResult;
        const unavailable = errors?.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
        // only when nothing was answered: a field that succeeded (a change made) must not be retried with the rest
        const answeredSomething = data != null && Object.values(data).some((value) => value !== null);
        if (unavailable && !answeredSomething) {
          const retryAfter = unavailable.extensions?.retryAfterSeconds;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(typeof retryAfter === 'number' ? retryAfter : 1));
        }
        return Promise.resolve();
      },
    });
  }
}
