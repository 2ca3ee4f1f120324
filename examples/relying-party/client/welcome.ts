/**
 * The post-sign-in upsell (stage 2): on a capable device, offer a passkey with a one-click skip.
 * `passkey.upsell` shown → accepted | dismissed; on accept the registration runs on the
 * `post_sign_in_upsell` surface.
 */
import { api, busy, element, flushBeforeFollowing, leavePage, newFlowId, pageConfig, pageTelemetry, showStatus } from './common';
import { registerPasskey, reportFacts } from './passkeys';
import { upsellEligible } from './upsell';

const telemetry = pageTelemetry(pageConfig());
const flowId = newFlowId();
const surface = 'post_sign_in_upsell' as const;

async function offer(): Promise<void> {
  const capabilities = await telemetry.reportCapabilities({ surface, flowId });
  if (!upsellEligible(capabilities)) {
    await leavePage(telemetry, '/account');
    return;
  }
  element('upsell').hidden = false;
  telemetry.trackUpsell('shown', { surface, flowId });
}

const accept = element<HTMLButtonElement>('upsell-accept');
accept.addEventListener(
  'click',
  busy(accept, async () => {
    telemetry.trackUpsell('accepted', { surface, flowId });
    showStatus('Follow your browser’s prompt…', 'info');
    const report = await registerPasskey(telemetry, surface, flowId);
    if (report.outcome === 'success') {
      showStatus(report.message, 'success', reportFacts(report));
      element('upsell').hidden = true;
      element('upsell-done').hidden = false;
    } else if (report.outcome === 'failed') {
      showStatus(report.message, 'error', reportFacts(report));
    }
  }),
);

const dismiss = element<HTMLButtonElement>('upsell-dismiss');
dismiss.addEventListener(
  'click',
  busy(dismiss, async () => {
    telemetry.trackUpsell('dismissed', { surface, flowId });
    const { next } = await api<{ next: string }>('/api/upsell', { outcome: 'dismissed' });
    await leavePage(telemetry, next);
  }),
);

flushBeforeFollowing(telemetry, element<HTMLAnchorElement>('continue'));
void offer();
