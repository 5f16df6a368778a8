import { processIo } from './io.js';
import { addCommand, runCli } from './program.js';
import './register-commands.js';

void addCommand;
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
