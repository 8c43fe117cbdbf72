import { useEffect, useRef, useState } from 'react';
import type { ConstellationSample } from '../../file-views';

const SIZE = 300;
const PAD = 34;

/**
 * IQ constellation of one stored symbol and a chosen PRB range (12 REs per PRB), on the 16-bit scale
 * normalised to full scale (1.0 = 2^15).
 */
export function Constellation({ samples }: { samples: ConstellationSample[] }) {
  const [pick, setPick] = useState(0);
  const s = samples[Math.min(pick, samples.length - 1)];
  const prbs = s ? s.iq.length / 24 : 0;
  const [from, setFrom] = useState(0);
  const [count, setCount] = useState(Math.min(12, prbs));
  const canvas = useRef<HTMLCanvasElement>(null);
  const first = Math.min(from, Math.max(0, prbs - 1));
  const n = Math.max(1, Math.min(count, prbs - first));

  useEffect(() => {
    const cv = canvas.current;
    if (!cv || !s) return;
    const dpr = window.devicePixelRatio || 1;
    cv.width = SIZE * dpr;
    cv.height = SIZE * dpr;
    const ctx = cv.getContext('2d')!;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, SIZE, SIZE);
    const pts = s.iq.slice(first * 24, (first + n) * 24).map((v) => v / 32768);
    const max = Math.max(1e-6, ...pts.map(Math.abs)) * 1.1;
    const inner = SIZE - 2 * PAD;
    const at = (v: number) => PAD + ((v + max) / (2 * max)) * inner;
    ctx.strokeStyle = '#ccd';
    ctx.strokeRect(PAD, PAD, inner, inner);
    ctx.beginPath();
    ctx.moveTo(at(0), PAD);
    ctx.lineTo(at(0), PAD + inner);
    ctx.moveTo(PAD, at(0));
    ctx.lineTo(PAD + inner, at(0));
    ctx.stroke();
    ctx.fillStyle = '#1d232b';
    ctx.font = '11px system-ui';
    for (const v of [-max / 1.1, 0, max / 1.1]) {
      ctx.fillText(v.toFixed(3), at(v) - 14, PAD + inner + 14);
      ctx.fillText(v.toFixed(3), 0, SIZE - at(v) + 4);
    }
    ctx.fillText('I (fraction of full scale)', PAD + inner / 2 - 55, SIZE - 4);
    ctx.save();
    ctx.translate(10, PAD + inner / 2 + 10);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('Q', 0, 0);
    ctx.restore();
    ctx.fillStyle = 'rgba(31, 95, 168, 0.7)';
    for (let k = 0; k + 1 < pts.length; k += 2) ctx.fillRect(at(pts[k]!) - 1.5, SIZE - at(pts[k + 1]!) - 1.5, 3, 3);
  }, [s, first, n]);

  if (!s) return <p className="muted">No IQ samples stored for this flow.</p>;
  return (
    <div className="constellation" data-points={n * 12}>
      <div className="controls small">
        <label>
          Symbol{' '}
          <select value={pick} onChange={(e) => setPick(Number(e.target.value))}>
            {samples.map((c, i) => (
              <option key={i} value={i}>
                frame {c.frame_id} sf {c.subframe_id} slot {c.slot_id} symbol {c.symbol_id}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          first PRB{' '}
          <input type="number" min={0} max={prbs - 1} value={first} onChange={(e) => setFrom(Number(e.target.value))} />
        </label>{' '}
        <label>
          PRBs <input type="number" min={1} max={prbs} value={n} onChange={(e) => setCount(Number(e.target.value))} />
        </label>
      </div>
      <canvas ref={canvas} role="img" aria-label="IQ constellation" style={{ width: SIZE, height: SIZE }} />
      <p className="muted small">
        {n * 12} REs of PRBs {s.start_prb + first}–{s.start_prb + first + n - 1} (of {prbs} stored for this symbol).
      </p>
    </div>
  );
}
