import type { FlowRow } from '../../file-views';

const c = (row: FlowRow, name: string): number => {
  const suffix = row.key.plane === 'c' ? '_C' : '';
  return row.counters[`${name}${suffix}`] ?? row.counters[name] ?? 0;
};

const seqErrors = (row: FlowRow): number =>
  c(row, 'RX_SEQID_ERR') ||
  (row.counters.SEQ_MISSING ?? 0) + (row.counters.SEQ_DUPLICATES ?? 0) + (row.counters.SEQ_REORDERS ?? 0);

/**
 * The per-flow table (issue 16): one row per flow — eAxC with its DU port / band-sector / CC / RU port split,
 * plane, direction, link — with the O-RAN reception counters (RX_ON_TIME/EARLY/LATE, sequence errors) and
 * what the U-plane carried (sections, PRBs, compression, zero/clipped PRBs, mean IQ power of active PRBs).
 */
export function FlowTable({ flows, onPick }: { flows: FlowRow[]; onPick?: (name: string) => void }) {
  return (
    <div className="table-scroll">
      <table aria-label="Flows" className="flow-table">
        <thead>
          <tr>
            <th>eAxC</th>
            <th title="DU port / band-sector / CC / RU port (the profile's eAxC split)">DU/BS/CC/RU</th>
            <th>Plane</th>
            <th>Dir</th>
            <th>MAC / VLAN</th>
            <th className="num">Messages</th>
            <th className="num">Sections</th>
            <th className="num">PRBs</th>
            <th className="num" title="RX_ON_TIME">
              On time
            </th>
            <th className="num" title="RX_EARLY">
              Early
            </th>
            <th className="num" title="RX_LATE">
              Late
            </th>
            <th className="num" title="RX_SEQID_ERR (missing, duplicate, reordered sequence ids)">
              Seq errors
            </th>
            <th>Compression</th>
            <th className="num" title="All-zero PRBs / PRBs with decoded IQ">
              Zero PRBs
            </th>
            <th className="num" title="Clipped PRBs (BFP at full scale)">
              Clipped
            </th>
            <th className="num" title="Mean power of the non-zero PRBs, dBFS (0 dBFS: every RE at 2^15)">
              IQ power
            </th>
          </tr>
        </thead>
        <tbody>
          {flows.map((f) => {
            const k = f.key;
            const late = c(f, 'RX_LATE');
            const early = c(f, 'RX_EARLY');
            const seq = seqErrors(f);
            return (
              <tr key={f.name} data-flow={f.name}>
                <td>
                  {onPick ? (
                    <button className="link" onClick={() => onPick(f.name)}>
                      {k.eaxc}
                    </button>
                  ) : (
                    k.eaxc
                  )}
                </td>
                <td className="mono">
                  {k.du_port}/{k.band_sector}/{k.cc}/{k.ru_port}
                </td>
                <td>{k.plane === 'c' ? 'C' : 'U'}</td>
                <td>{k.direction?.toUpperCase()}</td>
                <td className="mono small">
                  {k.src_mac} → {k.dst_mac}
                  {k.vlan !== undefined ? ` · VLAN ${k.vlan}` : ''}
                </td>
                <td className="num">{f.messages.toLocaleString()}</td>
                <td className="num">{f.sections.toLocaleString()}</td>
                <td className="num">{f.prbs.toLocaleString()}</td>
                <td className="num" data-counter="on_time">
                  {c(f, 'RX_ON_TIME').toLocaleString()}
                </td>
                <td className={`num${early ? ' bad' : ''}`} data-counter="early">
                  {early.toLocaleString()}
                </td>
                <td className={`num${late ? ' bad' : ''}`} data-counter="late">
                  {late.toLocaleString()}
                </td>
                <td className={`num${seq ? ' bad' : ''}`}>{seq.toLocaleString()}</td>
                <td>{f.compression || '—'}</td>
                <td className="num">
                  {k.plane === 'u' ? `${f.zero_prbs.toLocaleString()} / ${f.iq_prbs.toLocaleString()}` : '—'}
                </td>
                <td className={`num${f.clipped_prbs ? ' bad' : ''}`}>
                  {k.plane === 'u' ? f.clipped_prbs.toLocaleString() : '—'}
                </td>
                <td className="num">{f.mean_active_dbfs === null ? '—' : `${f.mean_active_dbfs.toFixed(1)} dBFS`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
