import { ptpIdentityHex, type PtpMessage } from '../ptp/ptp-message.js';
import { bigintValue, put, type Fields } from './field-values.js';

const TIMESTAMP_PREFIX: Record<number, string> = {
  0: 'ptp.v2.sdr.origintimestamp',
  1: 'ptp.v2.sdr.origintimestamp',
  2: 'ptp.v2.pdrq.origintimestamp',
  3: 'ptp.v2.pdrs.requestreceipttimestamp',
  8: 'ptp.v2.fu.preciseorigintimestamp',
  9: 'ptp.v2.dr.receivetimestamp',
  10: 'ptp.v2.pdfu.responseorigintimestamp',
  11: 'ptp.v2.an.origintimestamp',
};

/** PTP fields of the `l1t decode` object (Wireshark `ptp.v2.*` names). */
export function ptpFields(m: PtpMessage, f: Fields): void {
  if (!m.valid) return;
  f['ptp.v2.majorsdoid'] = m.majorSdoId;
  f['ptp.v2.messagetype'] = m.messageType;
  f['ptp.v2.versionptp'] = m.version;
  f['ptp.v2.messagelength'] = m.messageLength;
  f['ptp.v2.domainnumber'] = m.domainNumber;
  f['ptp.v2.flags'] = m.flags;
  f['ptp.v2.flags.twostep'] = m.twoStep;
  f['ptp.v2.flags.timescale'] = m.ptpTimescale;
  f['ptp.v2.correction.ns'] = bigintValue(m.correctionField >> 16n);
  f['ptp.v2.clockidentity'] = ptpIdentityHex(m.clockIdentityHi, m.clockIdentityLo);
  f['ptp.v2.sourceportid'] = m.sourcePort;
  f['ptp.v2.sequenceid'] = m.sequenceId;
  f['ptp.v2.controlfield'] = m.controlField;
  f['ptp.v2.logmessageperiod'] = m.logMessageInterval;
  const ts = TIMESTAMP_PREFIX[m.messageType];
  // In IEEE 802.1AS (gPTP, majorSdoId 1) a two-step Sync carries 10 reserved bytes, not a timestamp
  // (802.1AS §11.4.3); Wireshark then shows `ptp.v2.sync.reserved` instead.
  if (ts !== undefined && m.timestampSec >= 0 && !(m.messageType === 0 && m.twoStep && m.majorSdoId === 1)) {
    f[ts + '.seconds'] = m.timestampSec;
    f[ts + '.nanoseconds'] = m.timestampNs;
  }
  if (m.requestingPort >= 0 && (m.messageType === 9 || m.messageType === 3 || m.messageType === 10)) {
    const pre =
      m.messageType === 9
        ? 'ptp.v2.dr.requesting'
        : m.messageType === 3
          ? 'ptp.v2.pdrs.requesting'
          : 'ptp.v2.pdfu.requesting';
    f[pre + (m.messageType === 3 ? 'portidentity' : 'sourceportidentity')] = ptpIdentityHex(
      m.requestingClockIdentityHi,
      m.requestingClockIdentityLo,
    );
    f[pre + 'sourceportid'] = m.requestingPort;
  }
  if (m.messageType === 11 && m.clockClass >= 0) {
    f['ptp.v2.an.origincurrentutcoffset'] = m.currentUtcOffset;
    f['ptp.v2.an.priority1'] = m.grandmasterPriority1;
    f['ptp.v2.an.grandmasterclockclass'] = m.clockClass;
    f['ptp.v2.an.grandmasterclockaccuracy'] = m.clockAccuracy;
    f['ptp.v2.an.grandmasterclockvariance'] = m.offsetScaledLogVariance;
    f['ptp.v2.an.priority2'] = m.grandmasterPriority2;
    f['ptp.v2.an.grandmasterclockidentity'] = ptpIdentityHex(m.grandmasterIdentityHi, m.grandmasterIdentityLo);
    f['ptp.v2.an.localstepsremoved'] = m.stepsRemoved;
    f['ptp.v2.timesource'] = m.timeSource;
  }
  for (let i = 0; i < m.tlvCount; i++) put(f, 'ptp.v2.tlv.type', m.tlvTypes[i]);
}
