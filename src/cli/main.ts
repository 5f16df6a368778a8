import { processIo } from './io.js';
import { runCli } from './program.js';

// `faultline list | head`: the reader went away. Stop quietly, as other command-line tools do,
// rather than print a stack trace for the EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
