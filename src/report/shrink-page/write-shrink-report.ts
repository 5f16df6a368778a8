import type { RunResult } from '../../run/run-result.js';
import { runScenario } from '../../run/run-scenario.js';
import { parseScenario } from '../../scenario/load.js';
import { describeSignature } from '../../shrink/failure-signature.js';
import type { ShrinkOutcome } from '../../shrink/shrink.js';
import { renderMessageGeneric, type MessageRenderer } from '../../trace/render.js';
import { findProtocol } from '../../protocols/registry.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { renderRunHtml } from '../run-page/render-run-html.js';
import { runPageInput } from '../run-page/write-run-report.js';
import { renderShrinkHtml } from './render-shrink-html.js';

/** The shrink page's file for a shrunk scenario: `shrunk.yaml` → `shrunk.html`, beside it. */
export function shrinkPagePath(yamlPath: string): string {
  return yamlPath.replace(/\.ya?ml$/i, '') + '.html';
}

/**
 * Writes the shrink page beside the shrunk scenario: both runs again with their traces kept (the
 * original from its result's scenario and seed, the shrunk one from the written YAML), each drawn
 * as a run report.
 */
export function writeShrinkReport(options: { path: string; original: RunResult; outcome: ShrinkOutcome; yamlFile: string; source: string }): string {
  const { original, outcome } = options;
  const originalScenario = parseScenario(original.scenarioSource, original.scenarioFile ?? options.source);
  const protocol = findProtocol(originalScenario.protocol.name);
  const renderMessage: MessageRenderer = protocol === undefined ? renderMessageGeneric : (message) => protocol.renderMessage(message);
  const originalRun = runScenario(originalScenario, { seed: original.seed, keepTrace: true, imports: original.imports });
  const shrunkScenario = parseScenario(outcome.yaml, options.yamlFile);
  const shrunkRun = runScenario(shrunkScenario, { keepTrace: true, imports: original.imports });
  writeFileAtomic(
    options.path,
    renderShrinkHtml({
      failure: describeSignature(outcome.failure),
      source: options.source,
      before: outcome.before,
      after: outcome.after,
      runs: outcome.runs,
      timedOut: outcome.timedOut,
      yaml: outcome.yaml,
      yamlFile: options.yamlFile,
      originalPage: renderRunHtml(runPageInput(originalRun, renderMessage, `${options.source} (original)`)),
      shrunkPage: renderRunHtml(runPageInput(shrunkRun, renderMessage, `${options.yamlFile} (shrunk)`)),
    }),
  );
  return options.path;
}
