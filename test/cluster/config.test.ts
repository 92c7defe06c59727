import { describe, expect, test } from 'vitest';
import type { UserInputError } from '../../src/common/errors.js';
import { parseConfig } from '../../src/config/index.js';
import { sevenFieldCronProblem } from '../../src/config/cron.js';
import { userInputErrorOf } from '../support/refusal.js';
import { EXAMPLE, find, renderEnv } from './fixture.js';

function refusal(text: string): UserInputError {
  expect(text).not.toBe(EXAMPLE);
  return userInputErrorOf(() => parseConfig('platform.yaml', text), 'the config');
}

const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('GIVEN a bad cluster-layer value in platform.yaml THEN it is refused at load with file, line and field', () => {
  test.each([
    ['0 0 25 * * Mon-Fri *', /hours field "25": 25 is outside 0-23/],
    ['0 0 3 * * Fry *', /day-of-week field "Fry": "Fry" is not a number or a three-letter name/],
    ['0 0 3 * 13 * *', /month field "13": 13 is outside 1-12/],
    ['0 60 3 * * * *', /minutes field "60"/],
    ['0 0 5-2 * * * *', /range 5-2 runs backwards/],
    ['0 0 */0 * * * *', /step "0" must be a positive number/],
    ['0 0 3 * * Mon-Fri', /must be a 7-field cron expression/],
    // A trigger, not a window: brupop would update every waiting node at 05:00 with no end.
    ['0 0 5 * * Tue-Thu *', /is a start time with no end: .*"\* \* 3-4 \* \* Mon-Fri \*"/],
    ['30 * 5 * * * *', /is a start time with no end/],
  ])('maintenanceWindow %j', (cron, message) => {
    const text = EXAMPLE.replace('maintenanceWindow: "* * 5-6 * * Tue-Thu *"', `maintenanceWindow: "${cron}"`);
    const error = refusal(text);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:${line(text, cron)}:\\d+: environments\\[2\\]\\.updates\\.maintenanceWindow: `));
    expect(error.message).toMatch(message);
  });

  test('an unknown Falco priority', () => {
    const text = EXAMPLE.replace('minimumPriority: warning', 'minimumPriority: severe');
    const error = refusal(text);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:${line(text, 'severe')}:\\d+: environments\\[2\\]\\.falco\\.minimumPriority: `));
  });

  test('a webhook that is not https', () => {
    const text = EXAMPLE.replace('webhookUrl: https://soc.example.gov/falco/ingest', 'webhookUrl: http://soc.example.gov/falco/ingest');
    const error = refusal(text);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:${line(text, 'http://soc')}:\\d+: environments\\[2\\]\\.falco\\.webhookUrl: must be an https:// URL`));
  });
});

test.each(['0 0 3 * * * *', '0 0 * * * Mon-Fri *', '0 0 4 * * Mon-Thu *', '0 0/15 1,2,23 ? JAN-mar sun 2026-2030', '0 0 3 1 * ? *'])('the cron %j is accepted', (cron) => {
  expect(sevenFieldCronProblem(cron)).toBeUndefined();
});

test.each(['* * 3-4 * * * *', '* * 9-16 * * Mon-Fri *', '* 0-29 1 * * Sat *'])('the window %j is accepted as maintenanceWindow', (cron) => {
  const text = EXAMPLE.replace('maintenanceWindow: "* * 5-6 * * Tue-Thu *"', `maintenanceWindow: "${cron}"`);
  expect(parseConfig('platform.yaml', text).config.environments[2]!.updates.maintenanceWindow).toBe(cron);
});

test('GIVEN no maintenanceWindow THEN the default is a window (03:00-04:59 UTC daily), not a trigger', () => {
  const text = EXAMPLE.replace('      maintenanceWindow: "* * 5-6 * * Tue-Thu *"\n', '');
  expect(text).not.toBe(EXAMPLE);
  expect(parseConfig('platform.yaml', text).config.environments[2]!.updates.maintenanceWindow).toBe('* * 3-4 * * * *');
});

describe('GIVEN a credential in a URL THEN the config refuses it and points at the secret setting', () => {
  test.each([
    ['https://user:s3cret@soc.example.gov/falco/ingest', /password/],
    ['https://token@soc.example.gov/falco/ingest', /user info/],
    ['https://soc.example.gov/falco/ingest?token=abc', /query parameter "token"/],
    ['https://soc.example.gov/falco/ingest?api_key=abc', /query parameter "api_key"/],
    ['https://soc.example.gov/falco/ingest?sig=abc&sv=2024', /query parameter "sig"/],
  ])('falco.webhookUrl %s', (url, message) => {
    const text = EXAMPLE.replace('webhookUrl: https://soc.example.gov/falco/ingest', `webhookUrl: "${url}"`);
    const error = refusal(text);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:${line(text, url)}:\\d+: environments\\[2\\]\\.falco\\.webhookUrl: `));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/falco\.webhookCredentialsSecret/);
  });

  test.each([
    ['https://deploy:ghp_abc@git.example.gov/platform/clusters.git', /password/],
    ['https://oauth2@git.example.gov/platform/clusters.git', /user info/],
    ['https://git.example.gov/platform/clusters.git?access_token=abc', /query parameter "access_token"/],
  ])('gitops.repository.url %s', (url, message) => {
    const text = EXAMPLE.replace('url: https://git.example.gov/platform/clusters.git', `url: "${url}"`);
    const error = refusal(text);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:${line(text, url)}:\\d+: gitops\\.repository\\.url: `));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/repository Secret/);
  });

  test('an SSH user name is not a credential, and plain https URLs pass', () => {
    const text = EXAMPLE.replace('url: https://git.example.gov/platform/clusters.git', 'url: ssh://git@git.example.gov/platform/clusters.git');
    expect(parseConfig('platform.yaml', text).config.gitops.repository?.url).toBe('ssh://git@git.example.gov/platform/clusters.git');
  });
});

test('GIVEN falco.webhookCredentialsSecret THEN falcosidekick reads the Secret and no credential is in the values', () => {
  const text = EXAMPLE.replace('webhookUrl: https://soc.example.gov/falco/ingest', 'webhookUrl: https://soc.example.gov/falco/ingest\n      webhookCredentialsSecret: soc-webhook');
  const { objects } = renderEnv('prod', text);
  const values = (find(objects, 'HelmRelease', 'falco').spec as { values: { falcosidekick: { config: Record<string, unknown> } } }).values.falcosidekick.config;
  expect(values.existingSecret).toBe('soc-webhook');
  expect(values.webhook).toMatchObject({ address: 'https://soc.example.gov/falco/ingest' });
});
