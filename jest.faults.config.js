/** The fault suite (tests/faults): fuzzed requests, kill -9, replicas, outages, slow clients. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // Matched by path, not by roots: jest refuses a root folder that does not exist yet.
  testMatch: ['<rootDir>/tests/faults/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  // The cases load the machine on purpose; one at a time keeps their figures honest.
  maxWorkers: 1,
};
