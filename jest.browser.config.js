/** The browser tests (tests/browser): the sandbox page in headless Chromium. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // Matched by path, not by roots: jest refuses a root folder that does not exist yet.
  testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
