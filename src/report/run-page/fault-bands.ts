import type { TraceEvent } from '../../trace/trace-event.js';

/** What a band over the time axis stands for. */
export type BandKind = 'partition' | 'crash' | 'pause' | 'clock' | 'network' | 'storage' | 'client-crash';

/** One fault window (an instant when start equals end). */
export interface FaultBand {
  kind: BandKind;
  start: number;
  end: number;
  label: string;
  nodes: number[];
  /** Directed links the fault cuts or changes, as from/to pairs. */
  links: [number, number][];
}

/** Bands the fault events of the schedule open, closed by their end event or by a heal. */
const windowed: Record<string, BandKind | undefined> = { partition: 'partition', clock: 'clock', network: 'network' };
const instants: Record<string, BandKind | undefined> = { corrupt: 'storage', 'crash-client': 'client-crash' };

/**
 * The fault bands of a run, read from its trace alone: crash and pause windows from the nodes'
 * own events (exact even when a symbolic target resolved to nothing), partitions, clock and link
 * changes from the nemesis's fault events, storage faults and client crashes as instants.
 */
export function faultBands(trace: readonly TraceEvent[], runEnd: number): FaultBand[] {
  const bands: FaultBand[] = [];
  const down = new Map<number, FaultBand>();
  const paused = new Map<number, FaultBand>();
  const open = new Map<number, FaultBand[]>(); // by schedule entry
  const closeWhere = (predicate: (band: FaultBand) => boolean, time: number) => {
    for (const [entry, list] of open) {
      const keep = list.filter((band) => {
        if (!predicate(band)) return true;
        band.end = time;
        return false;
      });
      if (keep.length === 0) open.delete(entry);
      else open.set(entry, keep);
    }
  };
  for (const event of trace) {
    switch (event.kind) {
      case 'crash':
        openNodeBand(down, bands, event.node, { kind: 'crash', start: event.time, end: runEnd, label: `n${event.node} crashed (lost writes ${event.lostWrites})`, nodes: [event.node], links: [] });
        break;
      case 'restart':
        closeNodeBand(down, event.node, event.time);
        break;
      case 'pause':
        openNodeBand(paused, bands, event.node, { kind: 'pause', start: event.time, end: runEnd, label: `n${event.node} paused`, nodes: [event.node], links: [] });
        break;
      case 'resume':
        closeNodeBand(paused, event.node, event.time);
        break;
      case 'fault': {
        const detail = event.detail;
        if (detail === undefined) {
          // The liveness phase's heal: every link and clock back to normal.
          closeWhere(() => true, event.time);
          break;
        }
        if (event.phase === 'end') {
          const list = detail.entry === undefined ? undefined : open.get(detail.entry);
          const band = list?.shift();
          if (band !== undefined) band.end = event.time;
          if (list !== undefined && list.length === 0) open.delete(detail.entry!);
          break;
        }
        if (detail.fault === 'heal') {
          closeWhere((band) => band.kind === 'partition', event.time);
          break;
        }
        const kind = windowed[detail.fault] ?? instants[detail.fault];
        if (kind === undefined) break; // crash, restart, pause, resume: drawn from the nodes' events
        const band: FaultBand = { kind, start: event.time, end: instants[detail.fault] === undefined ? runEnd : event.time, label: event.description, nodes: detail.nodes.length > 0 ? detail.nodes : touched(detail.links), links: detail.links };
        bands.push(band);
        if (instants[detail.fault] === undefined && detail.entry !== undefined) {
          const list = open.get(detail.entry) ?? [];
          list.push(band);
          open.set(detail.entry, list);
        }
        break;
      }
      default:
        break; // not a fault
    }
  }
  return bands.sort((a, b) => a.start - b.start);
}

function openNodeBand(openBands: Map<number, FaultBand>, bands: FaultBand[], node: number, band: FaultBand): void {
  openBands.set(node, band);
  bands.push(band);
}

function closeNodeBand(openBands: Map<number, FaultBand>, node: number, time: number): void {
  const band = openBands.get(node);
  if (band === undefined) return;
  band.end = time;
  openBands.delete(node);
}

/** The nodes at either end of some link. */
function touched(links: readonly [number, number][]): number[] {
  return [...new Set(links.flat())].sort((a, b) => a - b);
}
