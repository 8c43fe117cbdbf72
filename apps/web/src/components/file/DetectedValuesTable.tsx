import { detectedRows, type DetectedValues, type ProfileSettings } from './detected-rows';

/**
 * What the capture showed beside the profile's values (issue 16), from the file summary; nothing for a file
 * without O-RAN values recorded (a log, or a file analysed before they were).
 */
export function DetectedValuesTable({ summary }: { summary: Record<string, unknown> }) {
  const detected = summary.detected as DetectedValues | undefined;
  if (!detected || detected.scs_khz === null) return null;
  const profile = summary.profile_settings as ProfileSettings | undefined;
  const rows = detectedRows(detected, profile);
  return (
    <div className="table-scroll">
      <table aria-label="Detected values" className="detected-table">
        <caption className="small muted">
          Seen in the capture, beside the profile {profile?.name ? `“${profile.name}”` : 'it was analysed with'}
        </caption>
        <thead>
          <tr>
            <th>Setting</th>
            <th>Detected</th>
            <th>Profile</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.setting} className={r.differs ? 'warning' : undefined} data-differs={r.differs || undefined}>
              <td>{r.setting}</td>
              <td title={r.note}>
                {r.detected}
                {r.differs && ' ⚠'}
              </td>
              <td>{r.profile}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
