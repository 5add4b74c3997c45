/** Positional parameters for a statement built from parts: `add` returns the placeholder, cast for Postgres. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}
