/**
 * ADR15-ENC-1: Kubernetes secrets are envelope-encrypted with a rotating customer-managed KMS
 * key created here. Replaces cdk-nag's AwsSolutions-EKS/NIST EKS encryption checks, which never
 * see the aws-eks-v2 cluster.
 *
 * Checks every `AWS::EKS::Cluster`: an `EncryptionConfig` for `secrets` whose key is an
 * `AWS::KMS::Key` of this template with `EnableKeyRotation` true.
 *
 * Cannot see: a key defined elsewhere (it fails: the rule cannot read its policy or rotation).
 */
import { asRecord, fail, judgeEach, pass, referencedResource, type TemplateRule } from './template.js';

export const secretsEncryption: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Cluster', ({ properties }) => {
    const configs = Array.isArray(properties.EncryptionConfig) ? properties.EncryptionConfig.map(asRecord) : [];
    const forSecrets = configs.find((config) => Array.isArray(config?.Resources) && config.Resources.includes('secrets'));
    if (!forSecrets) return fail('no EncryptionConfig for "secrets"');
    const key = referencedResource(template, asRecord(forSecrets.Provider)?.KeyArn);
    if (!key || key.resource.Type !== 'AWS::KMS::Key') return fail('the secrets key is not a customer-managed AWS::KMS::Key defined in this template');
    return key.properties.EnableKeyRotation === true ? pass() : fail(`KMS key ${key.logicalId} does not rotate`);
  });
