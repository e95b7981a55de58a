#!/usr/bin/env node
import { loadBundle } from './bundle.js';

// React's development build doubles render cost and prints dev warnings: pick production before
// the CLI runs (bundle.js loads nothing but Node built-ins).
process.env.NODE_ENV ??= 'production';
process.exitCode = await loadBundle().main(process.argv.slice(2));
