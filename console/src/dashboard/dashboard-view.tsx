import { ChartConfiguration } from 'chart.js';
import { call, Session } from '../api';
import { colorOf } from '../colors';
import { duration, localTime } from '../format';
import { useLive } from '../live';
import { pathOf, Route } from '../routes';
import { ChartCanvas } from './chart';
import { activeByType, ServiceStats, toSeries, totalsOf } from './stats';

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function activity(stats: ServiceStats, label: Intl.DateTimeFormat): ChartConfiguration {
  const series = toSeries(stats);
  return {
    type: 'bar',
    data: {
      labels: series.starts.map((start) => label.format(new Date(start))),
      datasets: [
        { label: 'started', data: series.started, backgroundColor: '#1f77b4' },
        { label: 'completed', data: series.completed, backgroundColor: '#2ca02c' },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

function active(stats: ServiceStats): ChartConfiguration {
  const bars = activeByType(stats);
  return {
    type: 'bar',
    data: {
      labels: bars.map((bar) => bar.type || '(no type)'),
      datasets: [
        {
          label: 'active',
          data: bars.map((bar) => bar.active),
          backgroundColor: bars.map((bar) => colorOf(bar.type)),
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

/** The tenant's dashboard: the last 24 hours by hour and the last 30 days by day, refreshed live. */
export function DashboardView({
  session,
  onNavigate,
}: {
  session: Session;
  onNavigate: (route: Route) => void;
}) {
  const to = (route: Route) => ({
    href: pathOf(route, session.tenant),
    onClick: (event: MouseEvent) => {
      event.preventDefault();
      onNavigate(route);
    },
  });
  const [loaded] = useLive(
    async () => ({
      day: await call<ServiceStats>(session, 'GET', '/stats/services?bucket=1h'),
      month: await call<ServiceStats>(session, 'GET', '/stats/services?bucket=1d'),
    }),
    `dashboard:${session.tenant}`,
  );

  if (loaded.state === 'loading') return <p class="loading">Loading the dashboard…</p>;
  if (loaded.state === 'error') {
    return (
      <p class="error" role="alert">
        {loaded.message}
      </p>
    );
  }
  const { day, month } = loaded.data;
  const totals = totalsOf(day);

  return (
    <section class="dashboard">
      <div class="journey-head">
        <h1>Dashboard · {session.tenant}</h1>
        <span class="muted" aria-live="polite">
          updated {localTime(loaded.at)}
        </span>
      </div>
      <div class="figures" aria-label="Last 24 hours">
        <a class="figure" data-figure="active" {...to({ kind: 'active' })}>
          <span class="value">{totals.active}</span> active (started in 24 h) · every one in flight
          →
        </a>
        <div class="figure" data-figure="started">
          <span class="value">{totals.started}</span> started in 24 h
        </div>
        <div class="figure" data-figure="completed">
          <span class="value">{totals.completed}</span> completed in 24 h
        </div>
      </div>
      {day.by_type.length === 0 && (
        <p class="empty">No service started or completed in the last 24 hours.</p>
      )}
      <div class="charts">
        <figure>
          <figcaption>Active services by type (started in the last 24 h)</figcaption>
          <ChartCanvas config={active(day)} label="Active services by type" />
        </figure>
        <figure>
          <figcaption>Started and completed per hour, last 24 h</figcaption>
          <ChartCanvas config={activity(day, hourLabel)} label="Services per hour" />
        </figure>
        <figure>
          <figcaption>Started and completed per day, last 30 days</figcaption>
          <ChartCanvas config={activity(month, dayLabel)} label="Services per day" />
        </figure>
      </div>
      <div class="tables">
        <table aria-label="By service type, last 24 hours">
          <caption>By service type, last 24 h</caption>
          <thead>
            <tr>
              <th scope="col">type</th>
              <th scope="col">active</th>
              <th scope="col">started</th>
              <th scope="col">completed</th>
              <th scope="col">median</th>
              <th scope="col">p90</th>
            </tr>
          </thead>
          <tbody>
            {day.by_type.map((type) => (
              <tr key={type.service_type} data-type={type.service_type}>
                <th scope="row">
                  <a {...to({ kind: 'active', type: type.service_type })}>
                    {type.service_type || '(no type)'}
                  </a>
                </th>
                <td>{type.active}</td>
                <td>{type.started}</td>
                <td>{type.completed}</td>
                <td>{type.duration_ms ? duration(type.duration_ms.p50) : '–'}</td>
                <td>{type.duration_ms ? duration(type.duration_ms.p90) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Top dispositions, last 24 hours">
          <caption>Top dispositions, last 24 h</caption>
          <thead>
            <tr>
              <th scope="col">disposition</th>
              <th scope="col">count</th>
            </tr>
          </thead>
          <tbody>
            {day.dispositions.length === 0 && (
              <tr>
                <td colSpan={2} class="muted">
                  none
                </td>
              </tr>
            )}
            {day.dispositions.map((row) => (
              <tr key={row.disposition} data-disposition={row.disposition}>
                <th scope="row">{row.disposition}</th>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
