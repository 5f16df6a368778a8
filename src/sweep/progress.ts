import cliProgress from 'cli-progress';
import { formatMicros } from '../sim/time.js';
import type { SeedRun } from './summary.js';

export interface ProgressOptions {
  /** A live bar on a terminal; plain periodic lines otherwise (CI logs). */
  tty: boolean;
  total: number;
  /** Where plain lines go (the bar draws on stderr itself). */
  write(text: string): void;
  /** Between plain lines; default 10 s. */
  intervalMs?: number;
}

export interface ProgressReporter {
  seedDone(scenario: string, run: SeedRun): void;
  stop(): void;
}

/** Sweep progress for people: seeds done, failures found, seeds/s and an ETA. */
export function createProgress(options: ProgressOptions): ProgressReporter {
  return options.tty ? barProgress(options) : lineProgress(options);
}

function barProgress(options: ProgressOptions): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      format: 'sweep [{bar}] {value}/{total} seeds | {failures} failed | {speed} seeds/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const rate = new Rate();
  let failures = 0;
  bar.start(options.total, 0, { failures, speed: '0' });
  return {
    seedDone(_scenario, run) {
      if (run.failed) failures++;
      bar.increment(1, { failures, speed: rate.perSecond(1).toFixed(1) });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(options: ProgressOptions): ProgressReporter {
  const rate = new Rate();
  let done = 0;
  let failures = 0;
  const line = () => {
    const speed = rate.perSecond(0);
    const eta = speed > 0 ? ` | ETA ${Math.ceil((options.total - done) / speed)}s` : '';
    options.write(`sweep: ${done}/${options.total} seeds | ${failures} failed | ${speed.toFixed(1)} seeds/s${eta}\n`);
  };
  const timer = setInterval(line, options.intervalMs ?? 10_000); // wall clock ok: progress display
  timer.unref();
  return {
    seedDone(scenario, run) {
      done++;
      rate.perSecond(1);
      if (!run.failed) return;
      failures++;
      const what = run.divergence !== undefined ? 'nondeterministic' : `${run.verdict} (expected ${run.expected})`;
      options.write(`sweep: ${scenario} seed ${run.seed} failed: ${what} at ${formatMicros(run.simulatedTime)}${run.failureDirectory === undefined ? '' : ` → ${run.failureDirectory}`}\n`);
    },
    stop() {
      clearInterval(timer);
      line();
    },
  };
}

/** Seeds per second since the start. */
class Rate {
  private readonly startedMs = performance.now(); // wall clock ok: progress display
  private count = 0;

  perSecond(added: number): number {
    this.count += added;
    const elapsedMs = performance.now() - this.startedMs; // wall clock ok: progress display
    return elapsedMs <= 0 ? 0 : (this.count * 1000) / elapsedMs;
  }
}
