import { ValidationError, ValidationPipe } from '@nestjs/common';
import { badInput } from '@shelterlink/common';

/** Validates every input and argument; the first failure names its field in `extensions.field`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => {
      const [path, message] = firstError(errors, []);
      return badInput(path, message);
    },
  });
}

function firstError(errors: ValidationError[], prefix: string[]): [string, string] {
  const error = errors[0];
  const path = [...prefix, error.property];
  if (error.constraints) {
    const message = Object.values(error.constraints)[0] ?? 'is invalid';
    // class-validator starts messages with the property name; keep only the explanation
    return [
      path.join('.'),
      message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    ];
  }
  if (error.children?.length) return firstError(error.children, path);
  return [path.join('.'), 'is invalid'];
}
