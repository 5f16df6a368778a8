import { processIo } from './io.js';
import { addCommand, runCli } from './program.js';
import './register-commands.js';

// `faultline list | head`: the reader went away. Stop quietly, as other command-line tools do,
// rather than print a stack trace for the EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void addCommand;
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
