import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { FALCO_RULES_FILE, imageRepository } from '../../src/cluster/components/falco-rules.js';
import { falcoComponent } from '../../src/cluster/components/falco.js';
import { UserInputError } from '../../src/common/errors.js';
import { WORKLOADS } from '../../src/common/names.js';
import { EXAMPLE, environment, loadExample } from './fixture.js';

const platform = loadExample();
const env = environment(platform, 'prod');
const rulesText = (falcoComponent({ platform, env }).charts[0]!.values as { customRules: Record<string, string> }).customRules[FALCO_RULES_FILE]!;
const items = parse(rulesText) as Array<Record<string, unknown>>;
const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'];

describe('GIVEN the custom Falco rules file', () => {
  test('THEN it parses as a YAML sequence of list, macro and rule items with the fields Falco requires', () => {
    expect(Array.isArray(items)).toBe(true);
    for (const item of items) {
      if ('rule' in item) {
        expect(Object.keys(item).sort()).toEqual(['condition', 'desc', 'output', 'priority', 'rule', 'tags']);
        expect(PRIORITIES).toContain(item.priority);
        expect(typeof item.condition).toBe('string');
      } else if ('macro' in item) {
        expect(Object.keys(item).sort()).toEqual(['condition', 'macro']);
      } else {
        expect(Object.keys(item).sort()).toEqual(['items', 'list']);
        expect(Array.isArray(item.items)).toBe(true);
      }
    }
  });

  test('THEN every macro and list a rule uses is defined before it, and every parenthesis is balanced', () => {
    const defined = new Set<string>();
    for (const item of items) {
      const condition = String(item.condition ?? '');
      for (const word of condition.match(/\bbottlerocket_eks_\w+/g) ?? []) expect(defined, `${word} in ${String(item.rule ?? item.macro)}`).toContain(word);
      let depth = 0;
      for (const char of condition.replace(/"[^"]*"/g, '')) {
        depth += char === '(' ? 1 : char === ')' ? -1 : 0;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
      defined.add(String(item.macro ?? item.list ?? ''));
    }
  });

  test('THEN every field it uses is one Falco 0.44 with the container plugin provides', () => {
    // libsinsp fields (falco.org "Supported fields") and the container plugin's (falcosecurity/plugins plugins/container/README.md).
    const KNOWN_FIELDS = ['evt.type', 'fd.name', 'fd.sip', 'proc.name', 'proc.cmdline', 'container.id', 'container.image.repository', 'container.host_network', 'k8s.ns.name', 'k8s.pod.name'];
    const used = items.flatMap((item) => [...`${String(item.condition ?? '')} ${String(item.output ?? '')}`.replace(/"[^"]*"/g, '').matchAll(/\b(?:evt|fd|proc|container|k8s)\.[a-z_.]*[a-z_]/g)].map((match) => match[0]));
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(used)].filter((field) => !KNOWN_FIELDS.includes(field))).toEqual([]);
  });

  test('THEN it covers the API socket, the runtime socket and IMDS from the host network', () => {
    const rules = items.filter((item) => 'rule' in item).map((item) => String(item.condition));
    expect(rules).toHaveLength(3);
    expect(rules[0]).toMatch(/fd\.name contains "\/run\/api\.sock" and not bottlerocket_eks_api_socket_clients/);
    expect(rules[1]).toMatch(/"\/run\/host-containerd\/".*"containerd\.sock"/);
    expect(rules[2]).toMatch(/container\.host_network = true and fd\.sip = "169\.254\.169\.254"/);
  });

  test('THEN the API socket is allowed only to the brupop agent and to the CIS collector image of the config', () => {
    const clients = String(items.find((item) => item.macro === 'bottlerocket_eks_api_socket_clients')!.condition);
    expect(clients).toContain(`k8s.ns.name = "${WORKLOADS.brupopAgent.namespace}" and container.image.repository = "public.ecr.aws/bottlerocket/bottlerocket-update-operator"`);
    expect(clients).toContain(`k8s.ns.name = "${WORKLOADS.cisCollector.namespace}" and container.image.repository = "111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/bottlerocket-eks-cis-collector"`);
  });
});

test.each([
  ['registry.example/app:1.0@sha256:' + 'a'.repeat(64), 'registry.example/app'],
  ['registry:5000/team/app@sha256:' + 'b'.repeat(64), 'registry:5000/team/app'],
  ['registry:5000/team/app:2.1', 'registry:5000/team/app'],
])('the container repository of %s is %s', (image, repository) => {
  expect(imageRepository(image)).toBe(repository);
});

test('a CIS image whose repository would break a Falco condition is refused when the config resolves', () => {
  const text = EXAMPLE.replace(/image: \S+\/bottlerocket-eks-cis-collector:/g, 'image: registry.example/a"b/bottlerocket-eks-cis-collector:');
  expect(() => loadExample(text)).toThrow(UserInputError);
  expect(() => loadExample(text)).toThrow(/cannot be used in a Falco rule condition/);
});
