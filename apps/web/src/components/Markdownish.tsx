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
 * streams in: a half-written line simply shows as text until its end arrives.
 */
export function Markdownish({ text }: { text: string }) {
  const out: ReactNode[] = [];
  let list: ReactNode[] = [];
  const flush = () => {
    if (list.length) out.push(<ul key={`l${out.length}`}>{list}</ul>);
    list = [];
  };
  text.split('\n').forEach((line, i) => {
    const li = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (li) {
      list.push(<li key={i}>{inline(li[1]!)}</li>);
      return;
    }
    flush();
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) out.push(<h4 key={i}>{inline(h[2]!)}</h4>);
    else if (line.startsWith('> ')) out.push(<blockquote key={i}>{inline(line.slice(2))}</blockquote>);
    else if (line.trim()) out.push(<p key={i}>{inline(line)}</p>);
  });
  flush();
  return <>{out}</>;
}
