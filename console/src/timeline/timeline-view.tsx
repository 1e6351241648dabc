import { scaleTime } from 'd3-scale';
import { select } from 'd3-selection';
import { D3ZoomEvent, zoom, ZoomBehavior, zoomIdentity, ZoomTransform } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { colorOf } from '../colors';
import { localTime, utcTime } from '../format';
import { extentOf, JourneyObject, keyOf, Lane } from '../journey';
import { tickLabels } from './ticks';

const LANE_HEIGHT = 56;
const AXIS_HEIGHT = 28;
/** Room for the lane labels: less on a phone, where the time axis needs the width. */
const labelWidthFor = (width: number) => (width < 500 ? 96 : 150);

interface Props {
  lanes: Lane[];
  now: number;
  selected?: string;
  onSelect: (object: JourneyObject) => void;
}

/**
 * Every service on one time axis: a lane per service (colour by service type, an active one open-ended up
 * to the "now" line), its states as segments inside the lane, its tasks as marks below them. Wheel or pinch
 * zooms, dragging pans (d3-zoom), and the buttons do both from the keyboard; every object is a focusable
 * button (Enter or Space selects it).
 */
export function TimelineView({ lanes, now, selected, onSelect }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown>>();
  const [width, setWidth] = useState(900);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [start, end] = useMemo(() => extentOf(lanes, now), [lanes, now]);

  useEffect(() => {
    const svg = svgRef.current!;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(320, entry.contentRect.width)),
    );
    observer.observe(svg.parentElement!);
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 5000])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => setTransform(event.transform));
    select(svg).call(behaviour);
    zoomRef.current = behaviour;
    return () => observer.disconnect();
  }, []);

  const LABEL_WIDTH = labelWidthFor(width);
  const plotWidth = width - LABEL_WIDTH - 12;
  const base = scaleTime().domain([start, end]).range([0, plotWidth]);
  const x = transform.rescaleX(base);
  const height = AXIS_HEIGHT + lanes.length * LANE_HEIGHT + 8;
  const ticks = x.ticks(Math.max(2, Math.floor(plotWidth / 110)));
  const labels = tickLabels(ticks);
  const clampX = (ms: number) => Math.max(-5, Math.min(plotWidth + 5, x(ms)));

  const act = (action: 'in' | 'out' | 'left' | 'right' | 'reset') => {
    const svg = select(svgRef.current!);
    const behaviour = zoomRef.current!;
    if (action === 'in') behaviour.scaleBy(svg, 2);
    else if (action === 'out') behaviour.scaleBy(svg, 0.5);
    else if (action === 'left') behaviour.translateBy(svg, plotWidth / (4 * transform.k), 0);
    else if (action === 'right') behaviour.translateBy(svg, -plotWidth / (4 * transform.k), 0);
    else behaviour.transform(svg, zoomIdentity);
  };

  const item = (object: JourneyObject, label: string) => ({
    role: 'button' as const,
    tabindex: 0,
    'aria-label': label,
    'aria-pressed': selected === keyOf(object),
    'data-kind': object.kind,
    'data-id': object.id,
    class: `item ${object.kind}${selected === keyOf(object) ? ' selected' : ''}${object.active ? ' active' : ''}`,
    onClick: () => onSelect(object),
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(object);
      }
    },
  });

  return (
    <div class="timeline">
      <div class="zoom-controls" role="toolbar" aria-label="Zoom and pan">
        <button type="button" onClick={() => act('out')} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => act('in')} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => act('left')} aria-label="Earlier">
          ◀
        </button>
        <button type="button" onClick={() => act('right')} aria-label="Later">
          ▶
        </button>
        <button type="button" onClick={() => act('reset')}>
          Fit
        </button>
      </div>
      <svg
        ref={svgRef}
        width={width}
        height={height}
        class="timeline-svg"
        aria-label="Journey timeline"
      >
        <g transform={`translate(${LABEL_WIDTH},0)`}>
          {ticks.map((tick, i) => (
            <g transform={`translate(${x(tick)},0)`} key={tick.getTime()}>
              <line y1={AXIS_HEIGHT - 6} y2={height} class="grid" />
              <text y={AXIS_HEIGHT - 10} class="tick">
                <title>{utcTime(tick.getTime())}</title>
                {labels[i]}
              </text>
            </g>
          ))}
          <g class="now" transform={`translate(${clampX(now)},0)`}>
            <line y1={AXIS_HEIGHT - 6} y2={height} />
            <text y={12} class="now-label">
              <title>{utcTime(now)}</title>
              now
            </text>
          </g>
        </g>
        {lanes.map((lane, index) => {
          const top = AXIS_HEIGHT + index * LANE_HEIGHT;
          const { service } = lane;
          const color = colorOf(service.type);
          const from = clampX(service.start);
          const to = clampX(service.end ?? now);
          return (
            <g
              class="lane"
              data-service-id={service.id}
              key={service.id}
              transform={`translate(0,${top})`}
            >
              <text x={8} y={20} class="lane-label">
                {service.type || '(no type)'} #{service.id}
              </text>
              <text x={8} y={36} class="lane-sub">
                {service.media ?? 'no channel'} · {service.active ? 'active' : 'completed'}
              </text>
              <g transform={`translate(${LABEL_WIDTH},0)`}>
                <rect
                  {...item(
                    service,
                    `Service ${service.type} ${service.id}, started ${localTime(service.start)}`,
                  )}
                  x={from}
                  y={6}
                  width={Math.max(3, to - from)}
                  height={LANE_HEIGHT - 14}
                  rx={6}
                  fill={color}
                  fill-opacity={0.18}
                  stroke={color}
                  stroke-dasharray={service.active ? '6 3' : undefined}
                >
                  <title>{`${service.type} ${localTime(service.start)} (${utcTime(service.start)})`}</title>
                </rect>
                {lane.states.map((state) => {
                  const a = clampX(state.start);
                  const b = clampX(state.end ?? now);
                  return (
                    <g key={state.id}>
                      <rect
                        key={state.id}
                        {...item(
                          state,
                          `State ${state.type} ${state.id}, started ${localTime(state.start)}`,
                        )}
                        x={a}
                        y={12}
                        width={Math.max(3, b - a)}
                        height={18}
                        rx={3}
                        fill={color}
                        fill-opacity={state.active ? 0.55 : 0.85}
                      >
                        <title>{`${state.type} ${localTime(state.start)} (${utcTime(state.start)})`}</title>
                      </rect>
                      {b - a > 8 * state.type.length && (
                        <text x={a + 5} y={25} class="segment-label" aria-hidden="true">
                          {state.type}
                        </text>
                      )}
                    </g>
                  );
                })}
                {lane.tasks.map((task) => (
                  <path
                    key={task.id}
                    {...item(
                      task,
                      `Task ${task.type} ${task.id}, started ${localTime(task.start)}`,
                    )}
                    d={`M${x(task.start)},34 l6,7 l-6,7 l-6,-7 z`}
                    fill={task.active ? '#fff' : color}
                    stroke={color}
                    stroke-width={1.5}
                  >
                    <title>{`${task.type} ${localTime(task.start)} (${utcTime(task.start)})`}</title>
                  </path>
                ))}
              </g>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
