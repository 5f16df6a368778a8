import type { NodeClock } from '../node/clock.js';
import type { Micros } from '../sim/time.js';

/** One clock fault on one node: the step it made and the drift it set. */
interface ClockLayer {
  id: number;
  offset: Micros;
  driftPpm: number;
}

/**
 * The clock faults in force on each node, as layers over a correct clock (no step, no drift).
 * A node's clock is stepped by the sum of its active faults' offsets and runs at the drift of
 * the one that started last. A fault ending steps back by its own offset only and leaves the
 * drift of the faults still active: restoring the drift saved at its start would bring back
 * (or cut short) another fault's drift when the two overlap without nesting.
 */
export class ClockLayers {
  private readonly layers: ClockLayer[][];

  constructor(private readonly clocks: readonly NodeClock[]) {
    this.layers = clocks.map(() => []);
  }

  add(id: number, node: number, now: Micros, offset: Micros, driftPpm: number): void {
    this.layers[node]!.push({ id, offset, driftPpm });
    this.clocks[node]!.adjust(now, offset, driftPpm);
  }

  /** Ends fault `id` on `node`; false when it was not in force there (the heal had ended it). */
  remove(id: number, node: number, now: Micros): boolean {
    const layers = this.layers[node]!;
    const index = layers.findIndex((layer) => layer.id === id);
    if (index === -1) return false;
    const [layer] = layers.splice(index, 1);
    this.clocks[node]!.adjust(now, -layer!.offset, layers.at(-1)?.driftPpm ?? 0);
    return true;
  }

  /**
   * Ends every clock fault on `node`. `undo` steps the clock back by their offsets and stops the
   * drift (a healed node); without it the clock stays as it is and only the layers are forgotten,
   * so no later fault end can step it (a node left out of the liveness core).
   */
  clear(node: number, now: Micros, undo: boolean): void {
    const layers = this.layers[node]!;
    if (layers.length === 0) return;
    const offset = layers.reduce((sum, layer) => sum + layer.offset, 0);
    layers.length = 0;
    if (undo) this.clocks[node]!.adjust(now, -offset, 0);
  }

  activeOn(node: number): number {
    return this.layers[node]!.length;
  }
}
