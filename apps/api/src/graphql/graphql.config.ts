import { toClientError } from '../common/error-filter';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, Logger } from '@nestjs/common';
import { GqlOptionsFactory, GraphQLSchemaHost, GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { Request } from 'express';
import { GraphQLError, GraphQLFormattedError, parse, specifiedRules, validate, DocumentNode } from 'graphql';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { WebSocket } from 'ws';
import { AuthService, TokenClaims } from '@shelterlink/accounts';
import { AppConfig } from '@shelterlink/config';
import { parseCookies } from '../common/cookies';
import { LoadersFactory } from '../common/loaders';
import type { HttpExchange, RequestContext } from '../common/request-context';
import { LiveSessions } from './live-sessions';
import { checkComplexity, complexityOf, depthRule, shapeRule, TOO_COMPLEX_PREFIX } from './operation-limits';

interface WsExtra {
  token?: string;
  claims?: TokenClaims;
  socket: WebSocket;
  /** The HTTP upgrade request the socket began with. */
  request?: IncomingMessage;
  /** The ids of its operations still running (see WS_MAX_OPERATIONS_PER_SOCKET). */
  running?: Set<string>;
}

function bearer(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1] : null;
}

/** A socket's `connectionParams.authorization`: `Bearer <token>`, as over HTTP, or the bare token. */
function socketToken(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return bearer(value) ?? (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value.trim()) ? value.trim() : null);
}

@Injectable()
export class GraphqlConfig implements GqlOptionsFactory<ApolloDriverConfig> {
  private readonly logger = new Logger('GraphQL');
  private readonly trustProxy: (address: string, hop: number) => boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly loaders: LoadersFactory,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly sessions: LiveSessions,
  ) {
    this.trustProxy = proxyaddr.compile(config.trustedProxies);
  }

  createGqlOptions(): ApolloDriverConfig {
    const limits = this.config.operationLimits;
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
      // no "Did you mean …?" in production: the schema is not for strangers to map
      hideSchemaDetailsFromClientErrors: this.config.isProduction,
      // no HTTP caching of answers (nothing here may be cached), so no per-field cache hints to work out
      plugins: [ApolloServerPluginCacheControlDisabled()],
      // a document longer than this is not even parsed; the shape and depth are checked before execution
      parseOptions: { maxTokens: limits.tokens },
      validationRules: [depthRule(limits.depth), shapeRule(limits.shape)],
      formatError: (formatted) => this.formatError(formatted),
      subscriptions: {
        'graphql-ws': {
          // the socket presents its token once (4403 without a valid one); LiveSessions closes it with 4401 when the
          // token expires or the user's sessions end, and every live event re-checks the session
          onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => {
            const token = socketToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
            const claims = token ? await this.auth.claims(token) : null;
            if (!token || !claims || !(await this.auth.actorFromToken(token))) return false;
            const extra = ctx.extra as WsExtra;
            if (!this.sessions.register(extra.socket, claims)) return false;
            extra.token = token;
            extra.claims = claims;
            return true;
          },
          // the same limits as over HTTP: depth and complexity, then our context
          onSubscribe: async (
            ctx: WsContext<Record<string, unknown> | undefined, unknown>,
            id: string,
            payload: SubscribePayload,
          ) => {
            // every running subscription costs a Redis listener and a filter per event: a socket gets a few
            const extra = ctx.extra as WsExtra;
            extra.running ??= new Set();
            if (extra.running.size >= this.config.env.WS_MAX_OPERATIONS_PER_SOCKET) {
              return [
                new GraphQLError(
                  `At most ${this.config.env.WS_MAX_OPERATIONS_PER_SOCKET} operations may run at once on one socket`,
                  { extensions: { code: 'RATE_LIMITED' } },
                ),
              ];
            }
            const prepared = await this.prepareWsOperation(extra, payload);
            if (!Array.isArray(prepared)) extra.running.add(id);
            return prepared;
          },
          onComplete: (ctx: WsContext<Record<string, unknown> | undefined, unknown>, id: string) => {
            (ctx.extra as WsExtra).running?.delete(id);
          },
          onNext: (
            _ctx: unknown,
            _id: string,
            _payload: unknown,
            _args: unknown,
            result: { errors?: readonly GraphQLError[] },
          ) =>
            result.errors ? { ...result, errors: result.errors.map((e) => this.formatError(e.toJSON())) } : undefined,
          onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
            errors.map((e) => this.formatError(e.toJSON())),
          // Nest's type lists fewer hooks than graphql-ws's useServer, which receives all of these
        } as GraphQLWsSubscriptionsConfig,
      },
      // Express passes { req }, Fastify the request itself
      context: async (args: { req?: Request } & Partial<Request>): Promise<RequestContext> => {
        const req = args.req ?? (args as Request);
        const http: HttpExchange = {
          cookies: parseCookies(req.headers.cookie),
          // Express and Fastify both say `https` behind a trusted proxy that terminated TLS
          secure: this.config.isProduction || req.protocol === 'https',
          setCookie: null,
        };
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        return this.contextFor(bearer(req.headers.authorization), address, http);
      },
    };
  }

  /** `claims`: a socket's token, whose session every live event re-checks (cheaply: see LiveSessions). */
  private async contextFor(
    token: string | null,
    address: string,
    http: HttpExchange | null,
    claims?: TokenClaims,
  ): Promise<RequestContext> {
    // the signed-in user is read before any resolver runs: a database outage here answers as it would there
    const session = token
      ? await this.auth.authenticate(token).catch((e: unknown) => Promise.reject(toClientError(e, this.logger)))
      : null;
    const actor = session?.actor ?? null;
    return {
      actor,
      signIn: session?.familyId ?? null,
      address,
      http,
      loaders: this.loaders.create(actor),
      stillActive: async () => actor !== null && claims !== undefined && (await this.sessions.current(claims)),
    };
  }

  private async prepareWsOperation(extra: WsExtra, payload: SubscribePayload) {
    const schema = this.schemaHost.schema;
    const limits = this.config.operationLimits;
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: limits.tokens });
    } catch (error) {
      return [error as GraphQLError];
    }
    const errors = validate(schema, document, [...specifiedRules, depthRule(limits.depth), shapeRule(limits.shape)]);
    if (errors.length > 0) return errors;
    try {
      checkComplexity(complexityOf(schema, document, payload.variables ?? undefined, payload.operationName), limits);
    } catch (error) {
      return [error as GraphQLError];
    }
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue: await this.contextFor(extra.token ?? null, this.clientAddress(extra), null, extra.claims),
    };
  }

  /**
   * A socket's client address as HTTP requests get theirs: from X-Forwarded-For only through TRUSTED_PROXIES (the
   * HTTP adapters do the same for requests), else the connection's own.
   */
  private clientAddress(extra: WsExtra): string {
    return extra.request?.socket ? proxyaddr(extra.request, this.trustProxy) : 'unknown';
  }

  /** Last line of defence: only known codes pass with their message; nothing carries a stack trace. */
  private formatError(original: GraphQLFormattedError): GraphQLFormattedError {
    // no "Did you mean …?" in production, over WebSocket either (Apollo drops them over HTTP)
    const formatted = this.config.isProduction
      ? { ...original, message: original.message.replace(/\s*Did you mean .*$/s, '') }
      : original;
    const code = formatted.extensions?.code;
    // graphql-js stops parsing at GRAPHQL_MAX_TOKENS with a syntax error: a limit, not a typo
    const tokens = /Document contains more th\w+ (\d+) tokens/.exec(formatted.message);
    if (tokens) {
      return {
        message: `Query is too long (more than ${tokens[1]} tokens; the limit is ${tokens[1]})`,
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      };
    }
    if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message.startsWith(TOO_COMPLEX_PREFIX)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      // `http` sets the answer's status (see UnavailablePlugin); it is not for the client
      const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // graphql-js reports bad queries and variables without a code
    if (code === undefined && formatted.locations && !formatted.path) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      };
    }
    if (code !== 'INTERNAL_SERVER_ERROR' || formatted.message !== 'Internal server error') {
      this.logger.error({ code }, 'Unclassified GraphQL error');
    }
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
