#!/usr/bin/env node
// Kept tiny: every command's module is imported only when that command runs, so start-up stays fast.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
