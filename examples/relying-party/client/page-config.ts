/**
 * The configuration the server embeds in every page (`<script id="rp-config" type="application/json">`).
 * Shared by the server (which writes it) and the browser code (which reads it); no Node imports.
 */
export const PAGES = ['home', 'login', 'signup', 'welcome', 'account', 'recover'] as const;
export type PageName = (typeof PAGES)[number];

export interface PageConfig {
  page: PageName;
  telemetry: {
    /** Base URL the SDK posts to (`${endpoint}/v1/logs`): this origin (proxy) or the product (direct). */
    endpoint: string;
    /** Only in direct mode: the ingest token, visible to the page. */
    token?: string;
    serviceName: string;
    environment: string;
    rolloutVariant: string;
  };
  /** The signed-in account (opaque ids only). */
  user?: { userId: string; sessionId: string };
}
