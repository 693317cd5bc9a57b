#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main('glacier-migrate', process.argv.slice(2));
