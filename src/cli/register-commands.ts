/** Commands that live beside the core ones; importing this module adds them to the CLI. */
import { registerCheck } from './commands/check.js';
import { addCommand } from './program.js';
import './commands/sweep.js';
import './commands/merge.js';
import './commands/shrink.js';
import './commands/report.js';
import './commands/zoo.js';
import './commands/compare.js';

addCommand(registerCheck);
