import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { renderAsciiDiagram } from '../../src/report/ascii-diagram.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';
import { renderMessageGeneric } from '../../src/trace/render.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the ASCII space-time diagram', () => {
  it('draws one row per event with a column per node and client', () => {
    const message = { type: 'ping', n: 1 };
    const trace: TraceEvent[] = [
      { kind: 'send', time: 10, from: 0, to: 2, message },
      { kind: 'deliver', time: 20, from: 0, to: 2, message },
      { kind: 'send', time: 30, from: 2, to: 1, message },
      { kind: 'drop', time: 30, from: 2, to: 1, message, reason: 'loss' },
      { kind: 'crash', time: 40, node: 1, lostWrites: 0 },
      { kind: 'request', time: 50, client: 0, node: 2, requestId: 7, f: 'read' },
      { kind: 'client', time: 60, process: 3, type: 'ok', f: 'read', key: 'k', value: 'v' },
      { kind: 'timer', time: 70, node: 0, name: 'heartbeat' },
    ];
    const text = renderAsciiDiagram(trace, { nodeCount: 3, clientCount: 1, processClients: [0, 0, 0, 0], renderMessage: renderMessageGeneric, count: 40, until: 60, heading: 'up to the violation' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('last 7 of 8 events up to the violation');
    expect(lines[1]).toBe('            n0  n1  n2  c0   event');
    expect(lines.slice(2, 9)).toEqual([
      '0.000010s   o------->   |    send n0->n2 ping{n=1}',
      '0.000020s   |-------@   |    deliver n0->n2 ping{n=1}',
      '0.000030s   |   <---o   |    send n2->n1 ping{n=1}',
      '0.000030s   |   x   |   |    drop(loss) n2->n1 ping{n=1}',
      '0.000040s   |   X   |   |    crash n1 (lost writes 0)',
      '0.000050s   |   |   @...o    request c0->n2 #7 read',
      '0.000060s   |   |   |   k    client p3 ok read k "v"',
    ]);
    expect(lines[9]).toMatch(/^legend: /);
  });

  it('faultline run --diagram prints the last N events before the violation', async () => {
    const io = bufferIo(ROOT);
    const out = mkdtempSync(join(tmpdir(), 'faultline-diagram-'));
    const code = await runCli(['run', 'scenarios/raft-lease-clock-skew.yaml', '--out', out, '--no-html', '--diagram', '12'], io);
    expect(code).toBe(0); // the scenario expects not-linearizable
    const diagram = io.stdout.slice(io.stdout.indexOf('last 12 of'));
    expect(diagram).toMatch(/^last 12 of [\d]+ events up to the violation \(not-linearizable at 1\.245061s\)\n {12}n0  n1  n2  c0/);
    const rows = diagram.split('\n').slice(2, 14);
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toMatch(/^\d+\.\d{6}s {3}/);
    // The last row is the stale read the checker rejects.
    expect(rows[11]).toMatch(/^1\.245061s .* client p5 ok read k0 "c7\.3"$/);
    const bad = await runCli(['run', 'scenarios/raft-lease-clock-skew.yaml', '--out', out, '--diagram', 'many'], bufferIo(ROOT));
    expect(bad).toBe(2);
  });
});
