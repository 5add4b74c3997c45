import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import type { RequestContext } from '../common/request-context';

/**
 * Sets the cookie an operation asked for (login, renewSession, signOut) on its HTTP answer, through Apollo's own
 * response headers, so it works the same on Fastify and Express. An answer that sets one is never cached.
 */
@Plugin()
export class SessionCookiePlugin implements ApolloServerPlugin<RequestContext> {
  requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
    return Promise.resolve({
      willSendResponse: ({ contextValue, response }) => {
        const cookie = contextValue.http?.setCookie;
        if (cookie) {
          response.http.headers.set('set-cookie', cookie);
          response.http.headers.set('cache-control', 'no-store');
        }
        return Promise.resolve();
      },
    });
  }
}
