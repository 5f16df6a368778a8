import { formatMicros } from '../sim/time.js';
import type { MessageRenderer } from '../trace/render.js';
import type { TraceEvent } from '../trace/trace-event.js';
import { unreachable } from '../util/assert.js';

export interface AsciiDiagramOptions {
  nodeCount: number;
  clientCount: number;
  /** The client behind each history process. */
  processClients: readonly number[];
  renderMessage: MessageRenderer;
  /** How many events to show, ending at `until`. */
  count: number;
  /** The last moment shown (the violation); the end of the trace when absent. */
  until: number | undefined;
  /** What the window ends at, for the heading. */
  heading: string;
}

const LANE_WIDTH = 4;

/** A lane's marks for one row: the lanes an event touches and the glyph at each. */
type Marks = { lane: number; glyph: string }[];

/**
 * A space-time diagram in plain text, one row per event, one column per node and client, for CI
 * logs: `o` sends, `>`/`<` points at the receiver of a send, `@` a delivery, `x` a drop, `d` a
 * duplicate; `T` timer, `X` crash, `R` restart, `P` pause, `p` resume; on clients `i` invoke,
 * `k` ok, `f` fail, `?` info, `.` a request or response on its way between lanes.
 */
export function renderAsciiDiagram(trace: readonly TraceEvent[], options: AsciiDiagramOptions): string {
  let end = trace.length;
  if (options.until !== undefined) while (end > 0 && trace[end - 1]!.time > options.until) end--;
  const start = Math.max(0, end - options.count);
  const laneCount = options.nodeCount + options.clientCount;
  const header = ' '.repeat(12) + Array.from({ length: laneCount }, (_, lane) => laneName(lane, options.nodeCount).padEnd(LANE_WIDTH)).join('') + ' event';
  const lines = [`last ${end - start} of ${trace.length} events ${options.heading}`, header];
  for (let index = start; index < end; index++) lines.push(row(trace[index]!, laneCount, options));
  lines.push('legend: o send  >/< to the receiver  @ delivered  x dropped  d duplicate  T timer  X crash  R restart  P pause  p resume  i/k/f/? client invoke/ok/fail/info');
  return lines.join('\n') + '\n';
}

function laneName(lane: number, nodeCount: number): string {
  return lane < nodeCount ? `n${lane}` : `c${lane - nodeCount}`;
}

function row(event: TraceEvent, laneCount: number, options: AsciiDiagramOptions): string {
  const time = formatMicros(event.time).padEnd(12);
  const cells: string[] = Array.from({ length: laneCount * LANE_WIDTH }, (_, position) => (position % LANE_WIDTH === 0 ? '|' : ' '));
  const { marks, text, span } = describe(event, options);
  if (span !== undefined) {
    const [a, b] = span[0] < span[1] ? span : [span[1], span[0]];
    for (let position = a * LANE_WIDTH + 1; position < b * LANE_WIDTH; position++) cells[position] = span[2];
  }
  for (const mark of marks) if (mark.lane >= 0 && mark.lane < laneCount) cells[mark.lane * LANE_WIDTH] = mark.glyph;
  if (event.kind === 'fault' || event.kind === 'phase') return `${time}${'='.repeat(laneCount * LANE_WIDTH)} ${text}`;
  return `${time}${cells.join('')} ${text}`;
}

function describe(event: TraceEvent, options: AsciiDiagramOptions): { marks: Marks; text: string; span?: [number, number, string] } {
  const clientLane = (client: number) => options.nodeCount + client;
  const towards = (from: number, to: number) => (to > from ? '>' : '<');
  switch (event.kind) {
    case 'send':
      return { marks: [{ lane: event.from, glyph: 'o' }, { lane: event.to, glyph: towards(event.from, event.to) }], span: [event.from, event.to, '-'], text: `send n${event.from}->n${event.to} ${options.renderMessage(event.message)}` };
    case 'deliver':
      return { marks: [{ lane: event.to, glyph: '@' }], span: [event.from, event.to, '-'], text: `deliver n${event.from}->n${event.to} ${options.renderMessage(event.message)}` };
    case 'drop':
      return { marks: [{ lane: event.to, glyph: 'x' }], span: [event.from, event.to, ' '], text: `drop(${event.reason}) n${event.from}->n${event.to} ${options.renderMessage(event.message)}` };
    case 'duplicate':
      return { marks: [{ lane: event.from, glyph: 'd' }, { lane: event.to, glyph: towards(event.from, event.to) }], span: [event.from, event.to, '='], text: `duplicate n${event.from}->n${event.to} ${options.renderMessage(event.message)}` };
    case 'timer':
      return { marks: [{ lane: event.node, glyph: 'T' }], text: `timer n${event.node} ${event.name}` };
    case 'crash':
      return { marks: [{ lane: event.node, glyph: 'X' }], text: `crash n${event.node} (lost writes ${event.lostWrites})` };
    case 'restart':
      return { marks: [{ lane: event.node, glyph: 'R' }], text: `restart n${event.node}` };
    case 'pause':
      return { marks: [{ lane: event.node, glyph: 'P' }], text: `pause n${event.node}` };
    case 'resume':
      return { marks: [{ lane: event.node, glyph: 'p' }], text: `resume n${event.node} (queued ${event.queued})` };
    case 'request':
      return { marks: [{ lane: event.node, glyph: '@' }, { lane: clientLane(event.client), glyph: 'o' }], span: [event.node, clientLane(event.client), '.'], text: `request c${event.client}->n${event.node} #${event.requestId} ${event.f}` };
    case 'response':
      return { marks: [{ lane: event.node, glyph: 'o' }, { lane: clientLane(event.client), glyph: '@' }], span: [event.node, clientLane(event.client), '.'], text: `response n${event.node}->c${event.client} #${event.requestId} ${event.status}` };
    case 'client': {
      const glyph = event.type === 'invoke' ? 'i' : event.type === 'ok' ? 'k' : event.type === 'fail' ? 'f' : '?';
      const client = options.processClients[event.process] ?? event.process;
      return { marks: [{ lane: clientLane(client), glyph }], text: `client p${event.process} ${event.type} ${event.f}${event.key === undefined ? '' : ` ${event.key}`} ${JSON.stringify(event.value)}` };
    }
    case 'fault':
      return { marks: [], text: `fault ${event.phase} ${event.description}` };
    case 'phase':
      return { marks: [], text: `phase ${event.name}` };
    default:
      return unreachable(event, 'trace event');
  }
}
