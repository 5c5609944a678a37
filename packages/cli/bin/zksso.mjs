#!/usr/bin/env node
// The `zksso` command. The sources are TypeScript run through tsx (never compiled), like every package here.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
