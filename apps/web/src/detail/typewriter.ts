import { useEffect, useRef, useState } from 'react';

/** Characters revealed per second: fast enough not to hold anyone up, slow enough to be seen arriving. */
const CHARS_PER_SECOND = 1500;

/**
 * Reveals `text` progressively as it grows (a streamed answer), at CHARS_PER_SECOND, so streaming is visible
 * even when the chunks arrive in one burst. A text that is replaced (not extended) starts over.
 */
export function useTypewriter(text: string): { shown: string; typing: boolean } {
  const [count, setCount] = useState(0);
  const target = useRef(text);
  useEffect(() => {
    if (!text.startsWith(target.current.slice(0, count))) setCount(0);
    target.current = text;
  }, [text]);
  useEffect(() => {
    if (count >= text.length) return;
    let frame = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const step = Math.max(1, Math.round(((now - last) / 1000) * CHARS_PER_SECOND));
      last = now;
      setCount((c) => Math.min(target.current.length, c + step));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [count >= text.length, text]);
  return { shown: text.slice(0, count), typing: count < text.length };
}
