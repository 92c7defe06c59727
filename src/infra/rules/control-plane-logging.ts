/**
 * ADR15-LOG-1: the control plane sends all five log types (api, audit, authenticator,
 * controllerManager, scheduler) to CloudWatch Logs: the audit trail of who did what to the
 * cluster (NIST AU-2, AU-12). Replaces cdk-nag's AwsSolutions-EKS2 / NIST EKS logging rules,
 * which test `instanceof aws_eks.CfnCluster` and never see the aws-eks-v2 cluster.
 *
 * Checks every `AWS::EKS::Cluster`: `Logging.ClusterLogging.EnabledTypes` literally lists each
 * type. A value the rule cannot resolve fails.
 *
 * Cannot see: the retention and encryption of the `/aws/eks/<cluster>/cluster` log group EKS
 * creates (outside the template), or whether anyone reads it.
 */
import { asRecord, fail, judgeEach, pass, type TemplateRule } from './template.js';

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export const controlPlaneLogging: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Cluster', ({ properties }) => {
    const enabled = asRecord(asRecord(properties.Logging)?.ClusterLogging)?.EnabledTypes;
    const types = new Set(Array.isArray(enabled) ? enabled.map((entry) => asRecord(entry)?.Type) : []);
    const missing = CONTROL_PLANE_LOG_TYPES.filter((type) => !types.has(type));
    return missing.length === 0 ? pass() : fail(`control-plane log types not enabled: ${missing.join(', ')}`);
  });
