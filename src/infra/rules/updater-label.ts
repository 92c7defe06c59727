/**
 * ADR15-UPD-1: every node group carries the label brupop selects nodes by (ADR-15 "Decision").
 *
 * Checks every `AWS::EKS::Nodegroup`: `Labels` literally holds
 * `bottlerocket.aws/updater-interface-version=2.0.0`.
 *
 * Cannot see: whether brupop runs in the cluster (the cluster layer renders it; ADR15-GITOPS-5
 * checks both layers agree on the label).
 */
import { UPDATER_INTERFACE_LABEL } from '../../common/names.js';
import { asRecord, fail, judgeEach, pass, type TemplateRule } from './template.js';

export const updaterLabel: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const value = asRecord(properties.Labels)?.[UPDATER_INTERFACE_LABEL.key];
    return value === UPDATER_INTERFACE_LABEL.value
      ? pass()
      : fail(`label ${UPDATER_INTERFACE_LABEL.key}=${UPDATER_INTERFACE_LABEL.value} is missing (found ${JSON.stringify(value ?? 'none')}); brupop would not update these nodes`);
  });
