/**
 * device_class = form factor × OS family (DESIGN.md section 3), plus browser / OS names.
 *
 * Precedence: a valid explicit `device.class` attribute, then User-Agent Client Hints, then
 * `user_agent.original` through ua-parser-js 1.x (MIT; no home-made UA regexes beyond the short
 * bot-token list below). Parsing costs ~0.1 ms, and ingest runs this for every record at
 * 50k records/s, so parses are memoised per distinct user-agent string in a bounded LRU cache
 * (real traffic has few distinct UAs).
 *
 * Known limit: iPadOS Safari sends a desktop macOS UA ("Macintosh; Intel Mac OS X"), so from the
 * UA alone an iPad is `desktop-macos`. Only an explicit `device.class` or client hints (an "iPad"
 * model, or platform "iPadOS") can say `tablet-ipados`; the browser SDK should send those.
 */
import { UAParser } from 'ua-parser-js';
import { DEVICE_CLASSES, type DeviceClass } from '@/lib/vocabulary';

export interface DeviceInput {
  deviceClassAttr?: string;
  userAgent?: string;
  clientHints?: { platform?: string; mobile?: boolean; model?: string; platformVersion?: string };
  browserName?: string;
  /** Only used with an explicit browserName; otherwise the version comes from the parser. */
  browserVersion?: string;
  osName?: string;
  /** Only used with an explicit osName; otherwise the version comes from hints or the parser. */
  osVersion?: string;
}

export interface DeviceInfo {
  deviceClass: DeviceClass;
  source: 'attribute' | 'client_hints' | 'user_agent' | 'none';
  browserName: string;
  browserVersion: string;
  osName: string;
  osVersion: string;
}

type OsFamily = 'ios' | 'android' | 'macos' | 'windows' | 'linux' | 'chromeos';
type FormFactor = 'mobile' | 'tablet' | 'desktop' | 'other';

interface NamedVersion {
  name: string;
  version: string;
}

interface ParsedAgent {
  readonly family: OsFamily | undefined;
  readonly formFactor: FormFactor;
  readonly deviceClass: DeviceClass;
  readonly browser: NamedVersion;
  readonly os: NamedVersion;
}

const VALID_DEVICE_CLASSES: ReadonlySet<string> = new Set(DEVICE_CLASSES);

export function deriveDevice(input: DeviceInput): DeviceInfo {
  const ua = input.userAgent?.trim() ? parseUserAgent(input.userAgent) : undefined;
  const hints = readClientHints(input.clientHints, ua);

  const browser = pickNamed([explicit(input.browserName, input.browserVersion), ua?.browser]);
  const os = pickNamed([explicit(input.osName, input.osVersion), hints?.os, ua?.os]);
  const names = { browserName: browser.name, browserVersion: browser.version, osName: os.name, osVersion: os.version };

  const attr = input.deviceClassAttr?.trim().toLowerCase();
  if (attr && VALID_DEVICE_CLASSES.has(attr)) {
    return { deviceClass: attr as DeviceClass, source: 'attribute', ...names };
  }
  if (hints) return { deviceClass: hints.deviceClass, source: 'client_hints', ...names };
  if (ua) return { deviceClass: ua.deviceClass, source: 'user_agent', ...names };
  return { deviceClass: 'other', source: 'none', ...names };
}

function classify(family: OsFamily | undefined, formFactor: FormFactor): DeviceClass {
  if (!family || formFactor === 'other') return 'other';
  switch (family) {
    // An iOS / Android agent with no form factor is most likely a phone (e.g. a native app's UA).
    case 'ios':
      return formFactor === 'tablet' ? 'tablet-ipados' : 'mobile-ios';
    case 'android':
      return formFactor === 'tablet' ? 'tablet-android' : 'mobile-android';
    case 'macos':
      return formFactor === 'tablet' ? 'tablet-ipados' : formFactor === 'desktop' ? 'desktop-macos' : 'other';
    // No Windows / ChromeOS tablet class: a Surface or a Chromebook tablet is still that desktop OS.
    case 'windows':
      return formFactor === 'mobile' ? 'other' : 'desktop-windows';
    case 'chromeos':
      return formFactor === 'mobile' ? 'other' : 'desktop-chromeos';
    case 'linux':
      return formFactor === 'desktop' ? 'desktop-linux' : 'other';
  }
}

// ---------------------------------------------------------------------------------------------
// Client hints (Sec-CH-UA-Platform, -Mobile, -Model, -Platform-Version)

/** The OS names we report, for both client hints and parsed UAs (see CANONICAL_OS_NAMES). */
const OS_NAME = {
  ANDROID: 'Android',
  IOS: 'iOS',
  MACOS: 'macOS',
  WINDOWS: 'Windows',
  LINUX: 'Linux',
  CHROME_OS: 'Chrome OS',
} as const;

const HINT_PLATFORMS: Readonly<Record<string, { family: OsFamily; osName: string; tablet?: true }>> = {
  android: { family: 'android', osName: OS_NAME.ANDROID },
  ios: { family: 'ios', osName: OS_NAME.IOS },
  ipados: { family: 'ios', osName: OS_NAME.IOS, tablet: true },
  macos: { family: 'macos', osName: OS_NAME.MACOS },
  windows: { family: 'windows', osName: OS_NAME.WINDOWS },
  linux: { family: 'linux', osName: OS_NAME.LINUX },
  chromeos: { family: 'chromeos', osName: OS_NAME.CHROME_OS },
  chromiumos: { family: 'chromeos', osName: OS_NAME.CHROME_OS },
};

interface HintsResult {
  deviceClass: DeviceClass;
  os: NamedVersion;
}

/** Undefined when the hints name no known platform, so the caller falls through to the UA. */
function readClientHints(hints: DeviceInput['clientHints'], ua: ParsedAgent | undefined): HintsResult | undefined {
  if (!hints?.platform) return undefined;
  const platform = HINT_PLATFORMS[unquote(hints.platform).toLowerCase().replace(/\s+/g, '')];
  if (!platform) return undefined;

  const isIpad =
    platform.tablet === true ||
    unquote(hints.model ?? '')
      .toLowerCase()
      .startsWith('ipad');
  const family: OsFamily = isIpad ? 'ios' : platform.family;
  let formFactor: FormFactor = 'desktop';
  if (isIpad) formFactor = 'tablet';
  else if (family === 'ios' || family === 'android') {
    // Chromium on an Android tablet reports Sec-CH-UA-Mobile ?0.
    if (hints.mobile !== undefined) formFactor = hints.mobile ? 'mobile' : 'tablet';
    else formFactor = ua?.family === family ? ua.formFactor : 'mobile';
  }

  const osName = isIpad ? OS_NAME.IOS : platform.osName;
  return { deviceClass: classify(family, formFactor), os: { name: osName, version: hintOsVersion(osName, hints.platformVersion) } };
}

/** Sec-CH-UA-Platform-Version on Windows is the UniversalApiContract version: 13+ is Windows 11. */
function hintOsVersion(osName: string, platformVersion: string | undefined): string {
  const version = unquote(platformVersion ?? '');
  if (osName !== OS_NAME.WINDOWS || !version) return version;
  const major = Number.parseInt(version, 10);
  if (major >= 13) return '11';
  return major >= 1 ? '10' : '';
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}

// ---------------------------------------------------------------------------------------------
// User-Agent string through ua-parser-js, memoised

export const USER_AGENT_CACHE_CAPACITY = 10_000;
/** ua-parser-js itself only reads the first 500 characters, so longer keys are truncated too. */
const UA_MAX_LENGTH = 500;

/** A Map iterates in insertion order, so re-inserting on every hit makes its first key the LRU. */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }
}

const uaCache = new LruCache<string, ParsedAgent>(USER_AGENT_CACHE_CAPACITY);

/**
 * ua-parser-js 1.x knows no crawlers, CLIs or HTTP libraries. A UA for which it finds neither a
 * browser nor an OS (curl, python-requests, plain Googlebot) is already `other`; this short token
 * list is the last guard for agents that also claim a real platform (Googlebot smartphone sends a
 * full Android Chrome UA). Only "Token/version" product tokens count, so a device model such as
 * "CUBOT X30" does not. It is also merged into the parser as a browser rule (1.x extensions go
 * before the built-in rules), so the agent is named as the browser: curl → "curl" "8.5.0".
 */
const BOT_PRODUCT = /\b(curl|wget|python-requests|okhttp|go-http-client|[\w-]*(?:bot|crawler|spider)[\w-]*)\/([\w.]+)/i;

// One parser instance with the extension merged once, re-pointed at each new UA. Server-side there
// is no `window.navigator`, so 1.x never mixes the host's own navigator data into the result.
const parser = new UAParser({ browser: [[BOT_PRODUCT], [UAParser.BROWSER.NAME, UAParser.BROWSER.VERSION]] });

/** 1.x spellings → the names we report (and client hints use), so one OS has one name. */
const CANONICAL_OS_NAMES: ReadonlyMap<string, string> = new Map([
  ['Mac OS', OS_NAME.MACOS],
  ['Chromium OS', OS_NAME.CHROME_OS],
]);

/** Keys are lower-case without spaces: 1.x reports distro names as spelled in the UA. */
const LINUX_NAMES: readonly string[] = [
  'linux',
  'arch',
  'centos',
  'debian',
  'deepin',
  'elementaryos',
  'fedora',
  'gentoo',
  'knoppix',
  'kubuntu',
  'lubuntu',
  'xubuntu',
  'linpus',
  'linspire',
  'mageia',
  'mandriva',
  'manjaro',
  'mint',
  'pclinuxos',
  'raspbian',
  'redhat',
  'sabayon',
  'slackware',
  'suse',
  'opensuse',
  'ubuntu',
  'vectorlinux',
  'zenwalk',
];

const OS_FAMILIES: ReadonlyMap<string, OsFamily> = new Map<string, OsFamily>([
  ['ios', 'ios'],
  ['android', 'android'],
  ['macos', 'macos'],
  ['windows', 'windows'],
  ['chromeos', 'chromeos'],
  ...LINUX_NAMES.map((name): [string, OsFamily] => [name, 'linux']),
]);

function osFamily(osName: string): OsFamily | undefined {
  return OS_FAMILIES.get(osName.toLowerCase().replace(/\s+/g, ''));
}

function parseUserAgent(userAgent: string): ParsedAgent {
  const key = userAgent.length > UA_MAX_LENGTH ? userAgent.slice(0, UA_MAX_LENGTH) : userAgent;
  const cached = uaCache.get(key);
  if (cached) return cached;
  const parsed = parseUncached(key);
  uaCache.set(key, parsed);
  return parsed;
}

function parseUncached(userAgent: string): ParsedAgent {
  const result = parser.setUA(userAgent).getResult();
  const osName = result.os.name ? (CANONICAL_OS_NAMES.get(result.os.name) ?? result.os.name) : '';
  const family = osName ? osFamily(osName) : undefined;
  const formFactor = toFormFactor(result.device.type);
  // Crawlers, CLIs and HTTP libraries are not people on a device, whatever OS they claim.
  const notAPerson = (!result.browser.name && !result.os.name) || BOT_PRODUCT.test(userAgent);
  return Object.freeze({
    family,
    formFactor,
    deviceClass: notAPerson ? 'other' : classify(family, formFactor),
    browser: { name: result.browser.name ?? '', version: result.browser.version ?? '' },
    os: { name: osName, version: result.os.version ?? '' },
  });
}

function toFormFactor(deviceType: string | undefined): FormFactor {
  if (deviceType === undefined) return 'desktop';
  if (deviceType === 'mobile' || deviceType === 'tablet') return deviceType;
  return 'other'; // console, smarttv, wearable (incl. VR headsets), embedded
}

/** For tests and diagnostics. */
export function userAgentCacheSize(): number {
  return uaCache.size;
}

export function clearUserAgentCache(): void {
  uaCache.clear();
}

// ---------------------------------------------------------------------------------------------
// Names and versions: the first source that names the thing wins; its version, or else the
// version from a lower source that names the same thing (never another product's version).

function explicit(name: string | undefined, version: string | undefined): NamedVersion | undefined {
  const trimmed = name?.trim();
  return trimmed ? { name: trimmed, version: version?.trim() ?? '' } : undefined;
}

function pickNamed(sources: ReadonlyArray<NamedVersion | undefined>): NamedVersion {
  const present = sources.filter((s): s is NamedVersion => s !== undefined && s.name !== '');
  const first = present[0];
  if (!first) return { name: '', version: '' };
  if (first.version) return first;
  const same = present.find((s) => s.version && sameName(s.name, first.name));
  return { name: first.name, version: same?.version ?? '' };
}

/** "Mobile Safari" (ua-parser) and "Safari" (an SDK) are the same product; "ChromeOS" = "Chrome OS". */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/^mobile\s+/, '')
      .replace(/\s+/g, '');
  return norm(a) === norm(b);
}
