#!/usr/bin/env node
// A `solc` executable for forge, backed by solc-js (npm `solc`): there is no native solc offline.
// forge calls `solc --version` and `solc --standard-json` (input on stdin, output on stdout).
'use strict';
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  // forge parses the "Version: x.y.z+commit..." line.
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
function compileStandardJson() {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const input = Buffer.concat(chunks).toString('utf8');
    const fs = require('node:fs');
    const path = require('node:path');
    const allowed = args
      .filter(
        (_arg, i) =>
          args[i - 1] === '--allow-paths' ||
          args[i - 1] === '--base-path' ||
          args[i - 1] === '--include-path',
      )
      .flatMap((value) => value.split(','));
    const roots = [process.cwd(), ...allowed];
    // Resolve imports forge did not inline (it usually inlines all sources).
    const findImports = (importPath) => {
      for (const root of roots) {
        const candidate = path.resolve(root, importPath);
        if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
      }
      return { error: `File not found: ${importPath}` };
    };
    process.stdout.write(solc.compile(input, { import: findImports }));
  });
}

if (args.includes('--standard-json')) {
  compileStandardJson();
} else {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(1);
}
