// Jest runs in CommonJS mode; swc compiles our TypeScript and the ESM-only packages NestJS 12 pulls in.
const esmPackages = [
  '@nestjs',
  '@apollo',
  '@as-integrations',
  'graphql-ws',
  '@graphql-tools',
  '@whatwg-node',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  '@borewit',
  'lodash-es',
  // the queue dashboard on Fastify: @fastify/static's own, ESM-only copy
  '@fastify/static/node_modules/content-disposition',
  'content-disposition',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: require('node:path').resolve(__dirname, '..'),
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@shelterlink/(config|database|common|audit|accounts|shelters|queue|referrals|monitoring)$':
      '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
  // a global option: jest ignores it inside `projects`
  testTimeout: 60_000,
};
