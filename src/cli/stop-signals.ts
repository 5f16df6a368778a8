/** The signals that ask a long command to stop cleanly, and the exit code a shell gives each. */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Calls `stop` on the first SIGINT or SIGTERM (instead of node's default of dying at once, which
 * after SIGTERM leaves no summary); a second signal exits at once with its code, for a user who
 * does not want to wait. `off()` restores the defaults.
 */
export function onStopSignals(stop: (signal: StopSignal) => void): { off(): void } {
  let stopping = false;
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const handler = (): void => {
      if (stopping) process.exit(STOP_SIGNALS[signal]);
      stopping = true;
      stop(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return { off: () => handlers.forEach((off) => off()) };
}

/** 143 for `SIGTERM`, 130 for `SIGINT` and for an abort without a signal. */
export function signalExitCode(reason: unknown): number {
  return reason === 'SIGTERM' ? STOP_SIGNALS.SIGTERM : STOP_SIGNALS.SIGINT;
}
