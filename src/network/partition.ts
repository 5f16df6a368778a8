import type { NodeId } from '../protocol/effects.js';
import { unreachable, fail } from '../util/assert.js';

/**
 * Partition shapes, resolved to concrete node ids before they reach the network (the nemesis
 * resolves `leader` and random choices). A shape yields the set of directed links to cut.
 */
export type PartitionShape =
  /** Cut every link to and from `node`. */
  | { shape: 'isolate'; node: NodeId }
  /** `minority` on one side, everyone else on the other. */
  | { shape: 'split'; minority: NodeId[] }
  /** Two halves that share `bridge`: it talks to everyone, the halves not to each other. */
  | { shape: 'bridge'; bridge: NodeId; left: NodeId[]; right: NodeId[] }
  /** Each node sees a majority, and no two nodes see the same majority (Jepsen's ring). */
  | { shape: 'majorities-ring'; order: NodeId[] }
  /** Arbitrary groups; links inside a group stay up, all others are cut. Unlisted nodes are alone. */
  | { shape: 'groups'; groups: NodeId[][] }
  /** One direction only: messages from `from` to `to` are cut. */
  | { shape: 'one-way'; from: NodeId[]; to: NodeId[] };

/** Links are indexed `from * n + to`. */
export function cutLinks(shape: PartitionShape, nodeCount: number): Uint8Array {
  const cut = new Uint8Array(nodeCount * nodeCount);
  const connectedOnly = (connected: (a: NodeId, b: NodeId) => boolean) => {
    for (let a = 0; a < nodeCount; a++) {
      for (let b = 0; b < nodeCount; b++) if (a !== b && !connected(a, b)) cut[a * nodeCount + b] = 1;
    }
  };
  switch (shape.shape) {
    case 'isolate':
      checkNodes([shape.node], nodeCount);
      connectedOnly((a, b) => a !== shape.node && b !== shape.node);
      break;
    case 'split': {
      checkNodes(shape.minority, nodeCount);
      const side = new Set(shape.minority);
      connectedOnly((a, b) => side.has(a) === side.has(b));
      break;
    }
    case 'bridge': {
      checkNodes([shape.bridge, ...shape.left, ...shape.right], nodeCount);
      const left = new Set(shape.left);
      connectedOnly((a, b) => a === shape.bridge || b === shape.bridge || left.has(a) === left.has(b));
      break;
    }
    case 'majorities-ring': {
      checkNodes(shape.order, nodeCount);
      const position = new Map(shape.order.map((node, index) => [node, index]));
      // Each node keeps ceil(f/2) neighbours on each side of the ring: itself plus them is a majority.
      const reach = Math.ceil(Math.floor(nodeCount / 2) / 2);
      connectedOnly((a, b) => {
        const distance = Math.abs((position.get(a) as number) - (position.get(b) as number));
        return Math.min(distance, nodeCount - distance) <= reach;
      });
      break;
    }
    case 'groups': {
      const groupOf = new Map<NodeId, number>();
      shape.groups.forEach((group, index) => {
        checkNodes(group, nodeCount);
        for (const node of group) {
          if (groupOf.has(node)) fail(`node ${node} is in two partition groups`);
          groupOf.set(node, index);
        }
      });
      connectedOnly((a, b) => groupOf.has(a) && groupOf.get(a) === groupOf.get(b));
      break;
    }
    case 'one-way':
      checkNodes([...shape.from, ...shape.to], nodeCount);
      for (const a of shape.from) for (const b of shape.to) if (a !== b) cut[a * nodeCount + b] = 1;
      break;
    default:
      unreachable(shape, 'partition shape');
  }
  return cut;
}

export function describePartition(shape: PartitionShape): string {
  const list = (nodes: NodeId[]) => nodes.map((n) => `n${n}`).join(',');
  switch (shape.shape) {
    case 'isolate':
      return `isolate n${shape.node}`;
    case 'split':
      return `split minority {${list(shape.minority)}}`;
    case 'bridge':
      return `bridge n${shape.bridge} between {${list(shape.left)}} and {${list(shape.right)}}`;
    case 'majorities-ring':
      return `majorities-ring ${list(shape.order)}`;
    case 'groups':
      return `groups ${shape.groups.map((g) => `{${list(g)}}`).join(' ')}`;
    case 'one-way':
      return `one-way {${list(shape.from)}} -/-> {${list(shape.to)}}`;
    default:
      return unreachable(shape, 'partition shape');
  }
}

function checkNodes(nodes: NodeId[], nodeCount: number): void {
  for (const node of nodes) if (!(Number.isInteger(node) && node >= 0 && node < nodeCount)) fail(`no node ${node} in a cluster of ${nodeCount}`);
}
