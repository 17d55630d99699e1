/** @type {import('jest').Config} */
// Type-checking runs once in `tsc --noEmit` (npm test); swc only strips types, which keeps jest fast.
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'main', testMatch: ['**/*.test.ts'] },
    // The AWS constructs against the newest aws-cdk-lib our peer range admits (the oldest, 2.276.0,
    // is the devDependency every other test uses): cdk-nag findings and feature flags change between
    // versions. Bump the `aws-cdk-lib-newest` alias in package.json when aws-cdk-lib releases.
    {
      ...base,
      displayName: 'aws-cdk-lib-newest',
      testMatch: ['**/test/aws/nag-flags.test.ts'],
      moduleNameMapper: { '^aws-cdk-lib(/.*)?$': '<rootDir>/node_modules/aws-cdk-lib-newest$1' },
    },
  ],
};
