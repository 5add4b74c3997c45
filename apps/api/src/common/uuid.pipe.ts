import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { badInput } from '@shelterlink/common';

/** Id arguments must be UUIDs; anything else is a clear input error naming the argument. */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string | null | undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): string | null | undefined {
    // GraphQL itself refuses a missing required argument; an optional one may be absent
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string' || !isUUID(value)) throw badInput(metadata.data ?? 'id', 'is not a valid id');
    return value;
  }
}
