import { Controller, Get, Ip, Query, Res, UseGuards } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { auditActor, AuditKind, AuditService } from '@shelterlink/audit';
import { Actor, badInput } from '@shelterlink/common';
import {
  capacityCsv,
  ExportsService,
  hmisInventoryCsv,
  hsdsDirectory,
  Period,
  referralStatisticsCsv,
  ReferralStatisticsService,
} from '@shelterlink/monitoring';
import { LimitedHttp } from '../common/user-throttler.guard';
import { UuidPipe } from '../common/uuid.pipe';
import { BearerGuard, HttpActor } from './http-actor';

/** Express's response and Fastify's reply both set a header with `header(name, value)`. */
interface HeaderTarget {
  header(name: string, value: string): unknown;
}

const MAX_PAGE_SIZE = 500;

function period(from: string | undefined, to: string | undefined): Period {
  const parse = (field: string, value: string | undefined): Date => {
    // an ISO 8601 date or date-time, nothing looser
    if (!value || !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
      throw badInput(field, 'must be an ISO 8601 date or date-time');
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw badInput(field, 'must be an ISO 8601 date or date-time');
    return date;
  };
  return { from: parse('from', from), to: parse('to', to) };
}

function required(field: string, value: string | undefined): string {
  if (!value) throw badInput(field, 'is required');
  return value;
}

function positiveInt(field: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw badInput(field, `must be a whole number from 1 to ${max}`);
  return n;
}

/** Headers of a successful download, set once the answer is ready (an error is not an attachment). */
function download(res: HeaderTarget, type: string, filename?: string): void {
  res.header('content-type', type);
  res.header('cache-control', 'no-store');
  if (filename) res.header('content-disposition', `attachment; filename="${filename}"`);
}

/**
 * Downloads for coordinators and funders, over plain HTTP with the same Bearer token and the same scoping as
 * GraphQL: a region outside a coordinator's scope is not found; staff and advocates may read the public
 * directory only. Nothing here carries identity, a needs profile or a confidential address.
 */
@Controller('exports')
@LimitedHttp()
@UseGuards(BearerGuard)
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly statistics: ReferralStatisticsService,
    private readonly audit: AuditService,
  ) {}

  /** Every download is in the security trail: who, which export, which region. */
  private recorded(actor: Actor, address: string, name: string, regionId: string | null): Promise<void> {
    return this.audit.record({
      kind: AuditKind.EXPORT_DOWNLOADED,
      actor: auditActor(actor),
      address,
      subjectType: 'export',
      subjectId: name,
      detail: { regionId },
    });
  }

  @Get('capacity.csv')
  async capacity(
    @HttpActor() actor: Actor,
    @Ip() address: string,
    @Res({ passthrough: true }) res: HeaderTarget,
    @Query('regionId', UuidPipe) regionId?: string,
  ): Promise<string> {
    const { pools } = await this.exports.pools(actor, required('regionId', regionId));
    await this.recorded(actor, address, 'capacity.csv', regionId!);
    download(res, 'text/csv; charset=utf-8', 'capacity.csv');
    return capacityCsv(pools);
  }

  @Get('referral-statistics.csv')
  async referralStatistics(
    @HttpActor() actor: Actor,
    @Ip() address: string,
    @Res({ passthrough: true }) res: HeaderTarget,
    @Query('regionId', UuidPipe) regionId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<string> {
    const region = required('regionId', regionId);
    const span = period(from, to);
    const [stats, unmet] = await Promise.all([
      this.statistics.referralStatistics(actor, region, span),
      this.statistics.unmetNeed(actor, region, span),
    ]);
    await this.recorded(actor, address, 'referral-statistics.csv', region);
    download(res, 'text/csv; charset=utf-8', 'referral-statistics.csv');
    return referralStatisticsCsv(stats, unmet);
  }

  @Get('hmis-inventory.csv')
  async inventory(
    @HttpActor() actor: Actor,
    @Ip() address: string,
    @Res({ passthrough: true }) res: HeaderTarget,
    @Query('regionId', UuidPipe) regionId?: string,
  ): Promise<string> {
    const { pools } = await this.exports.pools(actor, required('regionId', regionId));
    await this.recorded(actor, address, 'hmis-inventory.csv', regionId!);
    download(res, 'text/csv; charset=utf-8', 'Inventory.csv');
    return hmisInventoryCsv(pools, randomBytes(16).toString('hex'));
  }

  /** Any signed-in user's directory, as the `shelters` query; `page` from 1, `per_page` up to 500 (HSDS's paging). */
  @Get('directory.hsds.json')
  async directory(
    @HttpActor() actor: Actor,
    @Ip() address: string,
    @Res({ passthrough: true }) res: HeaderTarget,
    @Query('regionId', UuidPipe) regionId?: string,
    @Query('page') pageParam?: string,
    @Query('per_page') sizeParam?: string,
  ): Promise<Record<string, unknown>> {
    const page = {
      number: positiveInt('page', pageParam, 1, 1_000_000),
      size: positiveInt('per_page', sizeParam, 100, MAX_PAGE_SIZE),
    };
    const { total, entries } = await this.exports.directory(actor, regionId ?? null, page);
    await this.recorded(actor, address, 'directory.hsds.json', regionId ?? null);
    download(res, 'application/json; charset=utf-8');
    return hsdsDirectory(entries, { ...page, total });
  }
}
