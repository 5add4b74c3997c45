import { Controller, Get, Header, Query, UseGuards } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
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
import { UuidPipe } from '../common/uuid.pipe';
import { BearerGuard, HttpActor } from './http-actor';

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

/**
 * Downloads for coordinators and funders, over plain HTTP with the same Bearer token and the same scoping as
 * GraphQL: a region outside a coordinator's scope is not found; staff and advocates may read the public
 * directory only. Nothing here carries identity, a needs profile or a confidential address.
 */
@Controller('exports')
@UseGuards(BearerGuard)
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly statistics: ReferralStatisticsService,
  ) {}

  @Get('capacity.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="capacity.csv"')
  @Header('Cache-Control', 'no-store')
  async capacity(@HttpActor() actor: Actor, @Query('regionId', UuidPipe) regionId?: string): Promise<string> {
    const { pools } = await this.exports.pools(actor, required('regionId', regionId));
    return capacityCsv(pools);
  }

  @Get('referral-statistics.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="referral-statistics.csv"')
  @Header('Cache-Control', 'no-store')
  async referralStatistics(
    @HttpActor() actor: Actor,
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
    return referralStatisticsCsv(stats, unmet);
  }

  @Get('hmis-inventory.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="Inventory.csv"')
  @Header('Cache-Control', 'no-store')
  async inventory(@HttpActor() actor: Actor, @Query('regionId', UuidPipe) regionId?: string): Promise<string> {
    const { pools } = await this.exports.pools(actor, required('regionId', regionId));
    return hmisInventoryCsv(pools, randomBytes(16).toString('hex'));
  }

  @Get('directory.hsds.json')
  @Header('Cache-Control', 'no-store')
  async directory(
    @HttpActor() actor: Actor,
    @Query('regionId', UuidPipe) regionId?: string,
  ): Promise<Record<string, unknown>> {
    return hsdsDirectory(await this.exports.directory(actor, regionId ?? null));
  }
}

function required(field: string, value: string | undefined): string {
  if (!value) throw badInput(field, 'is required');
  return value;
}
