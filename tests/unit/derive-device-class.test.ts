import { beforeEach, describe, expect, it } from 'vitest';
import { clearUserAgentCache, deriveDevice, LruCache, USER_AGENT_CACHE_CAPACITY, userAgentCacheSize } from '@/ingest/derive/device-class';
import { DEVICE_CLASSES } from '@/lib/vocabulary';

const UA = {
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  ipadSafari:
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  androidReduced: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  samsungPhone:
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  galaxyTabChrome: 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  galaxyTabSamsung:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Safari/537.36',
  firefoxAndroidTablet: 'Mozilla/5.0 (Android 14; Tablet; rv:127.0) Gecko/127.0 Firefox/127.0',
  macSafari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  macChrome: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  macFirefox: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
  winEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  winChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  winFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  linuxFirefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  ubuntuFirefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  headlessChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
  chromebook: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  curl: 'curl/8.5.0',
  pythonRequests: 'python-requests/2.31.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  xbox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041',
  smartTv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) Version/6.0 TV Safari/538.1',
  quest: 'Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/33.0 Chrome/126.0 VR Safari/537.36',
  windowsPhone:
    'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063',
  freebsd: 'Mozilla/5.0 (X11; FreeBSD amd64; rv:127.0) Gecko/20100101 Firefox/127.0',
  iosNativeApp: 'MyBank/5.2 (iPhone; iOS 17.5; Scale/3.00)',
  androidNativeApp: 'Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A.240505.004)',
} as const;

beforeEach(() => clearUserAgentCache());

describe('deriveDevice from user_agent.original', () => {
  it.each([
    ['iPhone Safari', UA.iphoneSafari, 'mobile-ios', 'Mobile Safari', 'iOS'],
    ['iPhone Chrome', UA.iphoneChrome, 'mobile-ios', 'Chrome', 'iOS'],
    ['iPad with an iPad UA', UA.ipadSafari, 'tablet-ipados', 'Mobile Safari', 'iOS'],
    ['Android phone Chrome', UA.androidChrome, 'mobile-android', 'Chrome', 'Android'],
    ['Android phone, reduced UA', UA.androidReduced, 'mobile-android', 'Chrome', 'Android'],
    ['Samsung phone, Samsung Internet', UA.samsungPhone, 'mobile-android', 'Samsung Internet', 'Android'],
    ['Galaxy Tab Chrome', UA.galaxyTabChrome, 'tablet-android', 'Chrome', 'Android'],
    ['Galaxy Tab Samsung Internet', UA.galaxyTabSamsung, 'tablet-android', 'Samsung Internet', 'Android'],
    ['Android tablet Firefox', UA.firefoxAndroidTablet, 'tablet-android', 'Firefox', 'Android'],
    ['macOS Safari', UA.macSafari, 'desktop-macos', 'Safari', 'macOS'],
    ['macOS Chrome', UA.macChrome, 'desktop-macos', 'Chrome', 'macOS'],
    ['macOS Firefox', UA.macFirefox, 'desktop-macos', 'Firefox', 'macOS'],
    ['Windows Edge', UA.winEdge, 'desktop-windows', 'Edge', 'Windows'],
    ['Windows Chrome', UA.winChrome, 'desktop-windows', 'Chrome', 'Windows'],
    ['Windows Firefox', UA.winFirefox, 'desktop-windows', 'Firefox', 'Windows'],
    ['Linux Firefox', UA.linuxFirefox, 'desktop-linux', 'Firefox', 'Linux'],
    ['Ubuntu Firefox (a distro name)', UA.ubuntuFirefox, 'desktop-linux', 'Firefox', 'Ubuntu'],
    ['headless Chrome is still a browser', UA.headlessChrome, 'desktop-linux', 'Chrome Headless', 'Linux'],
    ['ChromeOS Chrome', UA.chromebook, 'desktop-chromeos', 'Chrome', 'Chrome OS'],
    ['iOS native app', UA.iosNativeApp, 'mobile-ios', '', 'iOS'],
    ['Android native app (okhttp/Dalvik)', UA.androidNativeApp, 'mobile-android', '', 'Android'],
  ])('%s', (_label, userAgent, deviceClass, browserName, osName) => {
    const info = deriveDevice({ userAgent });
    expect(info).toMatchObject({ deviceClass, source: 'user_agent', browserName, osName });
  });

  it.each([
    ['curl', UA.curl],
    ['an HTTP library', UA.pythonRequests],
    ['Googlebot', UA.googlebot],
    ['Googlebot smartphone, despite its Android phone UA', UA.googlebotSmartphone],
    ['a games console', UA.xbox],
    ['a smart TV', UA.smartTv],
    ['a VR headset on Linux', UA.quest],
    ['Windows Phone', UA.windowsPhone],
    ['an OS family with no class (FreeBSD)', UA.freebsd],
    ['an unparseable string', 'not a user agent'],
  ])('%s → other', (_label, userAgent) => {
    expect(deriveDevice({ userAgent })).toMatchObject({ deviceClass: 'other', source: 'user_agent' });
  });

  it('names the bot as the browser, so dashboards can show what the traffic was', () => {
    expect(deriveDevice({ userAgent: UA.curl })).toMatchObject({ browserName: 'curl', browserVersion: '8.5.0' });
  });

  it('reports browser and OS versions from the parser', () => {
    expect(deriveDevice({ userAgent: UA.iphoneSafari })).toEqual({
      deviceClass: 'mobile-ios',
      source: 'user_agent',
      browserName: 'Mobile Safari',
      browserVersion: '17.5',
      osName: 'iOS',
      osVersion: '17.5',
    });
    expect(deriveDevice({ userAgent: UA.winEdge })).toMatchObject({ browserVersion: '126.0.2592.68', osVersion: '10' });
  });

  it('is desktop-macos for an iPad sending the desktop Safari UA (documented limit)', () => {
    expect(deriveDevice({ userAgent: UA.macSafari }).deviceClass).toBe('desktop-macos');
  });

  it('gives other / none when there is nothing to go on', () => {
    const empty = { deviceClass: 'other', source: 'none', browserName: '', browserVersion: '', osName: '', osVersion: '' };
    expect(deriveDevice({})).toEqual(empty);
    expect(deriveDevice({ userAgent: '' })).toEqual(empty);
    expect(deriveDevice({ userAgent: '   ' })).toEqual(empty);
  });

  it('only ever returns a vocabulary device class', () => {
    for (const userAgent of Object.values(UA)) {
      expect(DEVICE_CLASSES).toContain(deriveDevice({ userAgent }).deviceClass);
    }
  });
});

describe('deriveDevice explicit device.class attribute', () => {
  it('wins over client hints and the UA', () => {
    const info = deriveDevice({
      deviceClassAttr: 'tablet-ipados',
      userAgent: UA.macSafari,
      clientHints: { platform: 'macOS', mobile: false },
    });
    expect(info).toMatchObject({ deviceClass: 'tablet-ipados', source: 'attribute' });
  });

  it('still takes browser and OS names from the UA', () => {
    expect(deriveDevice({ deviceClassAttr: 'tablet-ipados', userAgent: UA.macSafari })).toEqual({
      deviceClass: 'tablet-ipados',
      source: 'attribute',
      browserName: 'Safari',
      browserVersion: '17.5',
      osName: 'macOS',
      osVersion: '10.15.7',
    });
  });

  it('accepts every vocabulary value, tolerating case and whitespace', () => {
    for (const deviceClass of DEVICE_CLASSES) {
      expect(deriveDevice({ deviceClassAttr: deviceClass })).toMatchObject({ deviceClass, source: 'attribute' });
    }
    expect(deriveDevice({ deviceClassAttr: '  Desktop-Windows ' }).deviceClass).toBe('desktop-windows');
  });

  it.each([['tablet'], ['iphone'], ['mobile_ios'], [''], ['   ']])('ignores invalid value %j and falls through', (deviceClassAttr) => {
    expect(deriveDevice({ deviceClassAttr, userAgent: UA.androidChrome })).toMatchObject({
      deviceClass: 'mobile-android',
      source: 'user_agent',
    });
    expect(deriveDevice({ deviceClassAttr, clientHints: { platform: 'Windows' } })).toMatchObject({
      deviceClass: 'desktop-windows',
      source: 'client_hints',
    });
    expect(deriveDevice({ deviceClassAttr })).toMatchObject({ deviceClass: 'other', source: 'none' });
  });
});

describe('deriveDevice client hints', () => {
  it.each([
    [{ platform: 'Android', mobile: true }, 'mobile-android'],
    [{ platform: 'Android', mobile: false }, 'tablet-android'],
    [{ platform: 'iOS', mobile: true }, 'mobile-ios'],
    [{ platform: 'iOS', mobile: false }, 'tablet-ipados'],
    [{ platform: 'iPadOS' }, 'tablet-ipados'],
    [{ platform: 'macOS', mobile: false }, 'desktop-macos'],
    [{ platform: 'macOS', model: 'iPad' }, 'tablet-ipados'],
    [{ platform: 'Windows', mobile: false }, 'desktop-windows'],
    [{ platform: 'Linux', mobile: false }, 'desktop-linux'],
    [{ platform: 'Chrome OS', mobile: false }, 'desktop-chromeos'],
    [{ platform: 'ChromeOS' }, 'desktop-chromeos'],
    [{ platform: 'Chromium OS' }, 'desktop-chromeos'],
    [{ platform: '"Android"', mobile: true }, 'mobile-android'],
    [{ platform: 'android', mobile: true }, 'mobile-android'],
  ] as const)('%j → %s', (clientHints, deviceClass) => {
    expect(deriveDevice({ clientHints })).toMatchObject({ deviceClass, source: 'client_hints' });
  });

  it('take precedence over the UA', () => {
    // Chromium on an Android tablet in desktop mode sends a Linux UA but Android hints.
    expect(deriveDevice({ userAgent: UA.linuxFirefox, clientHints: { platform: 'Android', mobile: false } })).toMatchObject({
      deviceClass: 'tablet-android',
      source: 'client_hints',
      osName: 'Android',
    });
    // An SDK that knows it runs on an iPad despite the desktop UA.
    expect(deriveDevice({ userAgent: UA.macSafari, clientHints: { platform: 'macOS', model: 'iPad' } })).toMatchObject({
      deviceClass: 'tablet-ipados',
      source: 'client_hints',
      osName: 'iOS',
      browserName: 'Safari',
    });
  });

  it('use the UA form factor when Sec-CH-UA-Mobile is absent and the OS agrees', () => {
    expect(deriveDevice({ userAgent: UA.galaxyTabChrome, clientHints: { platform: 'Android' } }).deviceClass).toBe('tablet-android');
    expect(deriveDevice({ userAgent: UA.androidChrome, clientHints: { platform: 'Android' } }).deviceClass).toBe('mobile-android');
    expect(deriveDevice({ userAgent: UA.winChrome, clientHints: { platform: 'Android' } }).deviceClass).toBe('mobile-android');
    expect(deriveDevice({ clientHints: { platform: 'Android' } }).deviceClass).toBe('mobile-android');
  });

  it('ignore the mobile flag on desktop platforms', () => {
    expect(deriveDevice({ clientHints: { platform: 'Windows', mobile: true } }).deviceClass).toBe('desktop-windows');
  });

  it.each([[{ platform: 'Unknown' }], [{ platform: 'Fuchsia' }], [{ platform: '' }], [{ mobile: true }], [{}]])(
    'fall through to the UA when the platform is not known: %j',
    (clientHints) => {
      expect(deriveDevice({ userAgent: UA.macChrome, clientHints })).toMatchObject({
        deviceClass: 'desktop-macos',
        source: 'user_agent',
      });
    },
  );

  it('supply the OS version, mapping Windows platform versions to 10 / 11', () => {
    const win = (platformVersion: string) =>
      deriveDevice({ userAgent: UA.winChrome, clientHints: { platform: 'Windows', platformVersion } });
    expect(win('15.0.0')).toMatchObject({ osName: 'Windows', osVersion: '11' });
    expect(win('13.0.0')).toMatchObject({ osVersion: '11' });
    expect(win('10.0.0')).toMatchObject({ osVersion: '10' });
    // 0.x is Windows 7 / 8 / 8.1 — the hint cannot tell which, so the UA's version is kept.
    expect(win('0.3.0')).toMatchObject({ osName: 'Windows', osVersion: '10' });
    expect(deriveDevice({ clientHints: { platform: 'macOS', platformVersion: '"14.5.0"' } })).toMatchObject({
      osName: 'macOS',
      osVersion: '14.5.0',
    });
    expect(
      deriveDevice({ userAgent: UA.androidReduced, clientHints: { platform: 'Android', mobile: true, platformVersion: '14.0.0' } }),
    ).toMatchObject({
      osName: 'Android',
      osVersion: '14.0.0',
    });
    expect(deriveDevice({ clientHints: { platform: 'ChromeOS' } })).toMatchObject({ osName: 'Chrome OS', osVersion: '' });
  });

  it('fall back to the UA OS version when they give none', () => {
    expect(deriveDevice({ userAgent: UA.macFirefox, clientHints: { platform: 'macOS' } })).toMatchObject({
      osName: 'macOS',
      osVersion: '14.5',
    });
  });
});

describe('deriveDevice explicit browser / OS names', () => {
  it('win over the parser', () => {
    expect(deriveDevice({ userAgent: UA.winEdge, browserName: 'Brave', osName: 'Windows 11' })).toMatchObject({
      deviceClass: 'desktop-windows',
      browserName: 'Brave',
      browserVersion: '',
      osName: 'Windows 11',
      osVersion: '',
    });
  });

  it('use their own versions when given', () => {
    expect(
      deriveDevice({ userAgent: UA.winEdge, browserName: 'Brave', browserVersion: '1.67', osName: 'Windows', osVersion: '11' }),
    ).toMatchObject({ browserName: 'Brave', browserVersion: '1.67', osName: 'Windows', osVersion: '11' });
  });

  it('borrow the parser version only when it names the same product', () => {
    expect(deriveDevice({ userAgent: UA.iphoneSafari, browserName: 'Safari', osName: 'ios' })).toMatchObject({
      browserName: 'Safari',
      browserVersion: '17.5',
      osName: 'ios',
      osVersion: '17.5',
    });
  });

  it('work with no UA at all', () => {
    expect(deriveDevice({ browserName: 'Firefox', osName: 'Linux' })).toEqual({
      deviceClass: 'other',
      source: 'none',
      browserName: 'Firefox',
      browserVersion: '',
      osName: 'Linux',
      osVersion: '',
    });
  });

  it('ignore blank names', () => {
    expect(deriveDevice({ userAgent: UA.macChrome, browserName: ' ', osName: '' })).toMatchObject({
      browserName: 'Chrome',
      osName: 'macOS',
    });
  });
});

describe('deriveDevice user-agent cache', () => {
  it('returns the same result on repeated calls and parses each UA once', () => {
    const first = deriveDevice({ userAgent: UA.galaxyTabChrome });
    expect(userAgentCacheSize()).toBe(1);
    for (let i = 0; i < 100; i++) {
      expect(deriveDevice({ userAgent: UA.galaxyTabChrome })).toEqual(first);
    }
    expect(userAgentCacheSize()).toBe(1);
    deriveDevice({ userAgent: UA.macSafari });
    expect(userAgentCacheSize()).toBe(2);
  });

  it('does not let one caller mutate what another gets back', () => {
    const first = deriveDevice({ userAgent: UA.winFirefox });
    first.browserName = 'tampered';
    expect(deriveDevice({ userAgent: UA.winFirefox }).browserName).toBe('Firefox');
  });

  it('keys on the first 500 characters, as the parser reads no further', () => {
    const long = UA.macChrome.padEnd(500, ' x');
    deriveDevice({ userAgent: `${long}AAAA` });
    deriveDevice({ userAgent: `${long}BBBB` });
    expect(userAgentCacheSize()).toBe(1);
    expect(deriveDevice({ userAgent: `${long}CCCC` }).deviceClass).toBe('desktop-macos');
  });

  it('stays bounded at its capacity', () => {
    for (let i = 0; i < USER_AGENT_CACHE_CAPACITY + 50; i++) deriveDevice({ userAgent: `${UA.winChrome} Build/${i}` });
    expect(userAgentCacheSize()).toBe(USER_AGENT_CACHE_CAPACITY);
    // An evicted UA is simply parsed again, with the same answer.
    expect(deriveDevice({ userAgent: `${UA.winChrome} Build/0` }).deviceClass).toBe('desktop-windows');
    expect(userAgentCacheSize()).toBe(USER_AGENT_CACHE_CAPACITY);
  });

  it('clears', () => {
    deriveDevice({ userAgent: UA.macSafari });
    clearUserAgentCache();
    expect(userAgentCacheSize()).toBe(0);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used key when full', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent; b the least
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((k) => cache.has(k))).toBe(true);
    cache.set('e', 5); // c is now the least recent
    expect(cache.has('c')).toBe(false);
  });

  it('replaces an existing key without evicting another', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBe(2);
  });

  it('misses cleanly and clears', () => {
    const cache = new LruCache<string, number>(2);
    expect(cache.get('nope')).toBeUndefined();
    cache.set('a', 1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
