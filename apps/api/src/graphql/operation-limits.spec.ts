import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, specifiedRules, validate } from 'graphql';
import { checkComplexity, complexityOf, expensiveCost, pageCost, shapeRule, statementCost } from './operation-limits';

const Item = new GraphQLObjectType({ name: 'Item', fields: { id: { type: GraphQLString } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      item: { type: Item, extensions: { complexity: statementCost } },
      search: { type: Item, args: { first: { type: GraphQLInt } }, extensions: { complexity: expensiveCost(100, 10) } },
      page: { type: Item, args: { first: { type: GraphQLInt } }, extensions: { complexity: pageCost(20) } },
      broken: {
        type: Item,
        extensions: {
          complexity: () => {
            throw new Error('no estimate');
          },
        },
      },
    },
  }),
});

const limits = { complexity: 2000, expensive: 3 };
const shape = { fields: 10, aliases: 3, directives: 2 };
const errorsOf = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, shapeRule(shape)]).map((e) => e.message);

describe('operation limits', () => {
  it('cost: a statement 10, a search 100 plus its page, and how many searches or reports an operation runs', () => {
    expect(complexityOf(schema, parse('{ item { id } }'), {})).toEqual({ complexity: 10, expensive: 0 });
    expect(complexityOf(schema, parse('{ a: search(first: 5) { id } b: search { id } }'), {})).toEqual({
      complexity: 100 + 5 + 100 + 10,
      expensive: 2,
    });
    const four = '{ a: search { id } b: search { id } c: search { id } d: search { id } }';
    expect(() => checkComplexity(complexityOf(schema, parse(four), {}), limits)).toThrow(/too expensive \(4/);
  });

  it('a negative first costs its statement only: it cannot cancel what the fields beside it cost', () => {
    expect(complexityOf(schema, parse('{ a: page(first: -1000000) { id } b: page(first: 100) { id } }'), {})).toEqual({
      complexity: 10 + (10 + 100 * 1),
      expensive: 0,
    });
    expect(complexityOf(schema, parse('{ search(first: -1000) { id } }'), {})?.complexity).toBe(100);
  });

  it('refuses an operation it cannot estimate, rather than letting it through unlimited', () => {
    expect(() => complexityOf(schema, parse('{ broken { id } }'), {})).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) }),
    );
  });

  it('leaves variables it cannot coerce to execution (BAD_USER_INPUT there)', () => {
    expect(complexityOf(schema, parse('query($n: Int) { search(first: $n) { id } }'), { n: 'ten' })).toBeNull();
  });

  it('counts fields, aliases and directives as the operation runs: every use of a fragment again', () => {
    expect(errorsOf('{ item { id } }')).toEqual([]);
    expect(errorsOf('{ a: item { id } b: item { id } c: item { id } d: item { id } }')).toEqual([
      'Query is too large (more than 3 aliases; the limit is 3)',
    ]);
    const spreads = Array.from({ length: 6 }, () => '...F').join(' ');
    expect(errorsOf(`{ item { ${spreads} } } fragment F on Item { id id }`)).toEqual([
      'Query is too large (more than 10 fields; the limit is 10)',
    ]);
    expect(errorsOf('{ item { id @include(if: true) } search @skip(if: false) { id @include(if: true) } }')).toEqual([
      'Query is too large (more than 2 directives; the limit is 2)',
    ]);
  });
});
