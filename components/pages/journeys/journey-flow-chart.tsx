'use client';

import { useCallback, useMemo, type ReactElement, type SVGProps } from 'react';
import { ResponsiveContainer, Sankey, type SankeyLinkProps, type SankeyNodeProps } from 'recharts';
import { formatCount } from '@/components/kit/format';
import type { JourneyLink, JourneysResponse } from '@/lib/contracts/journeys';
import { linkKey, linkLabel, nodeTone, sankeyHeight, toSankeyData, type SankeyNodeDatum } from './prepare-journeys';
import styles from './journeys.module.css';

const NODE_WIDTH = 10;
const MARGIN = { top: 12, right: 150, bottom: 12, left: 175 } as const;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/**
 * Every finished flow of the kind from its entry (left) to its end state (right), links sized by
 * flows; clicking a link (or its button in the list below, for keyboard users) selects it.
 */
export function JourneyFlowChart({
  data,
  selected,
  onSelect,
}: {
  data: JourneysResponse;
  selected: string | null;
  onSelect: (link: JourneyLink) => void;
}) {
  const sankey = useMemo(() => toSankeyData(data), [data]);
  const chartData = useMemo(() => ({ nodes: sankey.nodes, links: sankey.links }), [sankey]);
  const height = sankeyHeight(data);

  const renderLink = useCallback(
    (props: SankeyLinkProps): ReactElement<SVGProps<SVGPathElement>> => {
      const { sourceX, sourceY, sourceControlX, targetControlX, targetX, targetY, linkWidth, index } = props;
      const ref = sankey.refs[index];
      const key = ref ? linkKey(ref) : '';
      return (
        <path
          className={`recharts-sankey-link ${styles.link}`}
          d={`M${sourceX},${sourceY} C${sourceControlX},${sourceY} ${targetControlX},${targetY} ${targetX},${targetY}`}
          fill="none"
          strokeWidth={Math.max(2, linkWidth)}
          data-testid="journey-link"
          data-link={key}
          data-selected={key === selected ? 'true' : undefined}
          onClick={ref ? () => onSelect(ref) : undefined}
        >
          {ref ? <title>{`${linkLabel(ref)}: ${plural(ref.flows, 'flow')}`}</title> : null}
        </path>
      );
    },
    [sankey, selected, onSelect],
  );

  const renderNode = useCallback((props: SankeyNodeProps) => {
    const { x, y, width, height: nodeHeight, payload } = props;
    const node = payload as unknown as SankeyNodeDatum;
    // Entries are labelled on their left, steps and end states on their right.
    const entry = node.role === 'entry';
    return (
      <g className="recharts-sankey-node" data-node={node.id}>
        <rect x={x} y={y} width={width} height={Math.max(1, nodeHeight)} fill={nodeTone(node.state, node.role)} rx={2} />
        <text
          x={entry ? x - 6 : x + width + 6}
          y={y + nodeHeight / 2}
          dy="0.35em"
          textAnchor={entry ? 'end' : 'start'}
          className={styles.nodeLabel}
        >
          {node.name}
          <tspan className={styles.nodeCount}>{` ${formatCount(node.flows)}`}</tspan>
        </text>
      </g>
    );
  }, []);

  return (
    <>
      <figure
        className={styles.flowChart}
        aria-label={`Flow diagram of ${plural(data.flows, 'finished flow')}`}
        data-testid="journey-flow"
        style={{ height }}
      >
        <ResponsiveContainer width="100%" height="100%">
          <Sankey
            data={chartData}
            nodeWidth={NODE_WIDTH}
            nodePadding={22}
            margin={MARGIN}
            link={renderLink}
            node={renderNode}
            iterations={48}
            accessibilityLayer={false}
          />
        </ResponsiveContainer>
      </figure>
      <div className={styles.linkList}>
        <h3 className={styles.linkListTitle} id="journey-link-list">
          Every link ({sankey.refs.length}): select one to list its flows
        </h3>
        <ul aria-labelledby="journey-link-list">
          {sankey.refs.map((link) => {
            const key = linkKey(link);
            return (
              <li key={key}>
                <button
                  type="button"
                  className={styles.linkButton}
                  data-testid="journey-link-button"
                  data-link={key}
                  aria-pressed={key === selected}
                  onClick={() => onSelect(link)}
                >
                  <span className={styles.step}>{link.depth + 1}.</span> {linkLabel(link)}{' '}
                  <span className={styles.count}>{formatCount(link.flows)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}
