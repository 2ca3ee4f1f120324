/**
 * Pure shaping of the security response: the verification signals in a fixed reading order with
 * their labels and what each means. Counts are the API's.
 */
import { SECURITY_SIGNALS, type SecurityResponse, type SecuritySignal, type SecuritySignalSummary } from '@/lib/contracts/security';

export const SIGNAL_LABEL: Record<SecuritySignal, string> = {
  originMismatch: 'Origin mismatch',
  rpIdMismatch: 'RP ID mismatch',
  challengeReuse: 'Challenge reuse',
  counterAnomaly: 'Counter anomaly',
  credentialUserMismatch: 'Credential / user mismatch',
  userNotVerified: 'User not verified',
};

export const SIGNAL_MEANING: Record<SecuritySignal, string> = {
  originMismatch: 'Assertions signed for an origin the relying party does not serve — a phishing proxy or misconfiguration.',
  rpIdMismatch: 'The RP ID hash did not match the relying party.',
  challengeReuse: 'A challenge was presented twice — a replay.',
  counterAnomaly: 'The signature counter went backwards or was flagged — a possibly cloned authenticator.',
  credentialUserMismatch: 'A credential was presented for a user it does not belong to.',
  userNotVerified: 'User verification was required but the authenticator did not perform it.',
};

export interface SignalRow extends SecuritySignalSummary {
  signal: SecuritySignal;
  label: string;
  meaning: string;
}

/** Every signal, in the contract's order; signals with events first would reorder the reading, so the order is fixed. */
export function toSignalRows(signals: SecurityResponse['signals']): SignalRow[] {
  return SECURITY_SIGNALS.map((signal) => ({ signal, label: SIGNAL_LABEL[signal], meaning: SIGNAL_MEANING[signal], ...signals[signal] }));
}

/** True when no signal and no flagged recovery has anything: the page shows one calm empty state. */
export function isQuiet(response: SecurityResponse): boolean {
  return (
    SECURITY_SIGNALS.every((signal) => response.signals[signal].events === 0) &&
    response.phishableRecoveryNewDevice.recoveries === 0 &&
    response.originMismatchesByOrigin.length === 0
  );
}
