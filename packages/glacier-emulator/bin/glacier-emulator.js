#!/usr/bin/env node
import('../dist/src/emulator/main.js').then((m) => m.main(process.argv.slice(2)));
