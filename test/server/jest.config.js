/** Server tests: the real Koa app through supertest against a real database (SQLite in memory, or
 * MariaDB/MySQL when TEST_DATABASE_URL is set, in a fresh database per test file). */
module.exports = {
  displayName: 'server',
  rootDir: '../..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/server/**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/test/server/support/setup-timeout.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
