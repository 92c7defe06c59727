/**
 * Shapes of the Kyverno objects the engine reads, as strict zod schemas: an unknown field is an
 * error (with file:line), as the API server's structural schema would reject it. The fields follow
 * the policies.kyverno.io CRDs (v1alpha1, v1beta1 and v1 share one spec shape) and the
 * cli.kyverno.io/v1alpha1 Test type.
 */
import { z } from 'zod';

export const POLICIES_GROUP = 'policies.kyverno.io';
export const POLICY_VERSIONS = ['v1alpha1', 'v1beta1', 'v1'] as const;
export const POLICY_KINDS = ['ValidatingPolicy', 'NamespacedValidatingPolicy'] as const;
export const EXCEPTION_KIND = 'PolicyException';
export const TEST_API_VERSION = 'cli.kyverno.io/v1alpha1';

const metadataSchema = z.looseObject({
  name: z.string().min(1).describe('object name'),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

const operationSchema = z.enum(['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

const resourceRuleSchema = z.strictObject({
  apiGroups: z.array(z.string()).optional(),
  apiVersions: z.array(z.string()).optional(),
  operations: z.array(operationSchema).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
  scope: z.enum(['*', 'Cluster', 'Namespaced']).optional(),
});
export type ResourceRule = z.infer<typeof resourceRuleSchema>;

const matchConstraintsSchema = z.strictObject({
  resourceRules: z.array(resourceRuleSchema).optional(),
  excludeResourceRules: z.array(resourceRuleSchema).optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  objectSelector: labelSelectorSchema.optional(),
  matchPolicy: z.enum(['Exact', 'Equivalent']).optional(),
});
export type MatchConstraints = z.infer<typeof matchConstraintsSchema>;

const namedExpressionSchema = z.strictObject({ name: z.string().min(1), expression: z.string().min(1) });

const validationSchema = z.strictObject({
  expression: z.string().min(1),
  message: z.string().optional(),
  messageExpression: z.string().optional(),
  reason: z.string().optional(),
});

const enabledSchema = z.strictObject({ enabled: z.boolean().optional() });

export const validatingPolicySpecSchema = z.strictObject({
  validationActions: z.array(z.enum(['Deny', 'Audit', 'Warn'])).optional(),
  failurePolicy: z.enum(['Ignore', 'Fail']).optional(),
  matchConstraints: matchConstraintsSchema.optional(),
  matchConditions: z.array(namedExpressionSchema).optional(),
  variables: z.array(namedExpressionSchema).optional(),
  validations: z.array(validationSchema).optional(),
  auditAnnotations: z.array(z.strictObject({ key: z.string(), valueExpression: z.string() })).optional(),
  evaluation: z
    .strictObject({
      admission: enabledSchema.optional(),
      background: enabledSchema.optional(),
      mode: z.enum(['Kubernetes', 'JSON']).optional(),
    })
    .optional(),
  autogen: z
    .strictObject({
      podControllers: z.strictObject({ controllers: z.array(z.string()).optional() }).optional(),
      validatingAdmissionPolicy: enabledSchema.optional(),
    })
    .optional(),
  webhookConfiguration: z.strictObject({ timeoutSeconds: z.union([z.number().int(), z.bigint()]).optional() }).optional(),
});
export type ValidatingPolicySpec = z.infer<typeof validatingPolicySpecSchema>;

const apiVersionSchema = z.enum(POLICY_VERSIONS.map((v) => `${POLICIES_GROUP}/${v}`) as [string, ...string[]]);

export const validatingPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.enum(POLICY_KINDS),
  metadata: metadataSchema,
  spec: validatingPolicySpecSchema,
  // Objects exported from a cluster carry a status; it never changes evaluation.
  status: z.unknown().optional(),
});
export type ValidatingPolicy = z.infer<typeof validatingPolicySchema>;

export const policyExceptionSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal(EXCEPTION_KIND),
  metadata: metadataSchema,
  spec: z.strictObject({
    policyRefs: z.array(z.strictObject({ name: z.string().min(1), kind: z.string().min(1) })).min(1),
    matchConditions: z.array(namedExpressionSchema).optional(),
    images: z.array(z.string()).optional(),
    allowedValues: z.array(z.string()).optional(),
    reportResult: z.enum(['skip', 'pass']).optional(),
    evaluationMode: z.string().optional(),
    expiresAt: z.string().optional(),
    properties: z.record(z.string(), z.string()).optional(),
  }),
  status: z.unknown().optional(),
});
export type PolicyException = z.infer<typeof policyExceptionSchema>;

export const resultStatusSchema = z.enum(['pass', 'fail', 'warn', 'error', 'skip']);

const namespaceLabelsSchema = z.strictObject({ name: z.string(), labels: z.record(z.string(), z.string()) });

/** A Kyverno CLI values file (cli.kyverno.io Values) or a Test's inline `values`. */
export const testValuesSchema = z.looseObject({
  namespaceSelector: z.array(namespaceLabelsSchema).optional(),
  /** Namespace objects (with labels) for namespaceSelector and `namespaceObject`. */
  namespaces: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }) })).optional(),
  globalValues: z.record(z.string(), z.unknown()).optional(),
  policies: z.array(z.unknown()).optional(),
  subresources: z.array(z.unknown()).optional(),
});
export type TestValues = z.infer<typeof testValuesSchema>;

const operationNameSchema = z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/** Every field of Kyverno's Test (cmd/cli/kubectl-kyverno/apis/v1alpha1/test.go): known fields load; the runner says which it cannot run. */
export const kyvernoTestSchema = z.strictObject({
  apiVersion: z.literal(TEST_API_VERSION),
  kind: z.literal('Test'),
  metadata: metadataSchema,
  name: z.string().optional(),
  policies: z.array(z.string()).min(1),
  resources: z.array(z.string()).optional(),
  exceptions: z.array(z.string()).optional(),
  variables: z.string().optional(),
  userinfo: z.string().optional(),
  context: z.string().optional(),
  values: testValuesSchema.optional(),
  jsonPayload: z.string().optional(),
  jsonPayloads: z.array(z.string()).optional(),
  httpPayloads: z.array(z.string()).optional(),
  envoyPayloads: z.array(z.string()).optional(),
  targetResources: z.array(z.string()).optional(),
  paramResources: z.array(z.string()).optional(),
  clusterResources: z.array(z.string()).optional(),
  apiCallResponses: z.array(z.unknown()).optional(),
  globalContextEntries: z.array(z.unknown()).optional(),
  results: z
    .array(
      z.strictObject({
        policy: z.string().min(1),
        rule: z.string().optional(),
        kind: z.string().optional(),
        result: resultStatusSchema,
        resources: z.array(z.string()).optional(),
        resourceSpecs: z.array(z.unknown()).optional(),
        operation: operationNameSchema.optional(),
        isValidatingPolicy: z.boolean().optional(),
        isValidatingAdmissionPolicy: z.boolean().optional(),
        isMutatingAdmissionPolicy: z.boolean().optional(),
        isDeletingPolicy: z.boolean().optional(),
        isImageValidatingPolicy: z.boolean().optional(),
        isGeneratingPolicy: z.boolean().optional(),
        isMutatingPolicy: z.boolean().optional(),
        patchedResources: z.string().optional(),
        generatedResource: z.string().optional(),
        generatedResources: z.array(z.string()).optional(),
        cloneSourceResource: z.string().optional(),
        failOnMissingResources: z.boolean().optional(),
      }),
    )
    .min(1),
});
/** A Kyverno CLI userinfo file: the request's user, roles and cluster roles (kyvernov2.RequestInfo). */
export const testUserInfoSchema = z.looseObject({
  roles: z.array(z.string()).optional(),
  clusterRoles: z.array(z.string()).optional(),
  userInfo: z
    .looseObject({ username: z.string().optional(), uid: z.string().optional(), groups: z.array(z.string()).optional(), extra: z.record(z.string(), z.array(z.string())).optional() })
    .optional(),
});
export type TestUserInfo = z.infer<typeof testUserInfoSchema>;

/** A Kyverno CLI context file: resources for `resource.Get/List`, image metadata for `image.GetMetadata`. */
export const testContextSchema = z.looseObject({
  spec: z.looseObject({ resources: z.array(z.record(z.string(), z.unknown())).optional(), images: z.array(z.record(z.string(), z.unknown())).optional() }).optional(),
});
export type KyvernoTest = z.infer<typeof kyvernoTestSchema>;
