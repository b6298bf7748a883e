/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The fault suite and the browser tests have configs of their own (npm run test:faults,
  // npm run test:browser): they are slower and need PostgreSQL or Chromium.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/', '<rootDir>/tests/browser/'],
  transform: {
    // Type checking is `npm run typecheck`; tests only transpile, which keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
