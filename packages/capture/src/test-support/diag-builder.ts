/** The DIAG container builders live in diag/build (shared with `l1t synth ue`); tests keep importing them from here. */
export { diagLogPacket, dlfRecord, hdlcFrame, qmdl2Header } from '../diag/build/diag-frames.js';
