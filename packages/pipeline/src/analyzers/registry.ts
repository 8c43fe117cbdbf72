import type { AnalyzerFactory } from '../analysis-types.js';
import { InputError } from '../analysis-types.js';
import { CaptureAnalyzer } from './capture-analyzer.js';
import { DiagAnalyzer } from './diag-analyzer.js';
import { TextLogDispatcher } from './text-log-dispatcher.js';

/** Chooses the analyzer for a recognised format. */
export const createAnalyzer: AnalyzerFactory = (format, formatDetail, ctx) => {
  switch (format) {
    case 'pcap':
    case 'pcapng':
      return new CaptureAnalyzer(format, ctx);
    case 'diag_hdlc':
    case 'qmdl2':
    case 'dlf':
    case 'isf':
      return new DiagAnalyzer(format, ctx);
    case 'text':
      return new TextLogDispatcher(ctx);
    case 'unknown':
      throw new InputError(ctx.fileName, 0, `unrecognised format (${formatDetail})`);
  }
};
