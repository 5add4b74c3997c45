import { ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, Logger } from '@nestjs/common';
import { GqlOptionsFactory } from '@nestjs/graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { Request } from 'express';
import { GraphQLFormattedError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { AuthService } from '@shelterlink/accounts';
import { Actor } from '@shelterlink/common';
import { AppConfig } from '@shelterlink/config';
import { LoadersFactory } from '../common/loaders';
import type { RequestContext } from '../common/request-context';

const DEPTH_MESSAGE = 'Query is too deep';

interface WsExtra {
  actor?: Actor;
  request?: { socket?: { remoteAddress?: string } };
}

function bearer(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1] : null;
}

@Injectable()
export class GraphqlConfig implements GqlOptionsFactory<ApolloDriverConfig> {
  private readonly logger = new Logger('GraphQL');

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly loaders: LoadersFactory,
  ) {}

  createGqlOptions(): ApolloDriverConfig {
    return {
      autoSchemaFile: this.config.schemaFile,
      sortSchema: true,
      path: '/graphql',
      introspection: this.config.introspection,
      // GraphiQL for people exploring the demo; never in production
      graphiql: !this.config.isProduction,
      csrfPrevention: true,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      validationRules: [maxDepthRule({ n: this.config.env.GRAPHQL_MAX_DEPTH, errorMessage: DEPTH_MESSAGE })],
      formatError: (formatted) => this.formatError(formatted),
      subscriptions: {
        'graphql-ws': {
          // the socket is authenticated once, when it connects; an invalid token closes it (4403)
          onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => {
            const extra = ctx.extra as WsExtra;
            const token = bearer(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
            const actor = token ? await this.auth.actorFromToken(token) : null;
            if (!actor) return false;
            extra.actor = actor;
            return true;
          },
        },
      },
      // Express passes { req }, Fastify the request itself, graphql-ws { extra }
      context: async (args: { req?: Request; extra?: WsExtra } & Partial<Request>): Promise<RequestContext> => {
        if (args.extra) {
          return {
            actor: args.extra.actor ?? null,
            address: args.extra.request?.socket?.remoteAddress ?? 'unknown',
            loaders: this.loaders.create(),
          };
        }
        const req = args.req ?? (args as Request);
        const token = bearer(req.headers.authorization);
        return {
          actor: token ? await this.auth.actorFromToken(token) : null,
          address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
          loaders: this.loaders.create(),
          req,
        };
      },
    };
  }

  /** Last line of defence: only known codes pass with their message; nothing carries a stack trace. */
  private formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
    const code = formatted.extensions?.code;
    if (formatted.message.startsWith(DEPTH_MESSAGE)) {
      return { message: formatted.message, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (code !== 'INTERNAL_SERVER_ERROR' || formatted.message !== 'Internal server error') {
      this.logger.error({ code }, 'Unclassified GraphQL error');
    }
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
