/** Commands that live beside the core ones; importing this module adds them to the CLI. */
export {};
