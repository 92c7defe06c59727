/** The one reader of synthesized template files: those CDK hands a validation plugin (in its own outdir), or those `check` is given. */
import { readFileSync } from 'node:fs';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import type { CfnTemplateJson, StackTemplate } from '../rules/aws/template.js';

export interface ValidatedStack extends StackTemplate {
  readonly templatePath: string;
}

export function readTemplateFile(path: string): CfnTemplateJson {
  return JSON.parse(readFileSync(path, 'utf8')) as CfnTemplateJson;
}

export function readStackTemplates(context: IPolicyValidationContext): ValidatedStack[] {
  return context.stackTemplates.map((stack) => ({ stackPath: stack.stackConstructPath, templatePath: stack.templatePath, template: readTemplateFile(stack.templatePath) }));
}
