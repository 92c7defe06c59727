/** The one reader of the templates CDK hands a validation plugin (files in CDK's own outdir). */
import { readFileSync } from 'node:fs';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import type { CfnTemplateJson, StackTemplate } from '../rules/aws/template.js';

export interface ValidatedStack extends StackTemplate {
  readonly templatePath: string;
}

export function readStackTemplates(context: IPolicyValidationContext): ValidatedStack[] {
  return context.stackTemplates.map((stack) => ({
    stackPath: stack.stackConstructPath,
    templatePath: stack.templatePath,
    template: JSON.parse(readFileSync(stack.templatePath, 'utf8')) as CfnTemplateJson,
  }));
}
