import kit from '@/components/kit/kit.module.css';
import { Panel } from '@/components/kit/panel';
import type { BlastRadiusSummary } from '@/lib/contracts/stages';
import { formatCount } from './prepare';
import styles from './stages.module.css';

/** Stage 4's lock-out blast radius: holders with no recent passkey sign-in, by where they sign in. */
export function BlastRadiusPanel({ blastRadius }: { blastRadius: BlastRadiusSummary }) {
  const { holders, atRisk, share, byDeviceClass, lookbackDays, csvUrl } = blastRadius;
  const largest = Math.max(1, ...byDeviceClass.map((row) => row.atRisk));
  return (
    <Panel
      testId="blast-radius"
      span="half"
      title="Lock-out blast radius (stage 4)"
      subtitle={`Holders who, if passwords were removed today, would have no device class on which they signed in with a passkey in the last ${lookbackDays} days.`}
      actions={
        <a className={kit.linkButton} href={csvUrl} download>
          Export the at-risk users (CSV)
        </a>
      }
      state={holders === 0 ? { status: 'empty', message: 'No passkey holders yet.' } : { status: 'ready' }}
    >
      <p className={styles.blastHeadline} data-field="at-risk">
        <strong>{formatCount(atRisk)}</strong> of {formatCount(holders)} holders
        {share !== null ? ` (${(share * 100).toFixed(1)} %)` : ''} would be locked out
      </p>
      <div className={kit.tableWrap}>
        <table className={kit.table}>
          <thead>
            <tr>
              <th>Last signed in on</th>
              <th data-align="right">At risk</th>
              <th data-align="right">Holders</th>
              <th className={styles.barCell}>
                <span className={kit.srOnly}>Share of the largest class</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {byDeviceClass.map((row) => (
              <tr key={row.deviceClass}>
                <td>{row.deviceClass === 'none' ? 'no sign-in in the lookback' : row.deviceClass}</td>
                <td data-align="right">{formatCount(row.atRisk)}</td>
                <td data-align="right">{formatCount(row.holders)}</td>
                <td className={styles.barCell} aria-hidden="true">
                  <div className={styles.bar}>
                    <div className={styles.barFill} style={{ width: `${(row.atRisk / largest) * 100}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
