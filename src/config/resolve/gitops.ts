/**
 * Argo CD prerequisites: Argo CD syncs the plain manifests from `gitops.repository`, and the EKS
 * managed Argo CD capability (`managedArgoCd`) signs users in through an IAM Identity Center
 * instance. Without them the rendered layer could not work, so the config is refused.
 */
import { problemAt, type ConfigCheck } from './validator.js';

export const checkArgoCdPrerequisites: ConfigCheck = ({ config, source }) => {
  const { gitops } = config;
  if (gitops.controller !== 'argocd') return [];
  return [
    ...(gitops.repository === undefined
      ? [problemAt(source, ['gitops', 'repository'], '`gitops.controller: argocd` needs `gitops.repository`: Argo CD syncs the plain manifests from it')]
      : []),
    ...(gitops.managedArgoCd && gitops.identityCenterInstanceArn === undefined
      ? [problemAt(source, ['gitops', 'identityCenterInstanceArn'], 'managedArgoCd needs the IAM Identity Center instance ARN users sign in with (`gitops.identityCenterInstanceArn`)')]
      : []),
  ];
};
