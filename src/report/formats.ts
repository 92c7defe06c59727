/** The names of the policy result formats, apart from their (heavier) implementations, for flag parsing. */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'policyreport'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The formats of gate findings over CloudFormation templates (`check`). */
export const GATE_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
export type GateFormat = (typeof GATE_FORMATS)[number];
