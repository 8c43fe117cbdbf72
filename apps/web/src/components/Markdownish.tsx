import type { ReactNode } from 'react';

/** Inline `code` and **bold** as React elements (never HTML: the text may quote capture content). */
function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g).map((part, i) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4)
      return <strong key={i}>{part.slice(2, -2)}</strong>;
    return part;
  });
}

/**
 * The small Markdown subset the advisor writes (headings, lists, quotes, bold, code), rendered while it
 * streams in: a half-written line simply shows as text until its end arrives. Consecutive text lines are one
 * paragraph and an indented line continues its list item, as in Markdown: an advisor that wraps its lines
 * at 80 columns must not show as a column of broken sentences.
 */
export function Markdownish({ text }: { text: string }) {
  const out: ReactNode[] = [];
  let items: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(<p key={`p${out.length}`}>{inline(para.join(' '))}</p>);
    if (items.length)
      out.push(
        <ul key={`l${out.length}`}>
          {items.map((item, k) => (
            <li key={k}>{inline(item)}</li>
          ))}
        </ul>,
      );
    para = [];
    items = [];
  };
  text.split('\n').forEach((line, i) => {
    const li = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (li) {
      if (para.length) flush();
      items.push(li[1]!);
      return;
    }
    if (items.length && /^\s{2,}\S/.test(line)) {
      items[items.length - 1] += ` ${line.trim()}`;
      return;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h || line.startsWith('> ') || !line.trim()) {
      flush();
      if (h) out.push(<h4 key={i}>{inline(h[2]!)}</h4>);
      else if (line.startsWith('> ')) out.push(<blockquote key={i}>{inline(line.slice(2))}</blockquote>);
      return;
    }
    if (items.length) flush();
    para.push(line.trim());
  });
  flush();
  return <>{out}</>;
}
