#!/usr/bin/env node
// Entry point for `npx casebook …` and `npm start`: loads TypeScript through tsx, then the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
