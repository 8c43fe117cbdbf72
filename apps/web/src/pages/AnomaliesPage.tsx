import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import {
  columnSizingFeature,
  createColumnHelper,
  flexRender,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  authHeaders,
  baseName,
  describeFlow,
  formatTime,
  getJson,
  qs,
  SEVERITIES,
  SOURCES,
  STATUSES,
  type AnomalyRow,
} from '../api';
import { IncidentsTable } from '../components/IncidentsTable';
import { Empty, ErrorBox, Loading, SeverityBadge, Status } from '../components/ui';

const PAGE = 200;
const ROW_H = 34;
/** Rows per scroll window: browsers cap element heights (~33 M px), so beyond this the list moves by windows. */
const WINDOW = 500_000;
const FILTER_KEYS = [
  'session_id',
  'file_id',
  'type',
  'severity',
  'source',
  'status',
  'eaxc',
  'q',
  'from',
  'to',
] as const;
const SORTABLE = new Set(['timestamp', 'severity', 'type', 'confidence', 'packet_index']);

const features = tableFeatures({ columnSizingFeature, rowSortingFeature });
const col = createColumnHelper<typeof features, AnomalyRow>();
const columns = col.columns([
  col.accessor('severity', { header: 'Severity', size: 110 }),
  col.accessor('timestamp', { header: 'Time (UTC)', size: 230 }),
  col.accessor((a) => baseName(a.file), { id: 'file', header: 'File', size: 190, enableSorting: false }),
  col.accessor('type', { header: 'Type', size: 170 }),
  col.accessor('confidence', { header: 'Conf.', size: 70 }),
  col.accessor('packet_index', { header: 'Packet', size: 90 }),
  // Wide enough for a PTP port identity (`PTP 0xc45ab1ffff3a1b05:14`) or an eAxC with plane and direction.
  col.accessor((a) => describeFlow(a.flow), { id: 'flow', header: 'Flow', size: 230, enableSorting: false }),
  col.accessor('description', { header: 'Description', size: 420, enableSorting: false }),
  col.accessor('status', { header: 'Status', size: 120, enableSorting: false }),
]);

function renderCell(id: string, a: AnomalyRow, open: () => void): ReactNode {
  switch (id) {
    case 'severity':
      return <SeverityBadge value={a.severity} />;
    case 'timestamp':
      return <span className="mono">{formatTime(a.timestamp)}</span>;
    case 'confidence':
      return a.confidence.toFixed(2);
    case 'flow':
      return <span title={describeFlow(a.flow)}>{describeFlow(a.flow)}</span>;
    case 'file':
      return a.file_id ? (
        <Link to={`/files/${a.file_id}`} title={`${a.file}: the file's analysis`}>
          {baseName(a.file)}
        </Link>
      ) : (
        <span title={a.file}>{baseName(a.file)}</span>
      );
    case 'status':
      return <Status value={a.status ?? 'open'} />;
    case 'description':
      return (
        <a
          href={`/anomalies/${a.id}`}
          onClick={(e) => {
            e.preventDefault();
            open();
          }}
        >
          {a.description}
        </a>
      );
    default:
      return String((a as unknown as Record<string, unknown>)[id] ?? '');
  }
}

async function download(format: 'csv' | 'json', query: string) {
  const res = await fetch(`/api/anomalies/export${query}${query ? '&' : '?'}format=${format}`, {
    headers: authHeaders(),
  });
  if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `anomalies.${format}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function AnomaliesPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
    (typeof FILTER_KEYS)[number],
    string
  >;
  const sort = params.get('sort') ?? 'timestamp';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const baseQuery = qs({ ...filters, sort, order });
  const [search, setSearch] = useState(filters.q);
  const [selected, setSelected] = useState(0);
  const [windowNo, setWindowNo] = useState(0);
  const [visiblePages, setVisiblePages] = useState<number[]>([0]);
  const scroller = useRef<HTMLDivElement>(null);

  const setParam = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
    setSelected(0);
    setWindowNo(0);
    scroller.current?.scrollTo({ top: 0 });
  };

  // Debounced search box → URL.
  useEffect(() => {
    if (search === filters.q) return;
    const t = setTimeout(() => setParam('q', search), 300);
    return () => clearTimeout(t);
  }, [search]);

  const pages = useQueries({
    queries: visiblePages.map((p) => ({
      queryKey: ['anomalies', baseQuery, p],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<{ items: AnomalyRow[]; total: number }>(
          `/api/anomalies${baseQuery}${baseQuery ? '&' : '?'}limit=${PAGE}&offset=${p * PAGE}`,
          signal,
        ),
      placeholderData: p === 0 ? keepPreviousData : undefined,
      refetchInterval: 10_000,
    })),
  });
  const first = pages[0];
  const total = first?.data?.total ?? 0;
  const base = windowNo * WINDOW;
  const count = Math.max(0, Math.min(WINDOW, total - base));
  /** The row at a window-local index (the virtualizer's), from whichever loaded page holds it. */
  const rowAt = (local: number): AnomalyRow | undefined => {
    const i = base + local;
    const idx = visiblePages.indexOf(Math.floor(i / PAGE));
    return idx >= 0 ? pages[idx]?.data?.items[i % PAGE] : undefined;
  };

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstIdx = items[0]?.index ?? 0;
  const lastIdx = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const want: number[] = [0];
    for (let p = Math.floor((base + firstIdx) / PAGE); p <= Math.floor((base + lastIdx) / PAGE); p++)
      if (!want.includes(p)) want.push(p);
    if (want.join() !== visiblePages.join()) setVisiblePages(want);
  }, [firstIdx, lastIdx, visiblePages, base]);

  const sorting: SortingState = [{ id: sort, desc: order === 'desc' }];
  // TanStack Table keeps the column model (headers, sizes, sort state); rows come from the server, virtualised.
  const table = useTable({ features, data: useMemo(() => [], []), columns, state: { sorting }, manualSorting: true });

  const toggleSort = (id: string) => {
    if (!SORTABLE.has(id)) return;
    const p = new URLSearchParams(params);
    p.set('sort', id);
    p.set('order', sort === id && order === 'desc' ? 'asc' : 'desc');
    setParams(p, { replace: true });
  };

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') return;
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      const n = Math.min(count - 1, selected + 1);
      setSelected(n);
      virtualizer.scrollToIndex(n, { align: 'auto' });
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = Math.max(0, selected - 1);
      setSelected(n);
      virtualizer.scrollToIndex(n, { align: 'auto' });
    } else if (e.key === 'Enter') {
      const row = rowAt(selected);
      if (row) navigate(`/anomalies/${row.id}`);
    }
  };

  const widths = table.getAllLeafColumns().map((c) => c.getSize());
  const descriptionAt = table.getAllLeafColumns().findIndex((c) => c.id === 'description');
  const gridTemplate = widths.map((w, i) => (i === descriptionAt ? `minmax(${w / 2}px, 1fr)` : `${w}px`)).join(' ');
  const view = params.get('view') === 'incidents' ? 'incidents' : 'findings';

  return (
    <main className="page anomalies-page">
      <div className="toolbar filters" aria-label="Filters">
        <h2>Anomalies</h2>
        <div className="segmented" role="group" aria-label="Show">
          {(['findings', 'incidents'] as const).map((v) => (
            <button key={v} aria-pressed={view === v} onClick={() => setParam('view', v === 'findings' ? '' : v)}>
              {v === 'findings' ? 'Findings' : 'Incidents'}
            </button>
          ))}
        </div>
        <input
          type="search"
          placeholder="Search"
          aria-label="Search"
          size={16}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <input
          aria-label="Type"
          placeholder="type (a,b)"
          value={filters.type}
          onChange={(e) => setParam('type', e.target.value.trim())}
          size={14}
        />
        <select aria-label="Severity" value={filters.severity} onChange={(e) => setParam('severity', e.target.value)}>
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Source" value={filters.source} onChange={(e) => setParam('source', e.target.value)}>
          <option value="">any source</option>
          {SOURCES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status" value={filters.status} onChange={(e) => setParam('status', e.target.value)}>
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          aria-label="eAxC"
          placeholder="eAxC"
          inputMode="numeric"
          value={filters.eaxc}
          onChange={(e) => setParam('eaxc', e.target.value.replace(/\D/g, ''))}
          size={5}
        />
        <input
          type="datetime-local"
          step="0.001"
          aria-label="From (UTC)"
          title="From (UTC)"
          value={filters.from ? filters.from.replace(/Z$/, '').slice(0, 23) : ''}
          onChange={(e) => setParam('from', e.target.value ? `${e.target.value}Z` : '')}
        />
        <input
          type="datetime-local"
          step="0.001"
          aria-label="To (UTC)"
          title="To (UTC)"
          value={filters.to ? filters.to.replace(/Z$/, '').slice(0, 23) : ''}
          onChange={(e) => setParam('to', e.target.value ? `${e.target.value}Z` : '')}
        />
        {(['session_id', 'file_id'] as const).map((k) =>
          filters[k] ? (
            <span className="chip" key={k}>
              {k.replace('_id', '')} {filters[k].slice(0, 8)}
              <button aria-label={`clear ${k}`} onClick={() => setParam(k, '')}>
                ×
              </button>
            </span>
          ) : null,
        )}
        <span className="spacer" />
        {view === 'findings' && (
          <span className="muted" aria-live="polite" data-testid="total">
            {first?.isPending ? '…' : `${total.toLocaleString()} ${total === 1 ? 'anomaly' : 'anomalies'}`}
          </span>
        )}
        <button onClick={() => void download('csv', baseQuery)}>CSV</button>
        <button onClick={() => void download('json', baseQuery)}>JSON</button>
      </div>
      {view === 'incidents' && (
        <IncidentsTable
          filters={{ session_id: filters.session_id, file_id: filters.file_id, severity: filters.severity }}
        />
      )}
      {view === 'findings' && findings()}
    </main>
  );

  /** The findings table (called, not mounted as a component: its scroller and virtualizer must persist). */
  function findings() {
    return (
      <>
        {first?.isError && <ErrorBox error={first.error} onRetry={() => void first.refetch()} />}
        {first?.isPending && <Loading what="anomalies" />}
        {first?.data && total === 0 && <Empty>No anomaly matches these filters.</Empty>}
        {total > WINDOW && (
          <div className="toolbar small">
            rows {(base + 1).toLocaleString()}–{(base + count).toLocaleString()} of {total.toLocaleString()}
            <button
              disabled={windowNo === 0}
              onClick={() => {
                setWindowNo(windowNo - 1);
                setSelected(0);
                scroller.current?.scrollTo({ top: 0 });
              }}
            >
              ← previous {WINDOW.toLocaleString()}
            </button>
            <button
              disabled={base + count >= total}
              onClick={() => {
                setWindowNo(windowNo + 1);
                setSelected(0);
                scroller.current?.scrollTo({ top: 0 });
              }}
            >
              next {WINDOW.toLocaleString()} →
            </button>
          </div>
        )}
        {total > 0 && (
          <div
            className="vtable"
            role="table"
            aria-label="Anomalies"
            aria-rowcount={total}
            tabIndex={0}
            onKeyDown={onKey}
            ref={scroller}
          >
            <div className="vrow vhead" role="row" style={{ gridTemplateColumns: gridTemplate }}>
              {table.getFlatHeaders().map((h) => (
                <div
                  key={h.id}
                  role="columnheader"
                  aria-sort={sort === h.id ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                  className={SORTABLE.has(h.id) ? 'sortable' : ''}
                  onClick={() => toggleSort(h.id)}
                >
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {sort === h.id ? (order === 'asc' ? ' ↑' : ' ↓') : ''}
                </div>
              ))}
            </div>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const a = rowAt(v.index);
                return (
                  <div
                    key={v.key}
                    role="row"
                    aria-rowindex={base + v.index + 1}
                    aria-selected={v.index === selected}
                    className={`vrow${v.index === selected ? ' selected' : ''}${a ? ` row-${a.severity}` : ''}`}
                    style={{ transform: `translateY(${v.start}px)`, height: ROW_H, gridTemplateColumns: gridTemplate }}
                    onClick={() => setSelected(v.index)}
                    onDoubleClick={() => a && navigate(`/anomalies/${a.id}`)}
                  >
                    {a ? (
                      table.getAllLeafColumns().map((c) => (
                        <div role="cell" key={c.id} className={c.id === 'description' ? 'ellipsis' : ''}>
                          {renderCell(c.id, a, () => navigate(`/anomalies/${a.id}`))}
                        </div>
                      ))
                    ) : (
                      <div role="cell" className="muted">
                        loading…
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        )}
        <p className="muted small">Keys: j / k move, Enter opens, click a header to sort.</p>
      </>
    );
  }
}
