import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'dev-idp', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
