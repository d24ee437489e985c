// Preloaded into each gantry run by bench/soak.mjs (node --require): on exit, writes the process's
// peak resident set size in KiB to $GANTRY_SOAK_RSS_FILE.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.GANTRY_SOAK_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
