#!/usr/bin/env node
// React's development build doubles render cost and prints dev warnings: pick production before
// anything imports React (ESM imports are hoisted, hence this tiny wrapper).
process.env.NODE_ENV ??= 'production';
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
