import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/env';
import {
  DEFAULT_ROLLOUT_CONFIG_PATH,
  GATE_METRICS,
  GATE_METRIC_IDS,
  RolloutConfigError,
  formatConfigPath,
  gateMetric,
  loadRolloutConfig,
  parseRolloutConfig,
  resolveRolloutConfigPath,
  transitionFrom,
  type RolloutConfig,
} from '@/lib/stage-gates/config';

const defaultFile = path.resolve(import.meta.dirname, '../..', DEFAULT_ROLLOUT_CONFIG_PATH);

function defaultJson(): Record<string, unknown> & { transitions: Array<{ criteria: Array<Record<string, unknown>> }> } {
  return JSON.parse(readFileSync(defaultFile, 'utf8'));
}

/** The problems reported for an invalid config (fails the test if it is accepted). */
function problemsOf(json: unknown): readonly string[] {
  try {
    parseRolloutConfig(json);
  } catch (error) {
    expect(error).toBeInstanceOf(RolloutConfigError);
    return (error as RolloutConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, contents: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-config-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, contents);
  return file;
}

describe('the default rollout config', () => {
  const config: RolloutConfig = loadRolloutConfig(defaultFile);

  it('parses, at stage 1, version 1, with the five stages in order', () => {
    expect(config.version).toBe(1);
    expect(config.currentStage).toBe(1);
    expect(config.stageEnteredAt).toBeUndefined();
    expect(config.stages.map((stage) => stage.id)).toEqual([1, 2, 3, 4, 5]);
    expect(config.stages.map((stage) => stage.name)).toEqual([
      'Optional registration',
      'Opportunistic prompts',
      'Passkey-first sign-in',
      'Phasing out passwords',
      'Mandatory hardware-attested passkeys for high-risk accounts',
    ]);
  });

  it('holds the defaults of DESIGN.md section 5', () => {
    const summary = config.transitions.map((transition) => ({
      transition: `${transition.from}->${transition.to}`,
      criteria: transition.criteria.map((c) => [c.metric, c.comparator, c.threshold, c.minSample]),
    }));
    expect(summary).toEqual([
      {
        transition: '1->2',
        criteria: [
          ['registration_ceremony_success_rate', 'gte', 0.9, 100],
          ['holders_passkey_signin_success_rate', 'gte', 0.95, 200],
          ['holders_recovery_rate_vs_non_holders', 'lte', 1, 30],
        ],
      },
      {
        transition: '2->3',
        criteria: [
          ['upsell_acceptance_rate', 'gte', 0.25, 500],
          ['holder_share_of_active_users', 'gte', 0.3, 200],
          ['passkey_tickets_per_1000_active_users', 'lte', 2, 2000],
        ],
      },
      {
        transition: '3->4',
        criteria: [
          ['passkey_share_of_holder_signins', 'gte', 0.8, 200],
          ['fallback_reliant_share_of_holders', 'lte', 0.1, 200],
          ['recovery_starts_per_1000_active_users_per_week', 'lte', 5, 1000],
          ['multi_device_coverage', 'gte', 0.5, 200],
          ['days_at_current_stage', 'gte', 60, 0],
        ],
      },
      {
        transition: '4->5',
        criteria: [
          ['high_risk_attested_device_bound_share', 'gte', 0.95, 20],
          ['high_risk_two_attested_device_bound_share', 'gte', 0.9, 20],
          ['high_risk_phishable_recoveries', 'lte', 0, 20],
        ],
      },
    ]);
  });

  it('judges registration per device class and the 4 → 5 gate on high-risk accounts only', () => {
    const registration = transitionFrom(config, 1)?.criteria[0];
    expect(registration).toMatchObject({ perDeviceClass: true, minSample: 100 });
    for (const criterion of transitionFrom(config, 4)?.criteria ?? []) {
      expect(criterion.filters).toEqual({ riskTier: 'high' });
    }
    expect(transitionFrom(config, 5)).toBeUndefined();
  });

  it('uses a 28-day window everywhere', () => {
    expect(config.transitions.flatMap((t) => t.criteria).every((c) => c.windowDays === 28)).toBe(true);
  });
});

describe('GATE_METRICS', () => {
  it('names every metric once, with its kind', () => {
    expect(new Set(GATE_METRIC_IDS).size).toBe(14);
    expect(GATE_METRIC_IDS).toEqual(GATE_METRICS.map((metric) => metric.id));
    expect(gateMetric('holders_recovery_rate_vs_non_holders').kind).toBe('rate_comparison');
    expect(gateMetric('high_risk_phishable_recoveries').kind).toBe('count');
    expect(gateMetric('days_at_current_stage')).toMatchObject({ kind: 'duration', sampleUnit: null });
    expect(gateMetric('recovery_starts_per_1000_active_users_per_week')).toMatchObject({ kind: 'rate', perUnit: 1000 });
  });
});

describe('parseRolloutConfig — errors name the bad field', () => {
  it('reports a proportion threshold above 1 with its path', () => {
    const json = defaultJson();
    json.transitions[0]!.criteria[1]!.threshold = 95;
    expect(problemsOf(json)).toEqual(['transitions[0].criteria[1].threshold: Too big: expected number to be <=1']);
  });

  it('puts every problem in the error message, one per line', () => {
    const json = defaultJson();
    json.currentStage = 7;
    json.transitions[1]!.criteria[0]!.minSample = 12.5;
    json.transitions[2]!.criteria[2]!.windowDays = 0;
    expect(() => parseRolloutConfig(json, 'rollout.json')).toThrow(
      /^Invalid rollout config in rollout\.json:\n {2}currentStage: Too big.*\n {2}transitions\[1\]\.criteria\[0\]\.minSample: .*int.*\n {2}transitions\[2\]\.criteria\[2\]\.windowDays: Too small/,
    );
  });

  it('is a ConfigError, like the environment errors', () => {
    expect(() => parseRolloutConfig({})).toThrow(ConfigError);
  });

  it('rejects an unknown metric', () => {
    const json = defaultJson();
    json.transitions[0]!.criteria[0]!.metric = 'registration_rate';
    const [problem, ...rest] = problemsOf(json);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^transitions\[0\]\.criteria\[0\]\.metric: Invalid option: expected one of "registration_ceremony_success_rate"\|/,
    );
  });

  it('rejects duplicate criterion ids within a transition', () => {
    const json = defaultJson();
    json.transitions[2]!.criteria[3]!.id = 'fallback-reliant-holders';
    expect(problemsOf(json)).toEqual([
      'transitions[2].criteria[3].id: duplicate criterion id "fallback-reliant-holders" (already used by criteria[1])',
    ]);
  });

  it('allows the same criterion id in different transitions', () => {
    const json = defaultJson();
    json.transitions[1]!.criteria[0]!.id = 'registration-success-per-device-class';
    expect(() => parseRolloutConfig(json)).not.toThrow();
  });

  it('rejects ids that are not kebab-case', () => {
    const json = defaultJson();
    json.transitions[0]!.criteria[0]!.id = 'Registration_Success';
    expect(problemsOf(json)).toEqual(['transitions[0].criteria[0].id: must be kebab-case (lowercase letters and digits joined by "-")']);
  });

  it('rejects unknown keys, so a typo cannot silently drop a setting', () => {
    const json = defaultJson();
    json.transitions[0]!.criteria[0]!.treshold = 0.8;
    expect(problemsOf(json)).toEqual(['transitions[0].criteria[0]: Unrecognized key: "treshold"']);
  });

  it('range-checks thresholds by metric kind', () => {
    const negativeRate = defaultJson();
    negativeRate.transitions[1]!.criteria[2]!.threshold = -1;
    expect(problemsOf(negativeRate)).toEqual(['transitions[1].criteria[2].threshold: Too small: expected number to be >=0']);

    const zeroRatio = defaultJson();
    zeroRatio.transitions[0]!.criteria[2]!.threshold = 0;
    expect(problemsOf(zeroRatio)).toEqual(['transitions[0].criteria[2].threshold: Too small: expected number to be >0']);

    const fractionalCount = defaultJson();
    fractionalCount.transitions[3]!.criteria[2]!.threshold = 0.5;
    expect(problemsOf(fractionalCount)).toEqual(['transitions[3].criteria[2].threshold: a count threshold must be a whole number']);

    const largeRate = defaultJson();
    largeRate.transitions[1]!.criteria[2]!.threshold = 40;
    expect(() => parseRolloutConfig(largeRate)).not.toThrow();
  });

  it('rejects a comparator other than gte / lte and a string threshold', () => {
    const json = defaultJson();
    json.transitions[0]!.criteria[0]!.comparator = 'gt';
    json.transitions[0]!.criteria[1]!.threshold = '0.95';
    expect(problemsOf(json)).toEqual([
      'transitions[0].criteria[0].comparator: Invalid option: expected one of "gte"|"lte"',
      'transitions[0].criteria[1].threshold: Invalid input: expected number, received string',
    ]);
  });

  it('validates filters', () => {
    const json = defaultJson();
    json.transitions[3]!.criteria[0]!.filters = { riskTier: 'admin', deviceClass: ['mobile-ios', 'toaster'] };
    expect(problemsOf(json)).toEqual([
      'transitions[3].criteria[0].filters.deviceClass[1]: Invalid option: expected one of "mobile-ios"|"mobile-android"|"tablet-ipados"|"tablet-android"|"desktop-macos"|"desktop-windows"|"desktop-linux"|"desktop-chromeos"|"other"',
      'transitions[3].criteria[0].filters.riskTier: Invalid option: expected one of "standard"|"high"',
    ]);
  });

  it('rejects a per-device-class duration', () => {
    const json = defaultJson();
    json.transitions[2]!.criteria[4]!.perDeviceClass = true;
    expect(problemsOf(json)).toEqual(['transitions[2].criteria[4].perDeviceClass: days_at_current_stage is not measured per device class']);
  });

  it('defaults windowDays to 28 and bounds it to 1..400', () => {
    const json = defaultJson();
    delete json.transitions[0]!.criteria[0]!.windowDays;
    expect(parseRolloutConfig(json).transitions[0]?.criteria[0]?.windowDays).toBe(28);
    json.transitions[0]!.criteria[0]!.windowDays = 401;
    expect(problemsOf(json)).toEqual(['transitions[0].criteria[0].windowDays: Too big: expected number to be <=400']);
  });

  it('checks the version, the stage entry date and the stage list', () => {
    const json = defaultJson();
    json.version = 2;
    json.stageEnteredAt = '2025-02-30';
    (json.stages as Array<{ id: number }>)[1]!.id = 3;
    expect(problemsOf(json)).toEqual([
      'version: Invalid input: expected 1',
      'stageEnteredAt: must be an ISO-8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T09:00:00Z',
    ]);
    json.version = 1;
    json.stageEnteredAt = '2025-03-01T09:00:00Z';
    expect(problemsOf(json)).toEqual(['stages[1].id: expected 2: stages are listed in order, 1 to 5']);
    (json.stages as Array<{ id: number }>)[1]!.id = 2;
    expect(parseRolloutConfig(json).stageEnteredAt).toBe('2025-03-01T09:00:00Z');
    json.stageEnteredAt = '2025-03-01';
    expect(parseRolloutConfig(json).stageEnteredAt).toBe('2025-03-01');
  });

  it('requires each transition once, one stage forward, with at least one criterion', () => {
    const json = defaultJson();
    const transitions = json.transitions as Array<Record<string, unknown>>;
    transitions[1]!.to = 4;
    expect(problemsOf(json)).toEqual(['transitions[1].to: must be 3: a gate moves exactly one stage forward']);

    const missing = defaultJson();
    missing.transitions.splice(2, 1);
    expect(problemsOf(missing)).toEqual(['transitions: missing the 3 → 4 transition (every transition needs at least one criterion)']);

    const duplicate = defaultJson();
    duplicate.transitions.push(duplicate.transitions[0]!);
    expect(problemsOf(duplicate)).toEqual(['transitions[4].from: duplicate transition 1 → 2']);

    const empty = defaultJson();
    empty.transitions[3]!.criteria = [];
    expect(problemsOf(empty)).toEqual(['transitions[3].criteria: Too small: expected array to have >=1 items']);
  });

  it('formats paths the way a reader writes them', () => {
    expect(formatConfigPath([])).toBe('(root)');
    expect(formatConfigPath(['transitions', 0, 'criteria', 2, 'threshold'])).toBe('transitions[0].criteria[2].threshold');
    expect(problemsOf('not an object')).toEqual(['(root): Invalid input: expected object, received string']);
  });
});

describe('loadRolloutConfig', () => {
  it('reads ROLLOUT_CONFIG, else the default file', () => {
    expect(resolveRolloutConfigPath(undefined, {})).toBe(path.resolve(DEFAULT_ROLLOUT_CONFIG_PATH));
    expect(resolveRolloutConfigPath(undefined, { ROLLOUT_CONFIG: '' })).toBe(path.resolve(DEFAULT_ROLLOUT_CONFIG_PATH));
    expect(resolveRolloutConfigPath(undefined, { ROLLOUT_CONFIG: '/etc/rollout.json' })).toBe('/etc/rollout.json');
    expect(resolveRolloutConfigPath('/srv/explicit.json', { ROLLOUT_CONFIG: '/etc/rollout.json' })).toBe('/srv/explicit.json');
  });

  it('loads an override file', () => {
    const json = defaultJson();
    json.currentStage = 3;
    json.stageEnteredAt = '2025-01-15';
    const file = tempFile('rollout.json', JSON.stringify(json));
    expect(loadRolloutConfig(file)).toMatchObject({ currentStage: 3, stageEnteredAt: '2025-01-15' });
  });

  it('names the file on JSON syntax errors', () => {
    const file = tempFile('broken.json', '{\n  "version": 1,\n}\n');
    expect(() => loadRolloutConfig(file)).toThrow(RolloutConfigError);
    expect(() => loadRolloutConfig(file)).toThrow(`Rollout config ${file} is not valid JSON: `);
  });

  it('names the file on validation errors', () => {
    const file = tempFile('invalid.json', JSON.stringify({ version: 1 }));
    expect(() => loadRolloutConfig(file)).toThrow(`Invalid rollout config in ${file}:\n  currentStage:`);
  });

  it('names the file when it cannot be read', () => {
    const file = path.join(os.tmpdir(), 'no-such-dir-for-rollout', 'rollout.json');
    expect(() => loadRolloutConfig(file)).toThrow(`Cannot read rollout config ${file}: ENOENT`);
  });
});
