export * from './linuxptp-line.js';
