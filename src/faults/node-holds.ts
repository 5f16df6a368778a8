/**
 * Which fault holds each node down or paused: the one that crashed or paused it last. A fault's
 * end brings back only the nodes it still holds, so a crash that ends after another fault (or an
 * explicit `restart`) has taken the node over never undoes that one's effect, and after the heal,
 * which releases every hold, no fault's end brings a node back or takes it down again.
 */
export class NodeHolds {
  private readonly holder: (number | undefined)[];

  constructor(nodeCount: number) {
    this.holder = Array.from({ length: nodeCount }, () => undefined);
  }

  /** Fault `id` crashed or paused `node`: it holds it now, whoever held it before. */
  take(id: number, node: number): void {
    this.holder[node] = id;
  }

  /** Releases `node` if fault `id` still holds it; says whether it did. */
  release(id: number, node: number): boolean {
    if (this.holder[node] !== id) return false;
    this.holder[node] = undefined;
    return true;
  }

  /** The node came back by other means (an explicit restart or resume): nobody holds it. */
  forget(node: number): void {
    this.holder[node] = undefined;
  }

  clear(): void {
    this.holder.fill(undefined);
  }

  heldBy(node: number): number | undefined {
    return this.holder[node];
  }
}
