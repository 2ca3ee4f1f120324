'use client';

import { ReferenceLine } from 'recharts';
import type { AnnotationMark } from '../prepare/annotation-marks';

const COLOR: Record<AnnotationMark['kind'], string> = { stage_decision: '#7a3fb8', release: '#0f7b6c', alert: '#c2410c', mixed: '#4b5563' };

/** The mark's text at the top of its line; the whole list of what happened in the bucket on hover. */
function MarkLabel({ viewBox, mark }: { viewBox?: { x?: number; y?: number }; mark: AnnotationMark }) {
  if (viewBox?.x === undefined || viewBox.y === undefined) return null;
  return (
    <g className="chart-annotation" data-kind={mark.kind} data-x={mark.x}>
      <title>{mark.detail}</title>
      <text x={viewBox.x + 4} y={viewBox.y + 11} fontSize={10} fill={COLOR[mark.kind]}>
        {mark.text}
      </text>
    </g>
  );
}

/**
 * Recharts children marking stage decisions and releases on a time chart (a dashed vertical line
 * per bucket with annotations). Recharts needs its elements as direct children: call it inside the chart.
 */
export function annotationLines(marks: readonly AnnotationMark[]) {
  return marks.map((mark) => (
    <ReferenceLine
      key={`annotation-${mark.x}`}
      x={mark.x}
      stroke={COLOR[mark.kind]}
      strokeDasharray="4 3"
      ifOverflow="hidden"
      label={<MarkLabel mark={mark} />}
    />
  ));
}
