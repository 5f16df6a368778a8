import type { LinkSettings } from '../network/link.js';
import type { Network } from '../network/network.js';
import type { LinkChange } from './fault.js';

/** One network fault's change, on the links it touches (indexes `from * n + to`). */
interface LinkLayer {
  id: number;
  links: readonly number[];
  change: LinkChange;
}

/**
 * The network faults in force, as layers over the scenario's baseline. A link's effective
 * settings are the baseline with the changes of the faults active on it applied in the order they
 * started, so while two faults set the same field the later one's value holds. A fault adds its
 * layer when it starts and removes only its own when it ends.
 *
 * Why layers rather than saving a link's settings at the start and restoring them at the end:
 * with two faults that overlap without nesting, the one ending last would restore a value the
 * other had set, and that value would outlive both (issue 21: half the messages lost after the
 * heal). Nested faults behave exactly as save-and-restore did.
 */
export class LinkLayers {
  private readonly layers: LinkLayer[] = [];

  constructor(
    private readonly network: Network,
    private readonly baseline: LinkSettings,
  ) {}

  /** Starts fault `id`'s change on the given links. */
  add(id: number, links: readonly (readonly [number, number])[], change: LinkChange): void {
    const n = this.network.nodeCount;
    const layer: LinkLayer = { id, links: links.map(([from, to]) => from * n + to), change };
    this.layers.push(layer);
    this.refresh(layer.links);
  }

  /** Ends fault `id`'s change; false when it was not in force (the heal had ended it). */
  remove(id: number): boolean {
    const index = this.layers.findIndex((layer) => layer.id === id);
    if (index === -1) return false;
    const [layer] = this.layers.splice(index, 1);
    this.refresh(layer!.links);
    return true;
  }

  /** Ends every layer: each link is back to the baseline exactly (the liveness heal). */
  clear(): void {
    this.layers.length = 0;
    const n = this.network.nodeCount;
    for (let from = 0; from < n; from++) {
      for (let to = 0; to < n; to++) if (from !== to) Object.assign(this.network.link(from, to), this.baseline);
    }
  }

  get activeCount(): number {
    return this.layers.length;
  }

  /** Recomputes the given links from the baseline and the layers still on them. */
  private refresh(links: readonly number[]): void {
    const n = this.network.nodeCount;
    for (const link of links) {
      const settings: LinkSettings = { ...this.baseline };
      for (const layer of this.layers) if (layer.links.includes(link)) Object.assign(settings, layer.change);
      Object.assign(this.network.link(Math.floor(link / n), link % n), settings);
    }
  }
}
