/** Commands that live beside the core ones; importing this module adds them to the CLI. */
import './commands/sweep.js';
import './commands/merge.js';
