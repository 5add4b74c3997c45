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
  // global options: jest ignores them inside `projects`
  testTimeout: 60_000,
  // Three files at a time, whatever the cores: the e2e files mostly wait (on timers, outages, the worker, the
  // network), so on 2 cores three side by side took the run from 463 s in band to 194 s (CPU 58% → 125% of one
  // core), and three keep the test databases' connections well within Postgres's default 100.
  maxWorkers: 3,
};
