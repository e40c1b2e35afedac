/**
 * Multi-process tests: real server processes (spawned through @swc-node/register) on one database,
 * a database that goes away, a server killed with SIGKILL. Run by `npm run test:resilience` (CI runs
 * them on MariaDB: TEST_DATABASE_URL is required); not part of `npm test`, which stays quick and
 * needs no database server.
 */
const server = require('../server/jest.config.js');

module.exports = {
  ...server,
  displayName: 'resilience',
  testMatch: ['<rootDir>/test/resilience/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
