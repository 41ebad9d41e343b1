import { nodeFlags } from '../node-flags';

// Printed for the shell that starts node: `node $(node dist/src/cli/node-flags.js) dist/src/main.js`.
process.stdout.write(`${nodeFlags(process.env).join(' ')}\n`);
