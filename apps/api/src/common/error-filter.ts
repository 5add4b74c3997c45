import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { auditActor, AuditKind, AuditService } from '@shelterlink/audit';
import { Actor, DomainError, ErrorCode } from '@shelterlink/common';
import { databaseState, unavailableReason, UnavailableReason } from '@shelterlink/database';
import type { RequestContext } from './request-context';

/** Plain HTTP routes (exports, health) answer an error with the status that names its code. */
const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  CAPACITY_CONFLICT: 409,
  INVALID_TRANSITION: 409,
  INVALID_CREDENTIALS: 401,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** A framework HTTP error (a route not found, a body too large) by its status, without its message. */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'BAD_USER_INPUT',
  415: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

/**
 * The one place errors become what clients see: a DomainError keeps its code, message and extensions;
 * anything else is logged (by name and code only, never its message, which may hold data) and reaches
 * the client as INTERNAL_SERVER_ERROR with a fixed message.
 */
@Catch()
export class ErrorFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly audit: AuditService,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (exception instanceof HttpException && exception.getStatus() === 503 && host.getType<string>() === 'http') {
      // not ready (the health check): its own body, which names only statuses, logged by the check itself
      const response: unknown = host.switchToHttp().getResponse();
      this.adapterHost.httpAdapter.setHeader(response, 'retry-after', '5');
      this.adapterHost.httpAdapter.reply(response, exception.getResponse(), 503);
      return undefined;
    }
    const error = toClientError(exception, this.logger);
    if (exception instanceof DomainError && AUDITED[exception.code]) this.recordRefusal(exception.code, host);
    if (host.getType<string>() === 'graphql') {
      GqlArgumentsHost.create(host);
      return error;
    }
    // through the adapter: Express's response and Fastify's reply answer differently
    const { code, http: _http, ...extensions } = error.extensions as { code: ErrorCode } & Record<string, unknown>;
    const status = exception instanceof HttpException ? exception.getStatus() : (HTTP_STATUS[code] ?? 500);
    const response: unknown = host.switchToHttp().getResponse();
    const adapter = this.adapterHost.httpAdapter;
    // a download's headers were set before it failed: the error is not an attachment
    adapter.setHeader(response, 'content-disposition', 'inline');
    if (typeof extensions.retryAfterSeconds === 'number')
      adapter.setHeader(response, 'retry-after', String(extensions.retryAfterSeconds));
    adapter.reply(response, { error: { ...extensions, code, message: error.message } }, status);
    return undefined;
  }

  /** Who was refused what: the operation (a GraphQL field, or an HTTP path without its query), never arguments. */
  private recordRefusal(code: ErrorCode, host: ArgumentsHost): void {
    const { actor, address, operation } = host.getType<string>() === 'graphql' ? graphqlCaller(host) : httpCaller(host);
    void this.audit.record({ kind: AUDITED[code]!, actor: auditActor(actor), address, detail: { code, operation } });
  }
}

/** Refusals the security trail keeps (the sign-in's own are kept by AuthService). */
const AUDITED: Partial<Record<ErrorCode, AuditKind>> = {
  FORBIDDEN: AuditKind.ACCESS_REFUSED,
  NOT_FOUND: AuditKind.ACCESS_REFUSED,
  RATE_LIMITED: AuditKind.RATE_LIMITED,
};

interface HttpRequest {
  ip?: string;
  url?: string;
  shelterlinkActor?: Actor;
}

interface Caller {
  actor: Actor | null;
  address: string | null;
  operation: string | null;
}

function graphqlCaller(host: ArgumentsHost): Caller {
  const gql = GqlArgumentsHost.create(host);
  const ctx = gql.getContext<RequestContext | undefined>();
  const info = gql.getInfo<GraphQLResolveInfo | undefined>();
  return {
    actor: ctx?.actor ?? null,
    address: ctx?.address ?? null,
    operation: info ? `${info.parentType.name}.${info.fieldName}` : null,
  };
}

function httpCaller(host: ArgumentsHost): Caller {
  const request = host.switchToHttp().getRequest<HttpRequest>();
  return {
    actor: request.shelterlinkActor ?? null,
    address: request.ip ?? null,
    operation: request.url?.split('?')[0] ?? null,
  };
}

/** What the client reads for each reason an operation could not be done now (BUSY, TIMED_OUT: none of it was). */
const UNAVAILABLE: Readonly<Record<UnavailableReason, { message: string; retryAfterSeconds: number }>> = {
  // the connection may have dropped during a COMMIT: whether a change was made cannot be known here (send an
  // idempotency key, and the retry is safe either way)
  DATABASE_UNAVAILABLE: { message: 'The service is briefly unavailable. Try again', retryAfterSeconds: 5 },
  BUSY: { message: 'That record is busy; nothing was changed. Try again', retryAfterSeconds: 1 },
  TIMED_OUT: { message: 'That took too long; nothing was changed. Try again', retryAfterSeconds: 1 },
};

/** A DomainError for the client; SERVICE_UNAVAILABLE also sets HTTP 503 and Retry-After on a GraphQL answer. */
function fromDomainError(error: DomainError): GraphQLError {
  const extensions: Record<string, unknown> = { ...error.extensions, code: error.code };
  if (error.code === 'SERVICE_UNAVAILABLE') {
    const retryAfter = String(typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : 1);
    extensions.http = { status: 503, headers: new Map([['retry-after', retryAfter]]) };
  }
  return new GraphQLError(error.message, { extensions });
}

export function toClientError(exception: unknown, logger?: Logger): GraphQLError {
  if (exception instanceof DomainError) return fromDomainError(exception);
  if (exception instanceof GraphQLError) return exception;
  if (exception instanceof HttpException && CODE_OF_STATUS[exception.getStatus()]) {
    const code = CODE_OF_STATUS[exception.getStatus()];
    return new GraphQLError(code === 'NOT_FOUND' ? 'Not found' : 'The request was refused', { extensions: { code } });
  }
  // an outage, a lock or a time limit: retryable, logged in one line (an outage once, when it begins)
  const reason = unavailableReason(exception);
  if (reason) {
    if (reason === 'DATABASE_UNAVAILABLE') databaseState.lost(exception as Error);
    else logger?.warn({ reason }, 'operation not done: try again');
    const { message, retryAfterSeconds } = UNAVAILABLE[reason];
    return fromDomainError(new DomainError('SERVICE_UNAVAILABLE', message, { reason, retryAfterSeconds }));
  }
  const e = exception as { name?: string; code?: unknown; stack?: string };
  // frames only: the first line of a stack is the message, which may quote input or stored values
  const frames = e?.stack?.split('\n').slice(1).join('\n');
  logger?.error({ err: { type: e?.name, code: e?.code, frames } }, 'Unhandled error');
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
