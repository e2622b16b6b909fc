#!/usr/bin/env node
// Kept tiny: every command's module is imported only when that command runs, so start-up stays fast.
// The V8 compile cache (Node 22.1+) keeps compiled code of our modules and dependencies on disk
// between runs, which roughly halves start-up; it is skipped silently where unavailable.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
