/**
 * A synthesized CloudFormation template as plain JSON: what the AWS renderer returns and every
 * rule over templates reads. Values the template does not state literally (tokens, imports,
 * parameters) are left as the intrinsic-function objects CloudFormation resolves at deploy time.
 */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResourceJson>;
  /** A macro (`AWS::LanguageExtensions`, `AWS::Serverless-2016-10-31`, ...) rewrites the template at deploy time. */
  readonly Transform?: unknown;
}
