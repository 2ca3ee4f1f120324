/**
 * The simulated population's devices: real user agents per device class, with each model's
 * platform-authenticator share, autofill support and failure quirk (./failure-profiles.ts), and
 * which models a device of a class is (market-share-like weights).
 */
import type { DeviceClass } from '@passkey-rollout/telemetry';
import type { Weighted } from './random';

export type OsFamily = 'ios' | 'android' | 'macos' | 'windows' | 'linux' | 'chromeos';
export type BrowserFamily = 'safari' | 'chrome' | 'edge' | 'firefox' | 'samsung';

/** How a device behaves in ceremonies: `flaky` platforms fail more, quietly. */
export type DeviceQuirk = 'none' | 'flaky';

export interface DeviceModel {
  readonly id: string;
  readonly deviceClass: DeviceClass;
  readonly os: OsFamily;
  readonly browser: BrowserFamily;
  readonly userAgent: string;
  /** Sent as `device.class` when the user agent alone cannot tell (iPadOS sends a macOS UA). */
  readonly explicitClass?: boolean;
  readonly osName?: string;
  readonly osVersion?: string;
  readonly samsung?: boolean;
  readonly quirk: DeviceQuirk;
  /** Share of such devices with a user-verifying platform authenticator. */
  readonly uvpaa: number;
  readonly conditionalGet: boolean;
}

const IOS_SAFARI_18 =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IOS_SAFARI_17 =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1';
const IOS_CHROME =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1';
const IPAD_LEGACY =
  'Mozilla/5.0 (iPad; CPU OS 16_7_10 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';
const MAC_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MAC_FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';
const PIXEL_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const ANDROID_REDUCED = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const GALAXY_SAMSUNG =
  'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36';
const GALAXY_A_CHROME =
  'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36';
const REDMI_OLD =
  'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.5414.118 Mobile Safari/537.36';
const MOTO_OLD =
  'Mozilla/5.0 (Linux; Android 11; moto g(9) play) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.5615.136 Mobile Safari/537.36';
const GALAXY_TAB = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const LENOVO_TAB = 'Mozilla/5.0 (Linux; Android 13; Lenovo TB-J616F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const WIN_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const WIN_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const WIN_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const UBUNTU_FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const FEDORA_FIREFOX = 'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const CHROMEOS = 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const model = (m: Omit<DeviceModel, 'quirk' | 'uvpaa' | 'conditionalGet'> & Partial<DeviceModel>): DeviceModel => ({
  quirk: 'none',
  uvpaa: 0.99,
  conditionalGet: true,
  ...m,
});

export const DEVICE_MODELS: readonly DeviceModel[] = [
  model({ id: 'iphone-safari-18', deviceClass: 'mobile-ios', os: 'ios', browser: 'safari', userAgent: IOS_SAFARI_18 }),
  model({ id: 'iphone-safari-17', deviceClass: 'mobile-ios', os: 'ios', browser: 'safari', userAgent: IOS_SAFARI_17 }),
  model({ id: 'iphone-chrome', deviceClass: 'mobile-ios', os: 'ios', browser: 'chrome', userAgent: IOS_CHROME }),
  model({
    id: 'ipad-safari',
    deviceClass: 'tablet-ipados',
    os: 'ios',
    browser: 'safari',
    userAgent: MAC_SAFARI,
    explicitClass: true,
    osName: 'iOS',
    osVersion: '18.1',
  }),
  model({ id: 'ipad-legacy', deviceClass: 'tablet-ipados', os: 'ios', browser: 'safari', userAgent: IPAD_LEGACY, conditionalGet: false }),
  model({ id: 'mac-safari', deviceClass: 'desktop-macos', os: 'macos', browser: 'safari', userAgent: MAC_SAFARI }),
  model({ id: 'mac-chrome', deviceClass: 'desktop-macos', os: 'macos', browser: 'chrome', userAgent: MAC_CHROME }),
  model({ id: 'mac-firefox', deviceClass: 'desktop-macos', os: 'macos', browser: 'firefox', userAgent: MAC_FIREFOX, uvpaa: 0.97 }),
  model({ id: 'pixel-chrome', deviceClass: 'mobile-android', os: 'android', browser: 'chrome', userAgent: PIXEL_CHROME }),
  model({ id: 'android-chrome', deviceClass: 'mobile-android', os: 'android', browser: 'chrome', userAgent: ANDROID_REDUCED, uvpaa: 0.97 }),
  model({
    id: 'galaxy-samsung',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'samsung',
    userAgent: GALAXY_SAMSUNG,
    samsung: true,
  }),
  model({
    id: 'galaxy-a-chrome',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'chrome',
    userAgent: GALAXY_A_CHROME,
    samsung: true,
  }),
  model({
    id: 'redmi-old',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'chrome',
    userAgent: REDMI_OLD,
    quirk: 'flaky',
    uvpaa: 0.85,
    conditionalGet: false,
  }),
  model({
    id: 'moto-old',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'chrome',
    userAgent: MOTO_OLD,
    quirk: 'flaky',
    uvpaa: 0.88,
    conditionalGet: false,
  }),
  model({ id: 'galaxy-tab', deviceClass: 'tablet-android', os: 'android', browser: 'chrome', userAgent: GALAXY_TAB, samsung: true }),
  model({ id: 'lenovo-tab', deviceClass: 'tablet-android', os: 'android', browser: 'chrome', userAgent: LENOVO_TAB, uvpaa: 0.9 }),
  model({ id: 'win-chrome', deviceClass: 'desktop-windows', os: 'windows', browser: 'chrome', userAgent: WIN_CHROME, uvpaa: 0.86 }),
  model({ id: 'win-edge', deviceClass: 'desktop-windows', os: 'windows', browser: 'edge', userAgent: WIN_EDGE, uvpaa: 0.88 }),
  model({ id: 'win-firefox', deviceClass: 'desktop-windows', os: 'windows', browser: 'firefox', userAgent: WIN_FIREFOX, uvpaa: 0.84 }),
  // Linux has no platform authenticator: passkeys come from Chrome's password manager, an
  // installed manager or a security key, and fail more (quietly: few users).
  model({
    id: 'linux-chrome',
    deviceClass: 'desktop-linux',
    os: 'linux',
    browser: 'chrome',
    userAgent: LINUX_CHROME,
    uvpaa: 0.05,
    quirk: 'flaky',
  }),
  model({
    id: 'ubuntu-firefox',
    deviceClass: 'desktop-linux',
    os: 'linux',
    browser: 'firefox',
    userAgent: UBUNTU_FIREFOX,
    uvpaa: 0,
    conditionalGet: false,
    quirk: 'flaky',
  }),
  model({
    id: 'fedora-firefox',
    deviceClass: 'desktop-linux',
    os: 'linux',
    browser: 'firefox',
    userAgent: FEDORA_FIREFOX,
    uvpaa: 0,
    conditionalGet: false,
    quirk: 'flaky',
  }),
  model({ id: 'chromebook', deviceClass: 'desktop-chromeos', os: 'chromeos', browser: 'chrome', userAgent: CHROMEOS, uvpaa: 0.93 }),
];

const MODELS_BY_ID = new Map(DEVICE_MODELS.map((m) => [m.id, m]));
export function deviceModel(id: string): DeviceModel {
  const found = MODELS_BY_ID.get(id);
  if (!found) throw new Error(`unknown device model ${id}`);
  return found;
}

/** Which model a device of a class is (market-share-like weights). */
export const MODELS_BY_CLASS: Readonly<Record<Exclude<DeviceClass, 'other'>, Weighted<string>>> = {
  'mobile-ios': [
    ['iphone-safari-18', 0.62],
    ['iphone-safari-17', 0.26],
    ['iphone-chrome', 0.12],
  ],
  'tablet-ipados': [
    ['ipad-safari', 0.8],
    ['ipad-legacy', 0.2],
  ],
  'desktop-macos': [
    ['mac-safari', 0.5],
    ['mac-chrome', 0.42],
    ['mac-firefox', 0.08],
  ],
  'mobile-android': [
    ['pixel-chrome', 0.21],
    ['android-chrome', 0.32],
    ['galaxy-samsung', 0.19],
    ['galaxy-a-chrome', 0.21],
    ['redmi-old', 0.04],
    ['moto-old', 0.03],
  ],
  'tablet-android': [
    ['galaxy-tab', 0.65],
    ['lenovo-tab', 0.35],
  ],
  'desktop-windows': [
    ['win-chrome', 0.6],
    ['win-edge', 0.3],
    ['win-firefox', 0.1],
  ],
  'desktop-linux': [
    ['linux-chrome', 0.55],
    ['ubuntu-firefox', 0.3],
    ['fedora-firefox', 0.15],
  ],
  'desktop-chromeos': [['chromebook', 1]],
};

export type SimDeviceClass = keyof typeof MODELS_BY_CLASS;
